'use strict';
// P-256 helpers on Node's crypto: point checks (VDC-SM-002, VDC-CRED-013), r || s
// signatures (VDC-SM-004, VDC-CRED-040), ECDH (VDC-SM-020) and SubjectPublicKeyInfo.
const crypto = require('crypto');
const der = require('./der');

const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_P256 = '1.2.840.10045.3.1.7';
const OID_ECDSA_SHA256 = '1.2.840.10045.4.3.2';

function big(buf) {
  return BigInt(`0x${buf.toString('hex') || '0'}`);
}

function modp(x) {
  const r = x % P;
  return r < 0n ? r + P : r;
}

// True for a 65-byte uncompressed point 04 || X || Y that lies on P-256.
function isValidPoint(point) {
  if (!Buffer.isBuffer(point) || point.length !== 65 || point[0] !== 0x04) return false;
  const x = big(point.subarray(1, 33));
  const y = big(point.subarray(33));
  if (x >= P || y >= P) return false;
  return modp(y * y) === modp(x * x * x - 3n * x + B);
}

function spkiFromPoint(point) {
  return der.eSeq(der.eSeq(der.eOid(OID_EC_PUBLIC_KEY), der.eOid(OID_P256)), der.eBits(point));
}

// Reads a SubjectPublicKeyInfo node; returns { algorithm, curve, point } or throws DerError.
function readSpki(node) {
  const [alg, key] = der.seq(node, 'subjectPublicKeyInfo');
  if (!alg || !key || der.seq(node, 'spki').length !== 2) throw new der.DerError('subjectPublicKeyInfo: bad structure');
  const algParts = der.seq(alg, 'algorithm');
  if (algParts.length < 1 || algParts.length > 2) throw new der.DerError('algorithm: bad structure');
  const algorithm = der.oid(algParts[0], 'algorithm');
  const curve = algParts[1] && algParts[1].tag === 0x06 ? der.oid(algParts[1], 'curve') : null;
  const bits = der.bitString(key, 'subjectPublicKey');
  return { algorithm, curve, point: bits.unused === 0 ? Buffer.from(bits.bytes) : null };
}

function publicKeyFromPoint(point) {
  return crypto.createPublicKey({ key: spkiFromPoint(point), format: 'der', type: 'spki' });
}

function generateKeyPair() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, point: pointOf(publicKey) };
}

// The uncompressed point is the last 65 bytes of a P-256 SubjectPublicKeyInfo. Exporting
// as DER, not JWK: Node 20's JWK export of an EC key holds the key's lock while it
// allocates, and a garbage collection finalising a key-generation job then waits on the
// same lock for ever.
function pointOf(publicKey) {
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return Buffer.from(spki.subarray(spki.length - 65));
}

function privateKeyToPkcs8(privateKey) {
  return privateKey.export({ format: 'der', type: 'pkcs8' });
}

function privateKeyFromPkcs8(bytes) {
  return crypto.createPrivateKey({ key: Buffer.from(bytes), format: 'der', type: 'pkcs8' });
}

function publicPointOfPrivate(privateKey) {
  return pointOf(crypto.createPublicKey(privateKey));
}

// ECDSA P-256 SHA-256 as r || s, 32 bytes each (VDC-SM-004).
function signRaw(privateKey, message) {
  return crypto.sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
}

// Verifies r || s; refuses any length but 64 and r or s outside 1..n-1 (VDC-CRED-042).
function verifyRaw(publicKey, message, signature) {
  if (!Buffer.isBuffer(signature) || signature.length !== 64) return false;
  const r = big(signature.subarray(0, 32));
  const s = big(signature.subarray(32));
  if (r === 0n || s === 0n || r >= N || s >= N) return false;
  try {
    return crypto.verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  } catch (e) {
    return false;
  }
}

// Verifies an X.509 signature value (DER Ecdsa-Sig-Value).
function verifyDer(publicKey, message, signature) {
  try {
    return crypto.verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, signature);
  } catch (e) {
    return false;
  }
}

function signDer(privateKey, message) {
  return crypto.sign('sha256', message, { key: privateKey, dsaEncoding: 'der' });
}

// The 32-byte x-coordinate of the shared point (VDC-SM-020).
function ecdh(privateKey, peerPoint) {
  return crypto.diffieHellman({ privateKey, publicKey: publicKeyFromPoint(peerPoint) });
}

module.exports = {
  N, OID_EC_PUBLIC_KEY, OID_P256, OID_ECDSA_SHA256,
  isValidPoint, spkiFromPoint, readSpki, publicKeyFromPoint, generateKeyPair, pointOf,
  privateKeyToPkcs8, privateKeyFromPkcs8, publicPointOfPrivate, signRaw, verifyRaw, verifyDer,
  signDer, ecdh,
};
