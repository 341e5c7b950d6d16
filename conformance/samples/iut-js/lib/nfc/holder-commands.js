'use strict';
// The cryptographic commands of the holder (spec/sm.md): session establishment with
// reader authentication, the sealed read with device authentication, and the receipt.
const der = require('../der');
const ec = require('../ec');
const pki = require('../pki');
const sm = require('./sm');
const tlv = require('./tlv');
const { sw } = require('./apdu');
const { parseCompactUtc } = require('../time');

const VERSIONS = Buffer.from([0x01]);
const MAX_COMMAND_DATA = Buffer.from([0x10, 0x00]);
const AID = Buffer.from('F0564954414C45', 'hex');

// 6F 55 | 84 07 AID | A5 4A | 80 01 01 | 81 41 Qd | 82 02 10 00
const FCI_LENGTH = 87;

function plain(status) {
  return { data: Buffer.alloc(0), status };
}

// A new ephemeral key and the FCI announcing it (VDC-NFC-022, VDC-SM-003).
function newSession() {
  const { privateKey, point } = ec.generateKeyPair();
  const fci = tlv.encode(0x6f, Buffer.concat([
    tlv.encode(0x84, AID),
    tlv.encode(0xa5, Buffer.concat([tlv.encode(0x80, VERSIONS), tlv.encode(0x81, point), tlv.encode(0x82, MAX_COMMAND_DATA)])),
  ]));
  return { ephemeralKey: privateKey, fci, keys: null, n: 0, grant: null };
}

// Splits the A2 value into 1 to 3 TLVs of tag 30 with nothing else; their content is
// not examined here (a 30 TLV that is not a certificate fails validation, 6300).
function splitChain(bytes) {
  const certs = [];
  let pos = 0;
  while (pos < bytes.length) {
    const h = der.readHeader(bytes, pos, bytes.length);
    if (h.tag !== 0x30) return null;
    certs.push(Buffer.from(bytes.subarray(pos, h.end)));
    pos = h.end;
  }
  return certs.length >= 1 && certs.length <= 3 ? certs : null;
}

// Parses ESTABLISH SESSION data in the order of VDC-SM-014; null for anything
// malformed (6A80).
function parseEstablish(data) {
  let v;
  try {
    v = tlv.expectTags(data, [0x80, 0x81, 0xa2, 0x9e]);
  } catch (e) {
    return null;
  }
  const [version, qr, chainBytes, signature] = v;
  if (version.length !== 1 || qr.length !== 65 || signature.length !== 64) return null;
  let certs;
  try {
    certs = splitChain(chainBytes);
  } catch (e) {
    return null;
  }
  if (!certs) return null;
  if (!ec.isValidPoint(qr)) return null; // VDC-SM-002
  if (!VERSIONS.includes(version[0])) return null;
  return { qr: Buffer.from(qr), certs, signature: Buffer.from(signature) };
}

function establish(core, cmd, now) {
  const s = core.session;
  const e = parseEstablish(cmd.data);
  if (!e) return sw(0x6a80);
  let grant;
  try {
    const { path, authorisation } = pki.validatePath({
      leaf: e.certs[0], intermediates: e.certs.slice(1), anchor: core.deps.readerRoot,
      purpose: 'READER_AUTHENTICATION', now,
    });
    grant = { ...authorisation, readerKey: ec.publicKeyFromPoint(path[0].spki.point) };
  } catch (err) {
    core.endSession();
    return sw(0x6300);
  }
  const signed = cmd.data.subarray(0, cmd.data.length - 66);
  const message = Buffer.concat([sm.LABEL.readerAuth, sm.sha256(s.fci, signed)]);
  if (!ec.verifyRaw(grant.readerKey, message, e.signature)) {
    core.endSession();
    return sw(0x6300); // VDC-SM-012
  }
  const z = ec.ecdh(s.ephemeralKey, e.qr);
  s.keys = sm.sessionKeys(z, s.fci, cmd.data);
  s.ephemeralKey = null;
  s.n = 1;
  s.grant = grant;
  core.state = 'ESTABLISHED';
  return sw(0x9000);
}

// Opens a protected command; returns { pt, n } or null after ending the session.
function unseal(core, cmd) {
  const s = core.session;
  const n = s.n;
  const pt = sm.open(s.keys.kRd, n, sm.commandAad(cmd.cla, cmd.ins, cmd.p1, cmd.p2), cmd.data);
  if (!pt) {
    core.endSession(); // VDC-SM-034
    return null;
  }
  s.n = n + 1; // VDC-SM-032
  return { pt, n };
}

function sealResponse(core, cmd, n, plaintext) {
  const aad = Buffer.concat([sm.commandAad(cmd.cla, cmd.ins, cmd.p1, cmd.p2), sm.OK]);
  return { data: sm.seal(core.session.keys.kDr, n, aad, plaintext), status: 0x9000 };
}

function parseRequest(pt) {
  try {
    const [ids] = tlv.expectTags(pt, [0x5c]);
    const list = [...ids];
    if (list.length < 1 || list.length > 32 || new Set(list).size !== list.length) return null;
    if (list.some((id) => id < 1 || id > 127)) return null;
    return list;
  } catch (e) {
    return null;
  }
}

function read(core, cmd, now) {
  const opened = unseal(core, cmd);
  if (!opened) return plain(0x6988);
  const requested = parseRequest(opened.pt);
  if (!requested) return plain(0x6a80); // VDC-NFC-023
  if (!core.deps.isArmed(now)) return plain(0x6982); // VDC-NFC-111
  const s = core.session;
  const held = core.deps.credential.disclosed;
  // VDC-NFC-110 intersection; ascending order as VDC-CRED-016 requires.
  const chosen = held.filter((d) => requested.includes(d.id) && s.grant.allowedElements.includes(d.id));
  if (!chosen.length) return plain(0x6a88); // VDC-NFC-114
  const presentation = der.eSeq(core.deps.credential.credentialRaw, der.eSeq(...chosen.map((d) => d.raw)));
  const digest = sm.sha256(s.keys.th, opened.pt, presentation);
  const signature = ec.signRaw(core.deps.deviceKey, Buffer.concat([sm.LABEL.deviceAuth, digest]));
  const response = sealResponse(core, cmd, opened.n, Buffer.concat([tlv.encode(0x53, presentation), tlv.encode(0x9e, signature)]));
  core.deps.onEvent({ type: 'Presented', readerRpps: s.grant.rpps, elements: chosen.map((d) => d.id), now });
  core.state = 'READ_DONE';
  return response;
}

// Decodes a receipt plaintext (the table of spec/sm.md "Billing receipt").
function parseReceipt(pt) {
  try {
    const [body, signature] = tlv.expectTags(pt, [0x70, 0x9e]);
    const [when, rpps, act, amount] = tlv.expectTags(body, [0x80, 0x81, 0x82, 0x83]);
    const at = parseCompactUtc(when.toString('latin1'));
    if (when.length !== 14 || at === null) return null;
    if (rpps.length !== 11 || !/^\d{11}$/.test(rpps.toString('latin1'))) return null;
    if (act.length < 1 || act.length > 16 || act.some((b) => b < 0x20 || b > 0x7e)) return null;
    if (amount.length !== 4 || signature.length !== 64) return null;
    return {
      body: Buffer.from(body), signature: Buffer.from(signature), at, rpps: rpps.toString('latin1'),
      act: act.toString('latin1'), amountCents: amount.readUInt32BE(0),
    };
  } catch (e) {
    return null;
  }
}

function receipt(core, cmd, now) {
  const opened = unseal(core, cmd);
  if (!opened) return plain(0x6988);
  const s = core.session;
  const r = parseReceipt(opened.pt);
  if (!r || r.rpps !== s.grant.rpps) return plain(0x6a80); // VDC-SM-041
  const message = Buffer.concat([sm.LABEL.receipt, s.keys.th, r.body]);
  if (!ec.verifyRaw(s.grant.readerKey, message, r.signature)) return plain(0x6300);
  const response = sealResponse(core, cmd, opened.n, Buffer.alloc(0));
  // VDC-SM-043: handed to the history (the app files it) before the acknowledgement.
  core.deps.onEvent({
    type: 'ReceiptFiled', readerRpps: s.grant.rpps, practitionerRpps: r.rpps, act: r.act, amountCents: r.amountCents,
    at: r.at, signed: Buffer.from(opened.pt), sessionHash: s.keys.th, now,
  });
  core.state = 'CLOSED';
  return response;
}

module.exports = { FCI_LENGTH, newSession, establish, read, receipt };
