'use strict';
// Strict DER reader and a small DER writer (spec/credential.md VDC-CRED-030,
// spec/conventions.md: DER only). General ASN.1 libraries accept BER (indefinite
// lengths, non-minimal lengths and integers, constructed strings); the specification
// requires each of those to be refused, so the reader is written against it.
const { VdcError } = require('./errors');

// The outermost value is level 0; a constructed value inside 12 others is the deepest
// accepted (VDC-CRED-030).
const MAX_DEPTH = 12;

class DerError extends VdcError {
  constructor(message) {
    super('DerError', message);
  }
}

const UNIVERSAL_CONSTRUCTED = new Set([0x10, 0x11]); // SEQUENCE, SET

// One TLV: `tag` is the identifier octet, `value` the content, `raw` the whole TLV.
class Node {
  constructor(tag, value, raw, children) {
    this.tag = tag;
    this.value = value;
    this.raw = raw;
    this.children = children;
  }

  get constructed() {
    return (this.tag & 0x20) !== 0;
  }
}

function readHeader(buf, pos, end) {
  if (pos >= end) throw new DerError('truncated: a tag is missing');
  const tag = buf[pos];
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tag');
  if (pos + 1 >= end) throw new DerError('truncated: a length is missing');
  const first = buf[pos + 1];
  let len;
  let hdr = 2;
  if (first < 0x80) {
    len = first;
  } else if (first === 0x80) {
    throw new DerError('indefinite length');
  } else {
    const n = first & 0x7f;
    if (n > 4) throw new DerError('length field longer than four octets');
    if (pos + 2 + n > end) throw new DerError('truncated length field');
    if (buf[pos + 2] === 0) throw new DerError('non-minimal length');
    len = 0;
    for (let i = 0; i < n; i += 1) len = len * 256 + buf[pos + 2 + i];
    if (len < 0x80) throw new DerError('non-minimal length');
    hdr = 2 + n;
  }
  // Checked against the bytes present before anything is allocated (VDC-NFC-902).
  if (len > end - pos - hdr) throw new DerError('length exceeds the bytes present');
  return { tag, start: pos + hdr, end: pos + hdr + len };
}

// Checks what the identifier octet alone decides: no constructed string, no
// primitive SEQUENCE or SET, no constructed value deeper than MAX_DEPTH.
function checkForm(tag, depth) {
  const constructed = (tag & 0x20) !== 0;
  const universal = (tag & 0xc0) === 0;
  if (constructed && universal && !UNIVERSAL_CONSTRUCTED.has(tag & 0x1f)) throw new DerError('constructed string');
  if (!constructed && universal && UNIVERSAL_CONSTRUCTED.has(tag & 0x1f)) throw new DerError('primitive SEQUENCE or SET');
  if (constructed && depth > MAX_DEPTH) throw new DerError('nesting deeper than 12 levels');
}

function parseAt(buf, pos, end, depth) {
  const h = readHeader(buf, pos, end);
  checkForm(h.tag, depth);
  const value = buf.subarray(h.start, h.end);
  const raw = buf.subarray(pos, h.end);
  const constructed = (h.tag & 0x20) !== 0;
  let children = null;
  if (constructed) {
    children = [];
    let p = h.start;
    while (p < h.end) {
      const child = parseAt(buf, p, h.end, depth + 1);
      children.push(child.node);
      p = child.next;
    }
  }
  return { node: new Node(h.tag, value, raw, children), next: h.end };
}

// Decodes exactly one TLV filling the whole buffer.
function decode(buf) {
  if (!Buffer.isBuffer(buf)) buf = Buffer.from(buf);
  const { node, next } = parseAt(buf, 0, buf.length, 0);
  if (next !== buf.length) throw new DerError('trailing bytes');
  return node;
}

// ---- lazy reading, in encoding order (VDC-CRED-032) ----
// A LazyNode knows its own header only; its children are read one at a time through
// a Cursor, so that the first failure met in encoding order is the one reported.
class LazyNode {
  constructor(buf, tag, start, end, rawStart, depth) {
    this.buf = buf;
    this.tag = tag;
    this.value = buf.subarray(start, end);
    this.raw = buf.subarray(rawStart, end);
    this.start = start;
    this.end = end;
    this.depth = depth;
  }

  get constructed() {
    return (this.tag & 0x20) !== 0;
  }

  cursor() {
    return new Cursor(this.buf, this.start, this.end, this.depth + 1);
  }
}

class Cursor {
  constructor(buf, start, end, depth) {
    this.buf = buf;
    this.pos = start;
    this.limit = end;
    this.depth = depth;
  }

  more() {
    return this.pos < this.limit;
  }

  next(what) {
    if (this.pos >= this.limit) throw new DerError(`${what}: missing`);
    const h = readHeader(this.buf, this.pos, this.limit);
    checkForm(h.tag, this.depth);
    const node = new LazyNode(this.buf, h.tag, h.start, h.end, this.pos, this.depth);
    this.pos = h.end;
    return node;
  }

  done(what) {
    if (this.pos !== this.limit) throw new DerError(`${what}: unexpected field`);
  }
}

// The outer value's tag, length and trailing bytes; nothing inside it yet.
function decodeLazy(buf) {
  if (!Buffer.isBuffer(buf)) buf = Buffer.from(buf);
  const c = new Cursor(buf, 0, buf.length, 0);
  const node = c.next('value');
  c.done('trailing bytes after the value');
  return node;
}

// Splits a concatenation of TLVs (for instance certificates back to back).
function decodeAll(buf) {
  const out = [];
  let p = 0;
  while (p < buf.length) {
    const { node, next } = parseAt(buf, p, buf.length, 0);
    out.push(node);
    p = next;
  }
  return out;
}

// ---- typed accessors: each checks the tag and the DER rules of its type ----

function expect(node, tag, what) {
  if (!node || node.tag !== tag) throw new DerError(`${what}: wrong tag`);
  return node;
}

function seq(node, what, tag = 0x30) {
  return expect(node, tag, what).children;
}

function integerBig(node, what, tag = 0x02) {
  const v = expect(node, tag, what).value;
  if (v.length === 0) throw new DerError(`${what}: empty INTEGER`);
  if (v.length > 1 && ((v[0] === 0 && v[1] < 0x80) || (v[0] === 0xff && v[1] >= 0x80))) {
    throw new DerError(`${what}: non-minimal INTEGER`);
  }
  let n = BigInt.asUintN(v.length * 8, BigInt(`0x${v.toString('hex')}`));
  if (v[0] & 0x80) n -= 1n << BigInt(v.length * 8);
  return n;
}

// Small integers as Numbers; anything beyond 2^48 is out of every range we use.
function integer(node, what, tag = 0x02) {
  const n = integerBig(node, what, tag);
  if (n > 2n ** 48n || n < -(2n ** 48n)) return n > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  return Number(n);
}

function octets(node, what, tag = 0x04) {
  return expect(node, tag, what).value;
}

function bitString(node, what) {
  const v = expect(node, 0x03, what).value;
  if (v.length === 0) throw new DerError(`${what}: empty BIT STRING`);
  const unused = v[0];
  if (unused > 7 || (v.length === 1 && unused !== 0)) throw new DerError(`${what}: bad unused bits`);
  if (unused && (v[v.length - 1] & ((1 << unused) - 1)) !== 0) {
    throw new DerError(`${what}: non-zero padding bits`);
  }
  return { unused, bytes: v.subarray(1) };
}

function boolean(node, what) {
  const v = expect(node, 0x01, what).value;
  if (v.length !== 1 || (v[0] !== 0 && v[0] !== 0xff)) throw new DerError(`${what}: non-DER BOOLEAN`);
  return v[0] === 0xff;
}

function oid(node, what) {
  const v = expect(node, 0x06, what).value;
  if (v.length === 0 || (v[v.length - 1] & 0x80)) throw new DerError(`${what}: bad OBJECT IDENTIFIER`);
  const arcs = [];
  let cur = 0n;
  let fresh = true;
  for (const b of v) {
    if (fresh && b === 0x80) throw new DerError(`${what}: non-minimal OBJECT IDENTIFIER`);
    cur = (cur << 7n) | BigInt(b & 0x7f);
    fresh = false;
    if (!(b & 0x80)) {
      arcs.push(cur);
      cur = 0n;
      fresh = true;
    }
  }
  const first = arcs[0] < 80n ? arcs[0] / 40n : 2n;
  const second = arcs[0] - first * 40n;
  return [first, second, ...arcs.slice(1)].join('.');
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

function text(node, what, tag) {
  const v = expect(node, tag, what).value;
  if (tag === 0x0c) {
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(v);
    } catch (e) {
      throw new DerError(`${what}: not UTF-8`);
    }
  }
  return v.toString('latin1');
}

function printableOk(s) {
  return PRINTABLE.test(s);
}

function numericOk(s) {
  return /^[0-9 ]*$/.test(s);
}

// ---- writer ----

function lengthBytes(n) {
  if (n < 0x80) return Buffer.from([n]);
  const bytes = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag, content) {
  const c = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(c.length), c]);
}

function eSeq(...parts) {
  return tlv(0x30, Buffer.concat(parts.flat()));
}

function eSet(...parts) {
  return tlv(0x31, Buffer.concat(parts.flat()));
}

function eInt(value, tag = 0x02) {
  let n = BigInt(value);
  if (n < 0n) throw new Error('negative integers are not written');
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let b = Buffer.from(hex, 'hex');
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(tag, b);
}

// An unsigned big-endian integer given as bytes (certificate serials).
function eIntBytes(bytes) {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i += 1;
  let b = bytes.subarray(i);
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

function eOctets(b, tag = 0x04) {
  return tlv(tag, b);
}

function eBits(bytes, unused = 0) {
  return tlv(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
}

function eBool(v) {
  return tlv(0x01, Buffer.from([v ? 0xff : 0]));
}

function eOid(dotted) {
  const arcs = dotted.split('.').map(BigInt);
  const out = [];
  const all = [arcs[0] * 40n + arcs[1], ...arcs.slice(2)];
  for (let a of all) {
    const chunk = [Number(a & 0x7fn)];
    a >>= 7n;
    while (a > 0n) {
      chunk.unshift(Number(a & 0x7fn) | 0x80);
      a >>= 7n;
    }
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function eUtf8(s, tag = 0x0c) {
  return tlv(tag, Buffer.from(s, 'utf8'));
}

function eAscii(s, tag) {
  return tlv(tag, Buffer.from(s, 'latin1'));
}

module.exports = {
  DerError, Node, LazyNode, Cursor, readHeader, decode, decodeLazy, decodeAll, expect, seq, integer, integerBig, octets, bitString,
  boolean, oid, text, printableOk, numericOk,
  tlv, eSeq, eSet, eInt, eIntBytes, eOctets, eBits, eBool, eOid, eUtf8, eAscii, lengthBytes,
  TAG: {
    BOOLEAN: 0x01, INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06,
    UTF8: 0x0c, NUMERIC: 0x12, PRINTABLE: 0x13, UTCTIME: 0x17, GENTIME: 0x18, SEQUENCE: 0x30, SET: 0x31,
  },
};
