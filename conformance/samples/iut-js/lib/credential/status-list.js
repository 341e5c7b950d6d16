'use strict';
// Signed status lists (spec/credential.md "Revocation", VDC-CRED-050 to 054).
// Every refusal is a StatusListError.
const der = require('../der');
const ec = require('../ec');
const pki = require('../pki');
const { VdcError } = require('../errors');
const { genTime, decodeChain } = require('./decode');
const { compactUtc } = require('../time');

const MAX_SIZE = 1 << 20;

function bad(message) {
  return new VdcError('StatusListError', message);
}

function guard(fn) {
  try {
    return fn();
  } catch (e) {
    if (e.kind === 'StatusListError') throw e;
    throw bad(`status list does not decode: ${e.message}`);
  }
}

// Decodes a StatusList; returns { tbsRaw, listId, thisUpdate, nextUpdate, size, bits, signature, chain }.
function decode(bytes) {
  return guard(() => {
    const root = der.decode(Buffer.from(bytes));
    const [tbs, sig, ch] = der.seq(root, 'StatusList');
    if (der.seq(root, 'StatusList').length !== 3) throw bad('StatusList: three fields expected');
    const f = der.seq(tbs, 'StatusListTBS');
    if (f.length !== 6) throw bad('StatusListTBS: six fields expected');
    const version = der.integer(f[0], 'version');
    const listId = der.integer(f[1], 'listId');
    const thisUpdate = genTime(f[2], 'thisUpdate');
    const nextUpdate = genTime(f[3], 'nextUpdate');
    const size = der.integer(f[4], 'size');
    const bits = der.bitString(f[5], 'revoked');
    const signature = der.octets(sig, 'signature');
    const certs = decodeChain(der.decodeLazy(Buffer.from(ch.raw)));
    if (version !== 1) throw bad('status list version is not 1');
    if (listId < 0 || listId > 0xffffffff) throw bad('listId outside 0..2^32-1');
    if (nextUpdate <= thisUpdate) throw bad('nextUpdate is not after thisUpdate');
    if (size < 8 || size > MAX_SIZE || size % 8 !== 0) throw bad('size is not a multiple of 8 in 8..2^20');
    if (bits.unused !== 0 || bits.bytes.length * 8 !== size) throw bad('BIT STRING length differs from size');
    if (signature.length !== 64) throw bad('signature is not 64 bytes');
    return {
      tbsRaw: Buffer.from(tbs.raw), listId, thisUpdate, nextUpdate, size,
      bits: Buffer.from(bits.bytes), signature: Buffer.from(signature), chain: certs,
    };
  });
}

function revokedIndices(list) {
  const out = [];
  for (let i = 0; i < list.size; i += 1) if (list.bits[i >> 3] & (0x80 >> (i & 7))) out.push(i);
  return out;
}

function encodeTbs({ listId, thisUpdate, nextUpdate, size, bits }) {
  const gt = (us) => der.eAscii(`${compactUtc(us)}Z`, 0x18);
  return der.eSeq(der.eInt(1), der.eInt(listId), gt(thisUpdate), gt(nextUpdate), der.eInt(size), der.eBits(bits));
}

// The list encoded again from its decoded values (VDC-CRED-054).
function encode(list) {
  return der.eSeq(encodeTbs(list), der.eOctets(list.signature), der.eSeq(...list.chain));
}

function sign(fields, signerKey, chainDer) {
  const tbs = encodeTbs(fields);
  return der.eSeq(tbs, der.eOctets(ec.signRaw(signerKey, tbs)), der.eSeq(...chainDer));
}

// VDC-CRED-051/052/053: returns true when the credential's bit is set.
function checkStatus(bytes, anchor, now, status) {
  const list = decode(bytes);
  let signer;
  try {
    signer = pki.validatePath({
      leaf: list.chain[0], intermediates: list.chain.slice(1), anchor, purpose: 'STATUS_LIST_SIGNING', now,
    }).path[0];
  } catch (e) {
    throw bad(`status-list signer refused: ${e.kind}: ${e.message}`);
  }
  if (!ec.verifyRaw(ec.publicKeyFromPoint(signer.spki.point), list.tbsRaw, list.signature)) {
    throw bad('status list signature does not verify');
  }
  if (now < list.thisUpdate || now > list.nextUpdate) throw bad('status list is not current');
  if (list.listId !== status.listId) throw bad('status list is for another list');
  if (status.index >= list.size) throw bad('credential index beyond the list');
  return (list.bits[status.index >> 3] & (0x80 >> (status.index & 7))) !== 0;
}

module.exports = { decode, encode, revokedIndices, checkStatus, sign };
