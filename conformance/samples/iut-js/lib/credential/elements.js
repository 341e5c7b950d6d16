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

// Structure first, rules deferred: an encoding error anywhere wins over a format
// error (the order of the error table of spec/credential.md), and the first format
// error is kept to be raised once the whole structure has decoded.
class Deferred {
  constructor() {
    this.first = null;
  }

  note(e) {
    if (!this.first) this.first = e;
  }

  run(fn) {
    try {
      return fn();
    } catch (e) {
      if (e.kind === 'CredentialEncodingError' || !(e instanceof VdcError)) throw e;
      this.note(e);
      return undefined;
    }
  }

  raise() {
    if (this.first) throw this.first;
  }
}

let collector = null; // the Deferred of the decode in progress (decoding is synchronous)

function fmtFail(message) {
  if (!collector) throw fmt(message);
  collector.note(fmt(message));
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

function children(node, what, count) {
  const c = field(() => der.seq(node, what));
  if (count !== undefined && c.length !== count) throw enc(`${what}: ${count} fields expected`);
  return c;
}

function numeric(node, what, tag = 0x12) {
  const s = field(() => der.text(node, what, tag));
  if (!der.numericOk(s)) fmtFail(`${what}: not a NumericString`);
  return s;
}

function checkNir(value, what) {
  if (!der.printableOk(value)) fmtFail(`${what}: not a PrintableString`);
  if (value.length !== 15 || !nir.isValid(value)) fmtFail(`${what}: not a valid canonical NIR`);
  return value;
}

// VDC-CRED-021: 1 to 64 characters, NFC, no control/format/private-use/unassigned,
// no leading or trailing space.
const BAD_NAME_CHARS = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}]/u;
function checkName(value, what) {
  const n = Array.from(value).length;
  if (n < 1 || n > 64) fmtFail(`${what}: 1 to 64 characters`);
  if (value.normalize('NFC') !== value) fmtFail(`${what}: not in NFC`);
  if (BAD_NAME_CHARS.test(value)) fmtFail(`${what}: forbidden character`);
  if (/^\s|\s$/u.test(value)) fmtFail(`${what}: leading or trailing space`);
  return value;
}

function checkBirthDate(value, what) {
  if (!/^\d{8}$/.test(value) || Number(value.slice(0, 4)) < 1800) fmtFail(`${what}: not YYYYMMDD from 1800`);
  return value;
}

function checkCalendar(value, what) {
  if (!/^\d{8}$/.test(value)) fmtFail(`${what}: not YYYYMMDD`);
  if (!isCalendarDate(+value.slice(0, 4), +value.slice(4, 6), +value.slice(6, 8))) {
    fmtFail(`${what}: not a calendar date`);
  }
  return value;
}

function smallInt(node, what, lo, hi, tag = 0x02) {
  const v = field(() => der.integer(node, what, tag));
  if (v < lo || v > hi) fmtFail(`${what}: outside ${lo}..${hi}`);
  return v;
}

function sizedList(list, what, lo, hi) {
  if (list.length < lo || list.length > hi) fmtFail(`${what}: ${lo} to ${hi} entries`);
  return list;
}

function period(node, what) {
  const [s, e] = children(node, what, 2);
  const start = checkCalendar(numeric(s, `${what}.start`), `${what}.start`);
  const end = checkCalendar(numeric(e, `${what}.end`), `${what}.end`);
  if (end < start) fmtFail(`${what}: ends before it starts`);
  return { start, end };
}

function minor(node) {
  const f = children(node, 'minor', 6);
  return {
    nir: checkNir(field(() => der.text(f[0], 'minor.nir', 0x13)), 'minor.nir'),
    family_name: checkName(field(() => der.text(f[1], 'minor.familyName', 0x0c)), 'minor.familyName'),
    given_names: checkName(field(() => der.text(f[2], 'minor.givenNames', 0x0c)), 'minor.givenNames'),
    birth_date: checkBirthDate(numeric(f[3], 'minor.birthDate'), 'minor.birthDate'),
    birth_rank: smallInt(f[4], 'minor.birthRank', 1, 9),
    quality: smallInt(f[5], 'minor.quality', 0, 9),
  };
}

// Decodes the value of the ElementValue alternative `node`; returns { id, value }.
// Format errors go to `later` when given, else are raised after the structure.
function decodeValue(node, later) {
  const own = later || new Deferred();
  const previous = collector;
  collector = own;
  try {
    const out = decodeAny(node);
    if (!later) own.raise();
    return out;
  } finally {
    collector = previous;
  }
}

function decodeAny(node) {
  const cls = node.tag & 0xc0;
  const id = node.tag & 0x1f;
  if (cls !== 0x80 || !NAMES[id] || CONSTRUCTED.has(id) !== node.constructed) {
    throw enc('unknown element tag or wrong form');
  }
  const asTag = (t) => ({ tag: t, value: node.value, raw: node.raw, children: node.children });
  switch (id) {
    case 1: return { id, value: checkNir(field(() => der.text(asTag(0x13), 'nir', 0x13)), 'nir') };
    case 2: return { id, value: checkName(field(() => der.text(asTag(0x0c), 'familyName', 0x0c)), 'familyName') };
    case 3: return { id, value: checkName(field(() => der.text(asTag(0x0c), 'givenNames', 0x0c)), 'givenNames') };
    case 4: return { id, value: checkBirthDate(numeric(asTag(0x12), 'birthDate'), 'birthDate') };
    case 5: return { id, value: smallInt(asTag(0x02), 'birthRank', 1, 9) };
    case 6: return { id, value: smallInt(asTag(0x02), 'quality', 0, 9) };
    case 7: {
      const [r, c, ce] = node.children.length === 3 ? node.children : (() => { throw enc('affiliation: 3 fields expected'); })();
      const regime = numeric(r, 'regime');
      const caisse = numeric(c, 'caisse');
      const centre = numeric(ce, 'centre');
      if (!/^\d{2}$/.test(regime) || !/^\d{3}$/.test(caisse) || !/^\d{4}$/.test(centre)) {
        fmtFail('affiliation: regime 2, caisse 3 and centre 4 digits');
      }
      return { id, value: { regime, caisse, centre } };
    }
    case 8: return { id, value: sizedList(node.children.map((p) => period(p, 'rights')), 'rights', 1, 8) };
    case 9: return {
      id,
      value: sizedList(node.children.map((cv) => {
        const [o, p] = children(cv, 'cover', 2);
        const organisation = numeric(o, 'organisation');
        if (!/^\d{8,10}$/.test(organisation)) fmtFail('organisation: 8 to 10 digits');
        return { organisation, period: period(p, 'cover.period') };
      }), 'complementary', 1, 4),
    };
    default: return { id, value: sizedList(node.children.map(minor), 'minors', 1, 8) };
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

module.exports = { Deferred, NAMES, IDS, MANDATORY, decodeValue, encodeValue, encodeDisclosed, enc, fmt, field, children };
