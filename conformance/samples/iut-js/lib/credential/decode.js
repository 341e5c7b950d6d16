'use strict';
// Strict decoding of Presentation, Credential and CredentialTBS (vdc.asn;
// spec/credential.md VDC-CRED-010 to 019, 030 to 033). Fields are read in encoding
// order, depth first, each field's encoding checked before its constraints, so that
// the first failure met is the one reported (VDC-CRED-032); encoding and format
// errors are told apart as VDC-CRED-033 says.
const der = require('../der');
const ec = require('../ec');
const el = require('./elements');
const { VdcError } = require('../errors');
const { utcInstant, isCalendarDate } = require('../time');

const MAX_PRESENTATION = 32768;
const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
const { next, done, listOf } = el;

function err(kind, message) {
  return new VdcError(kind, message);
}

// GeneralizedTime: not a DER time is an encoding error, a fraction of a second a
// format error (VDC-CRED-012, VDC-CRED-033).
function genTime(node, what) {
  const s = el.field(() => der.text(node, what, 0x18));
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d*[1-9])?Z$/.exec(s);
  if (!m) throw el.enc(`${what}: not a DER GeneralizedTime`);
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number);
  if (!isCalendarDate(y, mo, d) || h > 23 || mi > 59 || sec > 59) throw el.enc(`${what}: not a calendar time`);
  if (m[7]) throw el.fmt(`${what}: a fraction of a second`);
  return utcInstant(y, mo, d, h, mi, sec);
}

// Certificate ::= SEQUENCE { tbsCertificate ANY, signatureAlgorithm, signatureValue }.
function certificate(cur) {
  const node = next(cur, 'certificate', 0x30);
  const c = node.cursor();
  next(c, 'tbsCertificate', 0x30);
  const alg = next(c, 'signatureAlgorithm', 0x30).cursor();
  el.field(() => der.oid(next(alg, 'algorithm'), 'signatureAlgorithm'));
  if (alg.more()) next(alg, 'parameters');
  done(alg, 'signatureAlgorithm');
  el.field(() => der.bitString(next(c, 'signatureValue'), 'signatureValue'));
  done(c, 'certificate');
  return Buffer.from(node.raw);
}

function chain(node) {
  if (node.tag !== 0x30) throw el.enc('chain: wrong tag');
  return listOf(node, 'certificate chain', 1, 3, certificate);
}

function deviceKey(node) {
  let spki;
  try {
    spki = ec.readSpki(der.decode(node.raw));
  } catch (e) {
    throw el.enc(`devicePublicKey: ${e.message}`);
  }
  if (spki.algorithm !== ec.OID_EC_PUBLIC_KEY || spki.curve !== ec.OID_P256 || !ec.isValidPoint(spki.point)) {
    throw err('DeviceKeyError', 'device key is not an uncompressed P-256 point on the curve');
  }
  return spki.point;
}

function statusRef(node) {
  if (node.tag !== 0x30) throw el.enc('status: wrong tag');
  const cur = node.cursor();
  const listId = el.field(() => der.integer(next(cur, 'listId'), 'listId'));
  if (listId < 0 || listId > 0xffffffff) throw el.fmt('status listId outside 0..2^32-1');
  const index = el.field(() => der.integer(next(cur, 'index'), 'index'));
  if (index < 0 || index > 0xfffff) throw el.fmt('status index outside 0..2^20-1');
  done(cur, 'status');
  return { listId, index };
}

function digest(cur, previous) {
  const f = next(cur, 'elementDigest', 0x30).cursor();
  const id = el.field(() => der.integer(next(f, 'elementId'), 'elementId'));
  if (id < 1 || id > 127) throw el.fmt('elementId outside 1..127');
  if (!el.NAMES[id]) throw el.fmt(`digest for element ${id}, which has no element`);
  const value = el.field(() => der.octets(next(f, 'digest'), 'digest'));
  if (value.length !== 32) throw el.fmt('digest is not 32 bytes');
  done(f, 'elementDigest');
  if (previous.length && id <= previous[previous.length - 1].id) {
    throw err('ElementOrderError', 'digests not in strictly ascending order');
  }
  return { id, digest: Buffer.from(value) };
}

function digests(node) {
  if (node.tag !== 0x30) throw el.enc('digests: wrong tag');
  const list = listOf(node, 'digests', 1, 16, digest);
  const held = new Set(list.map((d) => d.id));
  for (const id of el.MANDATORY) {
    if (!held.has(id)) throw err('MissingElementError', `no digest for mandatory element ${id}`);
  }
  return list;
}

function tbsFields(node) {
  if (node.tag !== 0x30) throw el.enc('CredentialTBS: wrong tag');
  const cur = node.cursor();
  const fields = [];
  const take = (what, tag) => {
    const n = next(cur, what, tag);
    fields.push(n);
    return n;
  };
  const version = el.field(() => der.integer(take('version'), 'version'));
  if (version !== 1) throw err('UnsupportedVersionError', `version ${version} is not supported`);
  const serial = el.field(() => der.octets(take('serial'), 'serial'));
  if (serial.length !== 16) throw el.fmt('serial is not 16 bytes');
  const validFrom = genTime(take('validFrom'), 'validFrom');
  const validUntil = genTime(take('validUntil'), 'validUntil');
  if (validUntil <= validFrom) throw el.fmt('validUntil is not after validFrom');
  const point = deviceKey(take('devicePublicKey', 0x30));
  const status = statusRef(take('status'));
  const algorithm = el.field(() => der.oid(take('digestAlgorithm'), 'digestAlgorithm'));
  if (algorithm !== OID_SHA256) throw err('UnsupportedAlgorithmError', 'digest algorithm is not SHA-256');
  const list = digests(take('digests'));
  done(cur, 'CredentialTBS');
  // Re-encoding check of VDC-CRED-030 when the TBS ends.
  if (!der.eSeq(...fields.map((n) => Buffer.from(n.raw))).equals(node.raw)) {
    throw el.enc('CredentialTBS does not re-encode to the same bytes');
  }
  return { version, serial: Buffer.from(serial), validFrom, validUntil, point, status, list };
}

function disclosedItem(cur, previous) {
  const item = next(cur, 'DisclosedElement', 0x30);
  const f = item.cursor();
  const salt = el.field(() => der.octets(next(f, 'salt'), 'salt'));
  if (salt.length !== 16) throw el.fmt('salt is not 16 bytes');
  const decoded = el.decodeValue(next(f, 'value'));
  done(f, 'DisclosedElement');
  if (previous.length && decoded.id <= previous[previous.length - 1].id) {
    throw err('ElementOrderError', 'disclosed elements not in strictly ascending order');
  }
  return { id: decoded.id, value: decoded.value, salt: Buffer.from(salt), raw: Buffer.from(item.raw) };
}

// The signer field of a CompactCredential (spec/lean.md, VDC-CRED-070).
function signerReference(node) {
  const ref = el.field(() => der.octets(node, 'signer'));
  if (ref.length !== 8) throw el.fmt('signer reference is not 8 bytes');
  return Buffer.from(ref);
}

// Decodes a Presentation strictly, or with `compact` a CompactPresentation (whose
// credential ends with the signer's reference instead of its chain); returns its
// parts or throws a CRED error.
function decodePresentation(bytes, { compact = false } = {}) {
  if (!Buffer.isBuffer(bytes)) bytes = Buffer.from(bytes);
  if (bytes.length > MAX_PRESENTATION) throw el.enc('presentation longer than 32768 bytes');
  const root = el.field(() => der.decodeLazy(bytes));
  if (root.tag !== 0x30) throw el.enc('Presentation: wrong tag');
  const p = root.cursor();
  const cred = next(p, 'Credential', 0x30);
  const c = cred.cursor();
  const tbsNode = next(c, 'CredentialTBS');
  const t = tbsFields(tbsNode);
  const signature = el.field(() => der.octets(next(c, 'signature'), 'signature'));
  if (signature.length !== 64) throw el.fmt('signature is not 64 bytes');
  const certs = compact ? null : chain(next(c, 'chain'));
  const signerRef = compact ? signerReference(next(c, 'signer')) : null;
  done(c, 'Credential');
  const disc = next(p, 'disclosed', 0x30);
  const disclosed = listOf(disc, 'disclosed elements', 0, 10, disclosedItem);
  done(p, 'Presentation');
  return {
    tbsRaw: Buffer.from(tbsNode.raw),
    version: t.version, serial: t.serial, validFrom: t.validFrom, validUntil: t.validUntil,
    status: t.status, digests: t.list, devicePoint: t.point, signature: Buffer.from(signature),
    chain: certs, signerRef, disclosed, credentialRaw: Buffer.from(cred.raw),
  };
}

// Decodes a CertificateChain outside a presentation (status lists).
function decodeChain(node) {
  return chain(node);
}

module.exports = { decodePresentation, genTime, decodeChain, MAX_PRESENTATION, OID_SHA256 };
