'use strict';
// The cryptographic commands of the holder (spec/sm.md, spec/lean.md): session
// establishment (holder-establish.js), the sealed read with device authentication,
// the signer chain on request and the receipt.
const der = require('../der');
const ec = require('../ec');
const sm = require('./sm');
const { establish, VERSIONS } = require('./holder-establish');
const { compactPresentation } = require('../credential/compact');
const tlv = require('./tlv');
const { sw } = require('./apdu');
const { parseCompactUtc } = require('../time');

const MAX_COMMAND_DATA = Buffer.from([0x10, 0x00]);
const AID = Buffer.from('F0564954414C45', 'hex');

// 6F 56 | 84 07 AID | A5 4B | 80 02 01 02 | 81 41 Qd | 82 02 10 00
const FCI_LENGTH = 88;

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
  return { ephemeralKey: privateKey, fci, keys: null, n: 0, grant: null, version: null };
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
  // VDC-CRED-070: a version 2 session carries the signer by reference.
  const presentation = s.version === 2
    ? compactPresentation(core.deps.credential, chosen)
    : der.eSeq(core.deps.credential.credentialRaw, der.eSeq(...chosen.map((d) => d.raw)));
  const digest = sm.sha256(s.keys.th, opened.pt, presentation);
  const signature = ec.signRaw(core.deps.deviceKey, Buffer.concat([sm.LABEL.deviceAuth, digest]));
  const response = sealResponse(core, cmd, opened.n, Buffer.concat([tlv.encode(0x53, presentation), tlv.encode(0x9e, signature)]));
  core.deps.onEvent({ type: 'Presented', readerRpps: s.grant.rpps, elements: chosen.map((d) => d.id), now });
  core.state = 'READ_DONE';
  return response;
}

// GET SIGNER CHAIN (VDC-NFC-073): the state and version were checked with the order
// of VDC-NFC-042; then the protected command (VDC-SM-034), then an empty plaintext.
function signerChain(core, cmd) {
  const opened = unseal(core, cmd);
  if (!opened) return plain(0x6988);
  if (opened.pt.length) return plain(0x6a80);
  const chain = Buffer.concat(core.deps.credential.chain);
  return sealResponse(core, cmd, opened.n, tlv.encode(0xa2, chain));
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

module.exports = { FCI_LENGTH, newSession, establish, read, signerChain, receipt };
