'use strict';
// The reader (spec/nfc.md "Reader behaviour", spec/sm.md): SELECT, ESTABLISH SESSION,
// READ ELEMENTS, with extended APDUs or short ones (chaining and GET RESPONSE). Any
// deviation ends the read with a typed `rejected` error (VDC-NFC-203, VDC-SM-051).
const ec = require('../ec');
const sm = require('./sm');
const tlv = require('./tlv');
const { buildCommand, parseResponse } = require('./apdu');
const { verifyPresentation } = require('../credential/verify');
const { compactUtc } = require('../time');
const { VdcError } = require('../errors');

const AID = Buffer.from('F0564954414C45', 'hex');
const MAX_GET_RESPONSE = 200; // VDC-NFC-203
const SHORT_CHUNK = 255;

function hexSw(code) {
  return code.toString(16).toUpperCase().padStart(4, '0');
}

function rejected(message) {
  return new VdcError('rejected', message);
}

class Reader {
  // pki: { leaf: { der, privateKey }, chain: [leaf DER, ...] }
  constructor({ trustAnchor, statusList, pki, rpps }) {
    this.rpps = rpps;
    this.trustAnchor = trustAnchor;
    this.statusList = statusList || null;
    this.pki = pki;
  }

  // Sends one logical command; collects 61XX parts; returns the data of a 9000.
  // `tolerate` returns { sw } instead of rejecting on a final status word other
  // than 9000 (a refused receipt after a complete read).
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
      if (tolerate && count === 0) return { sw: r.sw, data: Buffer.alloc(0) };
      throw rejected(`status word ${hexSw(r.sw)}`);
    }
    return tolerate ? { sw: r.sw, data: Buffer.concat(parts) } : Buffer.concat(parts);
  }

  establishData(fci, qr) {
    const head = Buffer.concat([
      tlv.encode(0x80, Buffer.from([1])), tlv.encode(0x81, qr), tlv.encode(0xa2, Buffer.concat(this.pki.chain)),
    ]);
    const message = Buffer.concat([sm.LABEL.readerAuth, sm.sha256(fci, head)]);
    return Buffer.concat([head, tlv.encode(0x9e, ec.signRaw(this.pki.leaf.privateKey, message))]);
  }

  async read({ requested, now, extended = true, receipt = null }, transmit) {
    if (!Array.isArray(requested) || requested.length < 1 || requested.length > 32
      || requested.some((i) => !Number.isInteger(i) || i < 1 || i > 127) || new Set(requested).size !== requested.length) {
      throw new VdcError('bad_request', 'requested must list 1 to 32 distinct ids in 1..127');
    }
    const fci = await this.exchange(transmit, { cla: 0x00, ins: 0xa4, p1: 0x04, data: AID, ne: 256, extended: false });
    const qd = parseFci(fci);
    const eph = ec.generateKeyPair(); // VDC-SM-003
    const e = this.establishData(fci, eph.point);
    const established = await this.exchange(transmit, { cla: 0x80, ins: 0x86, data: e, ne: null, extended });
    if (established.length) throw rejected('data with the 9000 of ESTABLISH SESSION'); // VDC-NFC-204
    const keys = sm.sessionKeys(ec.ecdh(eph.privateKey, qd), fci, e);
    const request = tlv.encode(0x5c, Buffer.from(requested));
    const aad = Buffer.from([0x80, 0xcb, 0, 0]);
    const sealed = sm.seal(keys.kRd, 1, aad, request);
    const resp = await this.exchange(transmit, { cla: 0x80, ins: 0xcb, data: sealed, ne: extended ? 65536 : 256, extended });
    const pt = sm.open(keys.kDr, 1, Buffer.concat([aad, sm.OK]), resp);
    if (!pt) throw rejected('the response does not verify');
    const elements = this.check(pt, request, requested, keys, now);
    if (!receipt) return { elements };
    return { elements, receiptAcknowledged: await this.fileReceipt(transmit, keys, receipt, extended) };
  }

  // FILE RECEIPT after a complete read (spec/sm.md "Billing receipt", VDC-SM-040),
  // exchange counter 2. True when the holder acknowledged it.
  async fileReceipt(transmit, keys, { act, amountCents, at }, extended) {
    const amount = Buffer.alloc(4);
    amount.writeUInt32BE(amountCents, 0);
    const body = Buffer.concat([
      tlv.encode(0x80, Buffer.from(compactUtc(at), 'latin1')), tlv.encode(0x81, Buffer.from(this.rpps, 'latin1')),
      tlv.encode(0x82, Buffer.from(act, 'latin1')), tlv.encode(0x83, amount),
    ]);
    const signature = ec.signRaw(this.pki.leaf.privateKey, Buffer.concat([sm.LABEL.receipt, keys.th, body]));
    const aad = Buffer.from([0x80, 0xdb, 0, 0]);
    const sealed = sm.seal(keys.kRd, 2, aad, Buffer.concat([tlv.encode(0x70, body), tlv.encode(0x9e, signature)]));
    const r = await this.exchange(transmit, { cla: 0x80, ins: 0xdb, data: sealed, ne: extended ? 65536 : 256, extended, tolerate: true });
    if (r.sw !== 0x9000) return false;
    const pt = sm.open(keys.kDr, 2, Buffer.concat([aad, sm.OK]), r.data);
    if (!pt || pt.length) throw rejected('the receipt acknowledgement does not verify'); // VDC-NFC-204
    return true;
  }

  check(pt, request, requested, keys, now) {
    let presentation;
    let signature;
    try {
      [presentation, signature] = tlv.expectTags(pt, [0x53, 0x9e]);
    } catch (e) {
      throw rejected('malformed READ ELEMENTS response');
    }
    let result;
    try {
      result = verifyPresentation({
        presentation, trustAnchor: this.trustAnchor, now, statusListDer: this.statusList, requested: [],
      });
    } catch (e) {
      throw rejected(`presentation refused: ${e.kind}`);
    }
    const extra = Object.keys(result.elements).map(Number).filter((id) => !requested.includes(id));
    if (extra.length) throw rejected('the holder disclosed elements that were not requested'); // VDC-NFC-202
    const message = Buffer.concat([sm.LABEL.deviceAuth, sm.sha256(keys.th, request, presentation)]);
    if (!ec.verifyRaw(ec.publicKeyFromPoint(result.devicePoint), message, signature)) {
      throw rejected('the device signature does not verify'); // VDC-SM-051
    }
    return result.elements;
  }
}

// FCI of VDC-NFC-022; returns the device ephemeral key Qd.
function parseFci(fci) {
  try {
    const [inner] = tlv.expectTags(fci, [0x6f]);
    const [aid, prop] = tlv.expectTags(inner, [0x84, 0xa5]);
    const [versions, qd] = tlv.expectTags(prop, [0x80, 0x81, 0x82]);
    if (!aid.equals(AID) || !versions.includes(1) || !ec.isValidPoint(qd)) throw new Error('bad FCI');
    return Buffer.from(qd);
  } catch (e) {
    throw rejected('malformed FCI');
  }
}

module.exports = { Reader, parseFci };
