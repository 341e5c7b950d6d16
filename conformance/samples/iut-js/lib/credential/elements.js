'use strict';
// Data elements (spec/credential.md "Data elements", vdc.asn ElementValue): DER
// decoding with the field rules of VDC-CRED-020 to 028, encoding, and the JSON form.
// Structure errors are CredentialEncodingError; rule breaks CredentialFormatError
// (VDC-CRED-031).
const der = require('../der');
const nir = require('../nir');
const { VdcError } = require('../errors');
const { isCalendarDate } = require('../time');

const NAMES = {
  1: 'nir', 2: 'family_name', 3: 'given_names', 4: 'birth_date', 5: 'birth_rank',
  6: 'quality', 7: 'affiliation', 8: 'rights', 9: 'complementary', 10: 'minors',
};
const IDS = Object.fromEntries(Object.entries(NAMES).map(([k, v]) => [v, Number(k)]));
const MANDATORY = [1, 2, 3, 4, 5, 6, 7, 8];
const CONSTRUCTED = new Set([7, 8, 9, 10]);

function enc(message) {
  return new VdcError('CredentialEncodingError', message);
}

function fmt(message) {
  return new VdcError('CredentialFormatError', message);
}

// Wraps the DER accessors so that a structural mismatch is an encoding error.
function field(fn) {
  try {
    return fn();
  } catch (e) {
    if (e instanceof VdcError && e.kind !== 'DerError') throw e;
    throw enc(e.message);
  }
}

// The next field of a constructed value, read in encoding order (VDC-CRED-032).
function next(cursor, what, tag) {
  const node = field(() => cursor.next(what));
  if (tag !== undefined && node.tag !== tag) throw enc(`${what}: wrong tag`);
  return node;
}

function done(cursor, what) {
  field(() => cursor.done(what));
}

// Reads a SEQUENCE OF in order; `max` fails at the first item beyond it, `min` at the end.
function listOf(node, what, min, max, readItem) {
  const cur = node.cursor();
  const out = [];
  while (cur.more()) {
    if (out.length >= max) throw fmt(`${what}: more than ${max} entries`);
    out.push(readItem(cur, out));
  }
  if (out.length < min) throw fmt(`${what}: fewer than ${min} entries`);
  return out;
}

function text(node, what, tag) {
  return field(() => der.text(node, what, tag));
}

function numeric(node, what) {
  const s = text(node, what, 0x12);
  if (!der.numericOk(s)) throw fmt(`${what}: not a NumericString`);
  return s;
}

function checkNir(value, what) {
  if (!der.printableOk(value)) throw fmt(`${what}: not a PrintableString`);
  if (value.length !== 15 || !nir.isValid(value)) throw fmt(`${what}: not a valid canonical NIR`);
  return value;
}

// VDC-CRED-021: 1 to 64 characters, NFC, no control/format/private-use/unassigned,
// no leading or trailing space.
const BAD_NAME_CHARS = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}]/u;
function checkName(value, what) {
  const n = Array.from(value).length;
  if (n < 1 || n > 64) throw fmt(`${what}: 1 to 64 characters`);
  if (value.normalize('NFC') !== value) throw fmt(`${what}: not in NFC`);
  if (BAD_NAME_CHARS.test(value)) throw fmt(`${what}: forbidden character`);
  if (/^\s|\s$/u.test(value)) throw fmt(`${what}: leading or trailing space`);
  return value;
}

function checkBirthDate(value, what) {
  if (!/^\d{8}$/.test(value) || Number(value.slice(0, 4)) < 1800) throw fmt(`${what}: not YYYYMMDD from 1800`);
  return value;
}

function checkCalendar(value, what) {
  if (!/^\d{8}$/.test(value) || !isCalendarDate(+value.slice(0, 4), +value.slice(4, 6), +value.slice(6, 8))) {
    throw fmt(`${what}: not a calendar date`);
  }
  return value;
}

function smallInt(node, what, lo, hi) {
  const v = field(() => der.integer(node, what, node.tag));
  if (v < lo || v > hi) throw fmt(`${what}: outside ${lo}..${hi}`);
  return v;
}

function period(node, what) {
  if (node.tag !== 0x30) throw enc(`${what}: wrong tag`);
  const cur = node.cursor();
  const start = checkCalendar(numeric(next(cur, `${what}.start`), `${what}.start`), `${what}.start`);
  const end = checkCalendar(numeric(next(cur, `${what}.end`), `${what}.end`), `${what}.end`);
  done(cur, what);
  if (end < start) throw fmt(`${what}: ends before it starts`);
  return { start, end };
}

function minor(cur) {
  const node = next(cur, 'minor', 0x30);
  const f = node.cursor();
  const m = {
    nir: checkNir(text(next(f, 'minor.nir'), 'minor.nir', 0x13), 'minor.nir'),
    family_name: checkName(text(next(f, 'minor.familyName'), 'minor.familyName', 0x0c), 'minor.familyName'),
    given_names: checkName(text(next(f, 'minor.givenNames'), 'minor.givenNames', 0x0c), 'minor.givenNames'),
    birth_date: checkBirthDate(numeric(next(f, 'minor.birthDate'), 'minor.birthDate'), 'minor.birthDate'),
    birth_rank: smallInt(next(f, 'minor.birthRank', 0x02), 'minor.birthRank', 1, 9),
    quality: smallInt(next(f, 'minor.quality', 0x02), 'minor.quality', 0, 9),
  };
  done(f, 'minor');
  return m;
}

function affiliation(node) {
  const cur = node.cursor();
  const regime = numeric(next(cur, 'regime'), 'regime');
  if (!/^\d{2}$/.test(regime)) throw fmt('regime: exactly 2 digits');
  const caisse = numeric(next(cur, 'caisse'), 'caisse');
  if (!/^\d{3}$/.test(caisse)) throw fmt('caisse: exactly 3 digits');
  const centre = numeric(next(cur, 'centre'), 'centre');
  if (!/^\d{4}$/.test(centre)) throw fmt('centre: exactly 4 digits');
  done(cur, 'affiliation');
  return { regime, caisse, centre };
}

function cover(cur) {
  const f = next(cur, 'cover', 0x30).cursor();
  const organisation = numeric(next(f, 'organisation'), 'organisation');
  if (!/^\d{8,10}$/.test(organisation)) throw fmt('organisation: 8 to 10 digits');
  const p = period(next(f, 'cover.period'), 'cover.period');
  done(f, 'cover');
  return { organisation, period: p };
}

// Decodes the ElementValue alternative `node` (a LazyNode); returns { id, value }.
function decodeValue(node) {
  const cls = node.tag & 0xc0;
  const id = node.tag & 0x1f;
  if (cls !== 0x80 || !NAMES[id] || CONSTRUCTED.has(id) !== node.constructed) {
    throw enc('unknown element tag or wrong form');
  }
  const as = (t) => ({ tag: t, value: node.value, raw: node.raw });
  switch (id) {
    case 1: return { id, value: checkNir(text(as(0x13), 'nir', 0x13), 'nir') };
    case 2: return { id, value: checkName(text(as(0x0c), 'familyName', 0x0c), 'familyName') };
    case 3: return { id, value: checkName(text(as(0x0c), 'givenNames', 0x0c), 'givenNames') };
    case 4: return { id, value: checkBirthDate(numeric(as(0x12), 'birthDate'), 'birthDate') };
    case 5: return { id, value: smallInt(as(0x02), 'birthRank', 1, 9) };
    case 6: return { id, value: smallInt(as(0x02), 'quality', 0, 9) };
    case 7: return { id, value: affiliation(node) };
    case 8: return { id, value: listOf(node, 'rights', 1, 8, (cur) => period(next(cur, 'rights'), 'rights')) };
    case 9: return { id, value: listOf(node, 'complementary', 1, 4, cover) };
    default: return { id, value: listOf(node, 'minors', 1, 8, minor) };
  }
}

// ---- encoding ----

function ePeriod(p) {
  return der.eSeq(der.eAscii(p.start, 0x12), der.eAscii(p.end, 0x12));
}

function eMinor(m) {
  return der.eSeq(
    der.eAscii(m.nir, 0x13), der.eUtf8(m.family_name), der.eUtf8(m.given_names),
    der.eAscii(m.birth_date, 0x12), der.eInt(m.birth_rank), der.eInt(m.quality),
  );
}

// DER of the ElementValue alternative for element `id` with JSON value `v`.
function encodeValue(id, v) {
  const t = 0x80 | id;
  switch (id) {
    case 1: return der.eAscii(v, t);
    case 2: case 3: return der.eUtf8(v, t);
    case 4: return der.eAscii(v, t);
    case 5: case 6: return der.eInt(v, t);
    case 7: return der.tlv(0xa7, Buffer.concat([
      der.eAscii(v.regime, 0x12), der.eAscii(v.caisse, 0x12), der.eAscii(v.centre, 0x12)]));
    case 8: return der.tlv(0xa8, Buffer.concat(v.map(ePeriod)));
    case 9: return der.tlv(0xa9, Buffer.concat(v.map((c) => der.eSeq(der.eAscii(c.organisation, 0x12), ePeriod(c.period)))));
    case 10: return der.tlv(0xaa, Buffer.concat(v.map(eMinor)));
    default: throw new Error(`unknown element ${id}`);
  }
}

function encodeDisclosed(salt, id, value) {
  return der.eSeq(der.eOctets(salt), encodeValue(id, value));
}

module.exports = {
  NAMES, IDS, MANDATORY, decodeValue, encodeValue, encodeDisclosed, enc, fmt, field, next, done, listOf,
};
