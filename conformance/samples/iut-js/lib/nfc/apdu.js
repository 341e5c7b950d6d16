'use strict';
// C-APDU decoding and encoding (spec/nfc.md "APDU encoding", VDC-NFC-010/011/013).
// The body length alone decides the case; a body fitting no case is refused.

// Returns { cla, ins, p1, p2, data, ne (null when absent), extended } or null for
// a malformed APDU (answered 6700 by the holder).
function parseCommand(bytes) {
  if (!bytes || bytes.length < 4) return null;
  const [cla, ins, p1, p2] = bytes;
  const body = bytes.subarray(4);
  const L = body.length;
  const base = { cla, ins, p1, p2, data: Buffer.alloc(0), ne: null, extended: false };
  if (L === 0) return base; // case 1
  if (L === 1) return { ...base, ne: body[0] === 0 ? 256 : body[0] }; // 2S
  const b1 = body[0];
  if (b1 !== 0) {
    if (L === 1 + b1) return { ...base, data: body.subarray(1) }; // 3S
    if (L === 2 + b1) { // 4S
      const le = body[L - 1];
      return { ...base, data: body.subarray(1, 1 + b1), ne: le === 0 ? 256 : le };
    }
    return null;
  }
  if (L === 3) { // 2E
    const le = body.readUInt16BE(1);
    return { ...base, ne: le === 0 ? 65536 : le, extended: true };
  }
  if (L < 3) return null;
  const lc = body.readUInt16BE(1);
  if (lc === 0) return null;
  if (L === 3 + lc) return { ...base, data: body.subarray(3), extended: true }; // 3E
  if (L === 5 + lc) { // 4E
    const le = body.readUInt16BE(3 + lc);
    return { ...base, data: body.subarray(3, 3 + lc), ne: le === 0 ? 65536 : le, extended: true };
  }
  return null;
}

// Builds a C-APDU; short form when it fits unless `extended` is forced (VDC-NFC-012).
function buildCommand(cla, ins, p1, p2, data = Buffer.alloc(0), ne = null, extended = false) {
  const hdr = Buffer.from([cla, ins, p1, p2]);
  const nc = data.length;
  const ext = extended || nc > 255 || (ne !== null && ne > 256);
  if (!ext) {
    const parts = [hdr];
    if (nc) parts.push(Buffer.from([nc]), data);
    if (ne !== null) parts.push(Buffer.from([ne === 256 ? 0 : ne]));
    return Buffer.concat(parts);
  }
  const parts = [hdr];
  if (nc) parts.push(Buffer.from([0, nc >> 8, nc & 0xff]), data);
  if (ne !== null) {
    const le = ne === 65536 ? 0 : ne;
    parts.push(nc ? Buffer.from([le >> 8, le & 0xff]) : Buffer.from([0, le >> 8, le & 0xff]));
  }
  return Buffer.concat(parts);
}

function sw(code) {
  return Buffer.from([code >> 8, code & 0xff]);
}

// Splits an R-APDU into data and status word; null when shorter than two bytes.
function parseResponse(bytes) {
  if (!bytes || bytes.length < 2) return null;
  return { data: bytes.subarray(0, bytes.length - 2), sw: bytes.readUInt16BE(bytes.length - 2) };
}

module.exports = { parseCommand, buildCommand, sw, parseResponse };
