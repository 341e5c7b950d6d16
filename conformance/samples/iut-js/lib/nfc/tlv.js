'use strict';
// Strict BER-TLV for the NFC and SM data fields (spec/nfc.md VDC-NFC-030): one- or
// two-byte tags, minimal definite lengths, the defined tags in the defined order.

class TlvError extends Error {}

function readTag(buf, pos) {
  const b = buf[pos];
  if ((b & 0x1f) !== 0x1f) return { tag: b, next: pos + 1 };
  if (pos + 1 >= buf.length) throw new TlvError('truncated tag');
  const b2 = buf[pos + 1];
  if (b2 & 0x80 || b2 < 0x1f) throw new TlvError('tag longer than two bytes or not minimal');
  return { tag: (b << 8) | b2, next: pos + 2 };
}

function readLength(buf, pos) {
  if (pos >= buf.length) throw new TlvError('truncated length');
  const b = buf[pos];
  if (b < 0x80) return { len: b, next: pos + 1 };
  if (b === 0x81) {
    if (pos + 1 >= buf.length) throw new TlvError('truncated length');
    const len = buf[pos + 1];
    if (len < 0x80) throw new TlvError('non-minimal length');
    return { len, next: pos + 2 };
  }
  if (b === 0x82) {
    if (pos + 2 >= buf.length) throw new TlvError('truncated length');
    const len = buf.readUInt16BE(pos + 1);
    if (len < 0x100) throw new TlvError('non-minimal length');
    return { len, next: pos + 3 };
  }
  throw new TlvError('length form not allowed');
}

// Parses the whole buffer as a TLV sequence; returns [{ tag, value }].
function parse(buf) {
  const out = [];
  let pos = 0;
  while (pos < buf.length) {
    const t = readTag(buf, pos);
    const l = readLength(buf, t.next);
    if (l.len > buf.length - l.next) throw new TlvError('length exceeds the data');
    out.push({ tag: t.tag, value: buf.subarray(l.next, l.next + l.len) });
    pos = l.next + l.len;
  }
  return out;
}

// Parses and checks the exact tag list; returns the values in order.
function expectTags(buf, tags) {
  const items = parse(buf);
  if (items.length !== tags.length || items.some((it, i) => it.tag !== tags[i])) {
    throw new TlvError('unexpected tags');
  }
  return items.map((it) => it.value);
}

function lengthBytes(n) {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x100) return Buffer.from([0x81, n]);
  return Buffer.from([0x82, n >> 8, n & 0xff]);
}

function encode(tag, value) {
  const t = tag > 0xff ? Buffer.from([tag >> 8, tag & 0xff]) : Buffer.from([tag]);
  return Buffer.concat([t, lengthBytes(value.length), value]);
}

module.exports = { TlvError, parse, expectTags, encode };
