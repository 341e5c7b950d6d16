'use strict';
// The reader (spec/nfc.md "Reader behaviour", spec/sm.md, spec/lean.md): SELECT,
// ESTABLISH SESSION in the highest version both sides speak, READ ELEMENTS, in
// version 2 GET SIGNER CHAIN when it lacks the chain a compact presentation names,
// then FILE RECEIPT; with extended APDUs or short ones (chaining and GET RESPONSE).
// Any deviation ends the read with a typed `rejected` error (VDC-NFC-203, VDC-SM-051).
const ec = require('../ec');
const sm = require('./sm');
const tlv = require('./tlv');
const lean = require('./reader-lean');
const { buildCommand, parseResponse } = require('./apdu');
const { verifyPresentation } = require('../credential/verify');
const { compactUtc } = require('../time');
const { rejected } = require('./reader-errors');
const { VdcError } = require('../errors');

const AID = Buffer.from('F0564954414C45', 'hex');
const MAX_GET_RESPONSE = 200; // VDC-NFC-203
const SHORT_CHUNK = 255;
const SPOKEN = [1, 2]; // the protocol versions this reader speaks

function hexSw(code) {
  return code.toString(16).toUpperCase().padStart(4, '0');
}

class Reader {
  // pki: { leaf: { der, privateKey }, chain: [leaf DER, ...] }
  constructor({ trustAnchor, statusList, pki, rpps, versions = SPOKEN }) {
    this.rpps = rpps;
    this.trustAnchor = trustAnchor;
    this.statusList = statusList || null;
    this.pki = pki;
    this.versions = versions;
    this.chainAccepted = false; // VDC-SM-060: a session established with this chain
    this.signers = new lean.SignerChains();
  }

  // Sends one logical command; collects 61XX parts; returns the data of a 9000.
  // `tolerate` returns { sw, data } instead of rejecting on a final status word
  // other than 9000 answered in one part (a refused receipt after a complete read,
  // 6A88 to a version 2 reference).
  async exchange(transmit, { cla, ins, p1 = 0, p2 = 0, data, ne, extended, tolerate = false }) {
    let frames;
    if (extended || data.length <= SHORT_CHUNK) {
      frames = [buildCommand(cla, ins, p1, p2, data, ne, extended)];
    } else {
      frames = [];
      for (let i = 0; i < data.length; i += SHORT_CHUNK) {
        const last = i + SHORT_CHUNK >= data.length;
        frames.push(buildCommand(last ? cla : cla | 0x10, ins, p1, p2, data.subarray(i, i + SHORT_CHUNK), last ? ne : null));
      }
    }
    let r;
    for (const f of frames) {
      r = parseResponse(await transmit(f));
      if (!r) throw rejected('malformed response');
      if (f !== frames[frames.length - 1] && r.sw !== 0x9000) throw rejected(`status word ${hexSw(r.sw)}`);
    }
    const parts = [r.data];
    let count = 0;
    while ((r.sw & 0xff00) === 0x6100) {
      count += 1;
      if (count > MAX_GET_RESPONSE) throw rejected('the holder announces more data without end');
      const le = r.sw & 0xff;
      r = parseResponse(await transmit(buildCommand(0x00, 0xc0, 0, 0, Buffer.alloc(0), le === 0 ? 256 : le)));
      if (!r) throw rejected('malformed response');
      parts.push(r.data);
    }
    if (r.sw !== 0x9000) {
      if (tolerate && count === 0) return { sw: r.sw, data: Buffer.from(r.data) };
      throw rejected(`status word ${hexSw(r.sw)}`);
    }
    return tolerate ? { sw: r.sw, data: Buffer.concat(parts) } : Buffer.concat(parts);
  }

  // The ESTABLISH SESSION data field: version 1 (VDC-SM-010) or version 2 with the
  // chain or its reference (VDC-SM-060), signed over the field as sent (VDC-SM-011).
  establishData(fci, qr, version, byReference) {
    const chain = Buffer.concat(this.pki.chain);
    const head = Buffer.concat([
      tlv.encode(0x80, Buffer.from([version])), tlv.encode(0x81, qr),
      byReference ? tlv.encode(0x83, lean.reference(chain)) : tlv.encode(0xa2, chain),
    ]);
    const message = Buffer.concat([sm.LABEL.readerAuth, sm.sha256(fci, head)]);
    return Buffer.concat([head, tlv.encode(0x9e, ec.signRaw(this.pki.leaf.privateKey, message))]);
  }

  // Returns the data field the holder accepted. In version 2 the reference goes first
  // when this chain was accepted before, the chain after a 6A88 (VDC-SM-060, VDC-SM-062).
  async establish(transmit, fci, qr, version, extended) {
    const send = (data) => this.exchange(transmit, { cla: 0x80, ins: 0x86, data, ne: null, extended, tolerate: true });
    const byReference = version === 2 && this.chainAccepted;
    let e = this.establishData(fci, qr, version, byReference);
    let r = await send(e);
    if (byReference && r.sw === 0x6a88 && !r.data.length) {
      e = this.establishData(fci, qr, version, false);
      r = await send(e);
    }
    if (r.sw !== 0x9000) throw rejected(`status word ${hexSw(r.sw)}`);
    if (r.data.length) throw rejected('data with the 9000 of ESTABLISH SESSION'); // VDC-NFC-204
    this.chainAccepted = true;
    return e;
  }

  async read({ requested, now, extended = true, receipt = null }, transmit) {
    if (!Array.isArray(requested) || requested.length < 1 || requested.length > 32
      || requested.some((i) => !Number.isInteger(i) || i < 1 || i > 127) || new Set(requested).size !== requested.length) {
      throw new VdcError('bad_request', 'requested must list 1 to 32 distinct ids in 1..127');
    }
    const fci = await this.exchange(transmit, { cla: 0x00, ins: 0xa4, p1: 0x04, data: AID, ne: 256, extended: false });
    const { qd, versions } = parseFci(fci);
    const version = lean.chooseVersion(versions, this.versions); // VDC-NFC-071
    const eph = ec.generateKeyPair(); // VDC-SM-003
    const e = await this.establish(transmit, fci, eph.point, version, extended);
    const keys = sm.sessionKeys(ec.ecdh(eph.privateKey, qd), fci, e);
    const session = { transmit, keys, extended, n: 1 };
    const request = tlv.encode(0x5c, Buffer.from(requested));
    const pt = await this.protectedExchange(session, 0xcb, request);
    const elements = version === 2
      ? await this.checkCompact(session, pt, request, requested, now)
      : this.check(pt, request, requested, keys, now);
    if (!receipt) return { elements };
    return { elements, receiptAcknowledged: await this.fileReceipt(session, receipt) };
  }

  // One protected command of exchange `session.n` (VDC-SM-030 to 033); returns the
  // opened response plaintext of a 9000, or { sw } of another status word when
  // `tolerate`.
  async protectedExchange(session, ins, plaintext, { tolerate = false } = {}) {
    const n = session.n;
    session.n += 1; // VDC-SM-032
    const aad = Buffer.from([0x80, ins, 0, 0]);
    const sealed = sm.seal(session.keys.kRd, n, aad, plaintext);
    const ne = session.extended ? 65536 : 256;
    const r = await this.exchange(session.transmit, { cla: 0x80, ins, data: sealed, ne, extended: session.extended, tolerate });
    const data = tolerate ? r.data : r;
    if (tolerate && r.sw !== 0x9000) return { sw: r.sw };
    const pt = sm.open(session.keys.kDr, n, Buffer.concat([aad, sm.OK]), data);
    if (!pt) throw rejected('the response does not verify'); // VDC-NFC-204
    return tolerate ? { sw: r.sw, pt } : pt;
  }

  // FILE RECEIPT after a complete read (spec/sm.md "Billing receipt", VDC-SM-040),
  // on the next exchange number. True when the holder acknowledged it.
  async fileReceipt(session, { act, amountCents, at }) {
    const amount = Buffer.alloc(4);
    amount.writeUInt32BE(amountCents, 0);
    const body = Buffer.concat([
      tlv.encode(0x80, Buffer.from(compactUtc(at), 'latin1')), tlv.encode(0x81, Buffer.from(this.rpps, 'latin1')),
      tlv.encode(0x82, Buffer.from(act, 'latin1')), tlv.encode(0x83, amount),
    ]);
    const signature = ec.signRaw(this.pki.leaf.privateKey, Buffer.concat([sm.LABEL.receipt, session.keys.th, body]));
    const plaintext = Buffer.concat([tlv.encode(0x70, body), tlv.encode(0x9e, signature)]);
    const r = await this.protectedExchange(session, 0xdb, plaintext, { tolerate: true });
    if (r.sw !== 0x9000) return false;
    if (r.pt.length) throw rejected('the receipt acknowledgement does not verify'); // VDC-NFC-204
    return true;
  }

  // Version 1: `53 L presentation || 9E 40 signature` (VDC-NFC-204, VDC-SM-051).
  check(pt, request, requested, keys, now) {
    const { presentation, signature } = lean.splitReadResponse(pt);
    const result = this.verify(presentation, requested, now);
    lean.checkDeviceSignature(result.devicePoint, keys, request, presentation, signature);
    return result.elements;
  }

  // Version 2 (VDC-CRED-070, VDC-CRED-071, VDC-NFC-073): what can be checked without
  // the signer chain is checked before asking for it; the chain comes from the
  // reader's own store or from GET SIGNER CHAIN, then the version 1 presentation
  // obtained by putting it back is verified as any other.
  async checkCompact(session, pt, request, requested, now) {
    const { presentation, signature } = lean.splitReadResponse(pt);
    const compact = lean.decodeCompactOrReject(presentation);
    lean.checkRequested(compact.disclosed.map((d) => d.id), requested);
    lean.checkDeviceSignature(compact.devicePoint, session.keys, request, presentation, signature);
    let chain = this.signers.get(compact.signerRef);
    if (!chain) chain = lean.parseSignerChain(await this.protectedExchange(session, 0xca, Buffer.alloc(0)));
    const result = this.verify(lean.expandOrReject(compact, chain), requested, now);
    this.signers.remember(compact.signerRef, chain); // only a chain that verified
    return result.elements;
  }

  verify(presentation, requested, now) {
    let result;
    try {
      result = verifyPresentation({
        presentation, trustAnchor: this.trustAnchor, now, statusListDer: this.statusList, requested: [],
      });
    } catch (e) {
      throw rejected(`presentation refused: ${e.kind}`);
    }
    lean.checkRequested(Object.keys(result.elements).map(Number), requested);
    return result;
  }
}

// FCI of VDC-NFC-022; returns the device ephemeral key Qd and the versions offered
// (VDC-NFC-070: one byte each, ascending, without repetition).
function parseFci(fci) {
  try {
    const [inner] = tlv.expectTags(fci, [0x6f]);
    const [aid, prop] = tlv.expectTags(inner, [0x84, 0xa5]);
    const [versions, qd] = tlv.expectTags(prop, [0x80, 0x81, 0x82]);
    if (!aid.equals(AID) || !ec.isValidPoint(qd)) throw new Error('bad FCI');
    if (!versions.length || versions.some((v, i) => i > 0 && v <= versions[i - 1])) throw new Error('bad versions');
    return { qd: Buffer.from(qd), versions: [...versions] };
  } catch (e) {
    throw rejected('malformed FCI');
  }
}

module.exports = { Reader, parseFci, SPOKEN };
