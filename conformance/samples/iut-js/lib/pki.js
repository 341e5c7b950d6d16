'use strict';
// Path validation (spec/pki.md VDC-PKI-020 to 024) and the reader-authorisation
// extension (VDC-PKI-030 to 033). Error kinds are the names the PKI vectors use.
const der = require('./der');
const ec = require('./ec');
const x509 = require('./x509');
const { VdcError } = require('./errors');

const PURPOSES = {
  DOCUMENT_SIGNING: x509.OID.documentSigning,
  STATUS_LIST_SIGNING: x509.OID.statusListSigning,
  READER_AUTHENTICATION: x509.OID.readerAuthentication,
};

const PROFESSIONS = new Set(['10', '21', '40', '50', '60', '70']);
const KNOWN_CRITICAL = new Set([x509.OID.basicConstraints, x509.OID.keyUsage, x509.OID.extKeyUsage]);
const MAX_PATH = 4;

function err(kind, message) {
  return new VdcError(kind, message);
}

// Luhn check over all 11 digits, the last being the check digit (VDC-PKI-031).
function luhnValid(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// Decodes the DER of ReaderAuthorisation strictly; any failure is AuthorisationError.
function decodeReaderAuthorisation(value) {
  let node;
  try {
    node = der.decode(value);
  } catch (e) {
    throw err('AuthorisationError', `reader authorisation does not decode: ${e.message}`);
  }
  try {
    const parts = der.seq(node, 'ReaderAuthorisation');
    if (parts.length !== 3) throw err('AuthorisationError', 'ReaderAuthorisation: three fields expected');
    const rpps = der.text(parts[0], 'rpps', 0x12);
    const profession = der.text(parts[1], 'profession', 0x12);
    const ids = der.seq(parts[2], 'allowedElements').map((n) => der.integer(n, 'ElementId'));
    if (!/^\d{11}$/.test(rpps)) throw err('AuthorisationError', 'rpps is not 11 digits');
    if (!luhnValid(rpps)) throw err('AuthorisationError', 'rpps check digit is wrong');
    if (!/^\d{2}$/.test(profession) || !PROFESSIONS.has(profession)) {
      throw err('AuthorisationError', 'unknown profession code');
    }
    if (ids.length < 1 || ids.length > 32) throw err('AuthorisationError', 'allowedElements must list 1 to 32 ids');
    for (let i = 0; i < ids.length; i += 1) {
      if (ids[i] < 1 || ids[i] > 127) throw err('AuthorisationError', 'element id outside 1..127');
      if (i > 0 && ids[i] <= ids[i - 1]) throw err('AuthorisationError', 'element ids not strictly ascending');
    }
    return { rpps, profession, allowedElements: ids };
  } catch (e) {
    if (e.kind === 'AuthorisationError') throw e;
    throw err('AuthorisationError', `reader authorisation is malformed: ${e.message}`);
  }
}

function checkAlgorithms(cert) {
  const { algorithm, curve, point } = cert.spki;
  if (algorithm !== ec.OID_EC_PUBLIC_KEY || curve !== ec.OID_P256 || !ec.isValidPoint(point)) {
    throw err('AlgorithmError', 'certificate key is not a P-256 key');
  }
  if (cert.outerAlgorithm !== ec.OID_ECDSA_SHA256 || cert.innerAlgorithm !== ec.OID_ECDSA_SHA256) {
    throw err('AlgorithmError', 'certificate is not signed with ecdsa-with-SHA256');
  }
}

// Builds leaf -> ... -> anchor by issuer and subject names (VDC-PKI-020).
function buildPath(leaf, intermediates, anchor) {
  const path = [leaf];
  let current = leaf;
  const pool = intermediates.slice();
  while (!current.issuer.equals(anchor.subject)) {
    if (path.length >= MAX_PATH - 1) throw err('PathError', 'path longer than four certificates');
    const idx = pool.findIndex((c) => c.subject.equals(current.issuer));
    if (idx < 0) throw err('PathError', 'no path to the trust anchor');
    current = pool.splice(idx, 1)[0];
    path.push(current);
  }
  path.push(anchor);
  return path;
}

function checkSignatures(path) {
  for (let i = 0; i < path.length; i += 1) {
    const issuer = path[Math.min(i + 1, path.length - 1)];
    const key = ec.publicKeyFromPoint(issuer.spki.point);
    if (!ec.verifyDer(key, path[i].tbsRaw, path[i].signature)) {
      throw err('SignatureError', `signature of certificate ${i} does not verify`);
    }
  }
}

function checkConstraints(path, purposeOid) {
  const leaf = path[0];
  for (let i = 1; i < path.length; i += 1) {
    const bc = x509.basicConstraints(path[i]);
    // Certificates below issuer i, other than the leaf, are intermediate CAs.
    if (!bc.cA || (bc.pathLen !== null && i - 1 > bc.pathLen)) {
      throw err('BasicConstraintsError', `issuer ${i} is not a CA for this path`);
    }
  }
  if (x509.basicConstraints(leaf).cA) throw err('BasicConstraintsError', 'the leaf asserts cA');
  for (let i = 1; i < path.length; i += 1) {
    const ku = x509.keyUsageBits(path[i]);
    if (ku === null || !(ku & x509.KU.keyCertSign)) throw err('KeyUsageError', `issuer ${i} lacks keyCertSign`);
  }
  const ku = x509.keyUsageBits(leaf);
  if (ku !== x509.KU.digitalSignature) throw err('KeyUsageError', 'the leaf key usage is not digitalSignature only');
  const eku = x509.extKeyUsage(leaf);
  if (!eku || !eku.includes(purposeOid)) throw err('KeyUsageError', 'the leaf is not for this purpose');
}

function parse(bytes) {
  return x509.parseCertificate(bytes);
}

// Validates leaf (with intermediates) to anchor at `now` for `purpose`; returns
// { path, authorisation } or throws a typed PKI error.
function validatePath({ leaf, intermediates = [], anchor, purpose, now }) {
  const purposeOid = PURPOSES[purpose];
  if (!purposeOid) throw err('bad_request', 'unknown purpose');
  const leafCert = typeof leaf.tbsRaw === 'undefined' ? parse(leaf) : leaf;
  const inter = intermediates.map((c) => (typeof c.tbsRaw === 'undefined' ? parse(c) : c));
  const anchorCert = typeof anchor.tbsRaw === 'undefined' ? parse(anchor) : anchor;
  for (const c of [leafCert, ...inter, anchorCert]) checkAlgorithms(c);
  const path = buildPath(leafCert, inter, anchorCert);
  checkSignatures(path);
  for (const c of path) {
    if (now < c.notBefore || now > c.notAfter) throw err('ValidityError', 'a certificate is outside its validity');
  }
  for (const c of path) {
    const bad = c.extensions.find((e) => e.critical && !KNOWN_CRITICAL.has(e.id));
    if (bad) throw err('CriticalExtensionError', `unknown critical extension ${bad.id}`);
  }
  try {
    checkConstraints(path, purposeOid);
  } catch (e) {
    if (e instanceof VdcError) throw e;
    throw err('CertificateFormatError', `an extension does not decode: ${e.message}`);
  }
  let authorisation = null;
  if (purpose === 'READER_AUTHENTICATION') {
    const ext = x509.extension(leafCert, x509.OID.readerAuthorisation);
    if (!ext) throw err('AuthorisationError', 'reader certificate without its authorisation');
    authorisation = decodeReaderAuthorisation(ext.value);
  }
  return { path, authorisation };
}

module.exports = { PURPOSES, luhnValid, decodeReaderAuthorisation, validatePath, parse };
