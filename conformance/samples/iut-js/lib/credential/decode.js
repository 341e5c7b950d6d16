'use strict';
// Strict decoding of Presentation, Credential and CredentialTBS (vdc.asn;
// spec/credential.md VDC-CRED-010 to 019, 030, 031). The order of refusals follows
// the error table: encoding, then format (with its subclasses), then missing elements.
const der = require('../der');
const ec = require('../ec');
const el = require('./elements');
const { VdcError } = require('../errors');
const { utcInstant } = require('../time');

const MAX_PRESENTATION = 32768;
const OID_SHA256 = '2.16.840.1.101.3.4.2.1';

function err(kind, message) {
  return new VdcError(kind, message);
}

// GeneralizedTime YYYYMMDDHHMMSSZ only (VDC-CRED-012); anything else is an encoding error.
function genTime(node, what) {
  const s = el.field(() => der.text(node, what, 0x18));
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) throw el.enc(`${what}: not YYYYMMDDHHMMSSZ`);
  const [y, mo, d, h, mi, sec] = m.slice(1).map(Number);
  const t = utcInstant(y, mo, d, h, mi, sec);
  const back = new Date(t / 1000);
  if (back.getUTCMonth() + 1 !== mo || back.getUTCDate() !== d || h > 23 || mi > 59 || sec > 59) {
    throw el.enc(`${what}: not a valid time`);
  }
  return t;
}

// Certificate ::= SEQUENCE { tbsCertificate ANY, signatureAlgorithm, signatureValue }.
function certificateShape(node) {
  const parts = el.children(node, 'certificate', 3);
  if (parts[0].tag !== 0x30) throw el.enc('chain entry is not a certificate');
  const alg = el.children(parts[1], 'signatureAlgorithm');
  if (alg.length < 1 || alg.length > 2) throw el.enc('chain entry is not a certificate');
  el.field(() => der.oid(alg[0], 'signatureAlgorithm'));
  el.field(() => der.bitString(parts[2], 'signatureValue'));
  return Buffer.from(node.raw);
}

function chain(node, later = null) {
  const certs = el.children(node, 'chain');
  if (certs.length < 1) throw el.enc('empty certificate chain');
  const out = certs.map(certificateShape);
  if (certs.length > 3) {
    if (!later) throw el.fmt('certificate chain longer than 3');
    later.note(el.fmt('certificate chain longer than 3'));
  }
  return out;
}

function statusRef(node, later) {
  const [l, i] = el.children(node, 'status', 2);
  const listId = el.field(() => der.integer(l, 'listId'));
  const index = el.field(() => der.integer(i, 'index'));
  later.run(() => {
    if (listId < 0 || listId > 0xffffffff) throw el.fmt('status listId outside 0..2^32-1');
    if (index < 0 || index > 0xfffff) throw el.fmt('status index outside 0..2^20-1');
  });
  return { listId, index };
}

const { Deferred } = el;

function digests(node, later) {
  const list = el.children(node, 'digests').map((d) => {
    const [i, v] = el.children(d, 'elementDigest', 2);
    const id = el.field(() => der.integer(i, 'elementId'));
    const digest = el.field(() => der.octets(v, 'digest'));
    later.run(() => {
      if (id < 1 || id > 127) throw el.fmt('elementId outside 1..127');
      if (!el.NAMES[id]) throw el.fmt(`digest for unknown element ${id}`);
      if (digest.length !== 32) throw el.fmt('digest is not 32 bytes');
    });
    return { id, digest: Buffer.from(digest) };
  });
  later.run(() => {
    if (list.length < 1 || list.length > 16) throw el.fmt('1 to 16 digests');
  });
  return list;
}

function readDeviceKey(node) {
  try {
    return ec.readSpki(node);
  } catch (e) {
    throw el.enc(`devicePublicKey: ${e.message}`);
  }
}

function deviceKey(spki) {
  if (spki.algorithm !== ec.OID_EC_PUBLIC_KEY || spki.curve !== ec.OID_P256 || !ec.isValidPoint(spki.point)) {
    throw err('DeviceKeyError', 'device key is not an uncompressed P-256 point on the curve');
  }
  return spki.point;
}

function tbsFields(node, later) {
  const f = el.children(node, 'CredentialTBS', 8);
  const version = el.field(() => der.integer(f[0], 'version'));
  const serial = el.field(() => der.octets(f[1], 'serial'));
  const validFrom = genTime(f[2], 'validFrom');
  const validUntil = genTime(f[3], 'validUntil');
  const spki = readDeviceKey(f[4]);
  const status = statusRef(f[5], later);
  const digestAlgorithm = el.field(() => der.oid(f[6], 'digestAlgorithm'));
  const list = digests(f[7], later);
  return { f, version, serial: Buffer.from(serial), validFrom, validUntil, spki, status, digestAlgorithm, list };
}

// Checks after the structure: version, fields, algorithm, device key, order.
function tbsRules(t) {
  const { list } = t;
  if (t.version !== 1) throw err('UnsupportedVersionError', `version ${t.version} is not supported`);
  if (t.serial.length !== 16) throw el.fmt('serial is not 16 bytes');
  if (t.validUntil <= t.validFrom) throw el.fmt('validUntil is not after validFrom');
  if (t.digestAlgorithm !== OID_SHA256) throw err('UnsupportedAlgorithmError', 'digest algorithm is not SHA-256');
  const point = deviceKey(t.spki);
  for (let i = 1; i < list.length; i += 1) {
    if (list[i].id <= list[i - 1].id) throw err('ElementOrderError', 'digests not in strictly ascending order');
  }
  return { list, point };
}

function disclosedList(node, later) {
  const items = el.children(node, 'disclosed');
  return items.map((item) => {
    const [s, v] = el.children(item, 'DisclosedElement', 2);
    const salt = el.field(() => der.octets(s, 'salt'));
    const decoded = el.decodeValue(v, later);
    later.run(() => {
      if (salt.length !== 16) throw el.fmt('salt is not 16 bytes');
    });
    return { id: decoded.id, value: decoded.value, salt: Buffer.from(salt), raw: Buffer.from(item.raw) };
  });
}

// Decodes a Presentation strictly; returns its parts or throws a CRED error.
function decodePresentation(bytes) {
  if (!Buffer.isBuffer(bytes)) bytes = Buffer.from(bytes);
  if (bytes.length > MAX_PRESENTATION) throw el.enc('presentation longer than 32768 bytes');
  let root;
  try {
    root = der.decode(bytes);
  } catch (e) {
    throw el.enc(e.message);
  }
  const [cred, disc] = el.children(root, 'Presentation', 2);
  const [tbsNode, sigNode, chainNode] = el.children(cred, 'Credential', 3);
  // The signed credential is decoded and checked before the disclosed elements;
  // within each part every encoding error comes before any format error (the order
  // of the error table; vectors tc27 and tc130; spec gap G22).
  const first = new Deferred();
  const t = tbsFields(tbsNode, first);
  const signature = el.field(() => der.octets(sigNode, 'signature'));
  const certs = chain(chainNode, first);
  // Re-encoding check of VDC-CRED-030: the strict reader accepts only DER, so the
  // received TBS is its own canonical encoding; compare against a rebuild anyway.
  const rebuilt = der.eSeq(...t.f.map((n) => Buffer.from(n.raw)));
  if (!rebuilt.equals(tbsNode.raw)) throw el.enc('CredentialTBS does not re-encode to the same bytes');
  const { list, point } = tbsRules(t);
  if (signature.length !== 64) throw el.fmt('signature is not 64 bytes');
  first.raise();
  const second = new Deferred();
  const disclosed = disclosedList(disc, second);
  second.raise();
  for (let i = 1; i < disclosed.length; i += 1) {
    if (disclosed[i].id <= disclosed[i - 1].id) throw err('ElementOrderError', 'disclosed elements not in strictly ascending order');
  }
  // Ten distinct ascending identifiers at most exist, so the size bound of the
  // module follows from the order check; it is kept for clarity.
  if (disclosed.length > 10) throw el.fmt('more than 10 disclosed elements');
  const held = new Set(list.map((d) => d.id));
  for (const id of el.MANDATORY) {
    if (!held.has(id)) throw err('MissingElementError', `no digest for mandatory element ${id}`);
  }
  return {
    tbsRaw: Buffer.from(tbsNode.raw),
    version: t.version, serial: t.serial, validFrom: t.validFrom, validUntil: t.validUntil,
    status: t.status, digests: list, devicePoint: point, signature: Buffer.from(signature),
    chain: certs, disclosed, credentialRaw: Buffer.from(cred.raw),
  };
}

module.exports = { decodePresentation, genTime, chain, MAX_PRESENTATION, OID_SHA256 };
