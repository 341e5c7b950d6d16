'use strict';
// ESTABLISH SESSION on the holder side: the version check (VDC-NFC-072), then
// version 1 (VDC-SM-010, VDC-SM-014) or version 2 with the reader chain or its
// reference (spec/lean.md VDC-SM-060, VDC-SM-061, VDC-SM-062, VDC-PKI-060).
const der = require('../der');
const ec = require('../ec');
const pki = require('../pki');
const sm = require('./sm');
const tlv = require('./tlv');
const { sw } = require('./apdu');
const { reference, REFERENCE_LENGTH } = require('../credential/compact');

const VERSIONS = Buffer.from([0x01, 0x02]); // VDC-NFC-070: ascending, no repetition
const TAG = { VERSION: 0x80, QR: 0x81, CHAIN: 0xa2, REFERENCE: 0x83, SIGNATURE: 0x9e };

// Splits the A2 value into 1 to 3 TLVs of tag 30 with nothing else; their content is
// not examined here (a 30 TLV that is not a certificate fails validation, 6300).
function splitChain(bytes) {
  const certs = [];
  let pos = 0;
  try {
    while (pos < bytes.length) {
      const h = der.readHeader(bytes, pos, bytes.length);
      if (h.tag !== 0x30) return null;
      certs.push(Buffer.from(bytes.subarray(pos, h.end)));
      pos = h.end;
    }
  } catch (e) {
    return null;
  }
  return certs.length >= 1 && certs.length <= 3 ? certs : null;
}

// The four TLVs of the data field in the order of VDC-SM-014 (version 1) or
// VDC-SM-061 (version 2, where the third may be the reference 83); null for
// anything malformed (6A80).
function parseFields(data, version) {
  let items;
  try {
    items = tlv.parse(data);
  } catch (e) {
    return null;
  }
  const third = version === 2 ? [TAG.CHAIN, TAG.REFERENCE] : [TAG.CHAIN];
  if (items.length !== 4 || items[0].tag !== TAG.VERSION || items[1].tag !== TAG.QR
    || !third.includes(items[2].tag) || items[3].tag !== TAG.SIGNATURE) return null;
  const [, qr, sent, signature] = items;
  if (qr.value.length !== 65 || signature.value.length !== 64) return null;
  const byReference = sent.tag === TAG.REFERENCE;
  if (byReference && sent.value.length !== REFERENCE_LENGTH) return null;
  const certs = byReference ? null : splitChain(sent.value);
  if (!byReference && !certs) return null;
  if (!ec.isValidPoint(qr.value)) return null; // VDC-SM-002
  return {
    qr: Buffer.from(qr.value), signature: Buffer.from(signature.value), certs,
    ref: byReference ? Buffer.from(sent.value) : reference(sent.value),
    byReference,
  };
}

function grantOf(certs, core, now) {
  const { path, authorisation } = pki.validatePath({
    leaf: certs[0], intermediates: certs.slice(1), anchor: core.deps.readerRoot, purpose: 'READER_AUTHENTICATION', now,
  });
  return { ...authorisation, readerKey: ec.publicKeyFromPoint(path[0].spki.point) };
}

function establish(core, cmd, now) {
  const s = core.session;
  const data = cmd.data;
  // VDC-NFC-072: the version TLV first, whatever follows it.
  if (data.length < 3 || data[0] !== TAG.VERSION || data[1] !== 0x01) return sw(0x6a80);
  const version = data[2];
  if (!VERSIONS.includes(version)) return sw(0x6a81);
  const e = parseFields(data, version);
  if (!e) return sw(0x6a80);
  const memory = core.deps.readers;
  const rootDer = core.deps.readerRoot.der;
  let certs = e.certs;
  let grant;
  if (e.byReference) {
    // VDC-SM-061, VDC-PKI-060: a reference names a chain remembered under this root
    // and valid at `now`, or it is answered 6A88 and the session stays (VDC-SM-062).
    certs = memory ? memory.lookup(rootDer, e.ref) : null;
    if (!certs) return sw(0x6a88);
    try {
      grant = grantOf(certs, core, now);
    } catch (err) {
      memory.forget(rootDer, e.ref);
      return sw(0x6a88);
    }
  } else {
    try {
      grant = grantOf(certs, core, now);
    } catch (err) {
      core.endSession();
      return sw(0x6300); // VDC-SM-012, VDC-SM-014
    }
  }
  const signed = data.subarray(0, data.length - 66);
  const message = Buffer.concat([sm.LABEL.readerAuth, sm.sha256(s.fci, signed)]);
  if (!ec.verifyRaw(grant.readerKey, message, e.signature)) {
    core.endSession();
    return sw(0x6300); // VDC-SM-012, VDC-SM-061: the reference selects, the signature authenticates
  }
  if (memory) memory.remember(rootDer, e.ref, certs);
  const z = ec.ecdh(s.ephemeralKey, e.qr);
  s.keys = sm.sessionKeys(z, s.fci, data);
  s.ephemeralKey = null;
  s.n = 1;
  s.grant = grant;
  s.version = version;
  core.state = 'ESTABLISHED';
  return sw(0x9000);
}

module.exports = { VERSIONS, establish, splitChain };
