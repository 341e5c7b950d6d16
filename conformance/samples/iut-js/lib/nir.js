'use strict';
// NIR validation (spec/nir.md). The checks run in the fixed order of VDC-NIR-005 and
// report exactly one kind: length, format, component:<c> or checksum (VDC-NIR-017).
// Messages name a position, never the input.
const { VdcError } = require('./errors');

const MAX_INPUT = 32; // VDC-NIR-004

function refuse(kind, message) {
  throw new VdcError(kind, message);
}

function isDigit(c) {
  return c >= '0' && c <= '9';
}

// Step 2: each character against the alphabet and the canonical form (NIR-002/003).
function checkCharacters(text) {
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (isDigit(c)) continue;
    if (c === 'A' || c === 'B') continue; // position is checked in step 4
    if (c === ' ' || c === '.' || c === '-') refuse('format', `separator at position ${i + 1}`);
    if (c === 'a' || c === 'b') refuse('format', `lower-case Corsican letter at position ${i + 1}`);
    refuse('format', `character at position ${i + 1} is not an ASCII digit`);
  }
}

function checkLetters(text) {
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c !== 'A' && c !== 'B') continue;
    if (i !== 6 || text[5] !== '2') refuse('format', `letter at position ${i + 1} outside 2A/2B`);
  }
}

function checkPlace(nir) {
  const dep = nir.slice(5, 7);
  if (dep === '2A' || dep === '2B' || (dep >= '01' && dep <= '95' && /^\d\d$/.test(dep))) {
    if (nir.slice(7, 10) === '000') refuse('component:commune', 'commune at positions 8-10 is 000');
    return;
  }
  if (dep === '97' || dep === '98') {
    if (nir.slice(8, 10) === '00') refuse('component:commune', 'overseas commune at positions 9-10 is 00');
    return;
  }
  if (dep === '99') {
    const country = Number(nir.slice(7, 10));
    if (country < 100 || country > 599) refuse('component:country', 'country code at positions 8-10 outside 100-599');
    return;
  }
  refuse('component:department', 'department at positions 6-7 is not used');
}

function checkComponents(nir) {
  const sex = nir[0];
  if ('3478'.includes(sex)) refuse('component:sex', 'provisional number: position 1 is 3, 4, 7 or 8');
  if (sex !== '1' && sex !== '2') refuse('component:sex', 'sex at position 1 is not 1 or 2');
  const month = Number(nir.slice(3, 5));
  if (!((month >= 1 && month <= 12) || (month >= 20 && month <= 42) || month >= 50)) {
    refuse('component:month', 'month at positions 4-5 is not used');
  }
  checkPlace(nir);
  if (nir.slice(10, 13) === '000') refuse('component:order', 'order number at positions 11-13 is 000');
  const key = Number(nir.slice(13, 15));
  if (key < 1 || key > 97) refuse('component:key', 'key at positions 14-15 outside 01-97');
}

// 97 minus the body modulo 97, with 2A read as 19 and 2B as 18 (VDC-NIR-016).
function computeKey(body) {
  const digits = body.replace('2A', '19').replace('2B', '18');
  return 97 - Number(BigInt(digits) % 97n);
}

// Returns the canonical NIR or throws a VdcError with the kind of VDC-NIR-017.
function validate(text) {
  if (typeof text !== 'string') refuse('bad_request', 'nir must be text');
  // Characters are code points; the bound comes before anything is examined.
  if (text.length > 2 * MAX_INPUT || Array.from(text).length > MAX_INPUT) {
    refuse('length', `input longer than ${MAX_INPUT} characters`);
  }
  checkCharacters(Array.from(text));
  if (text.length !== 15) refuse('length', `${text.length} characters instead of 15`);
  checkLetters(text);
  checkComponents(text);
  if (computeKey(text.slice(0, 13)) !== Number(text.slice(13))) refuse('checksum', 'key at positions 14-15 does not match');
  return text;
}

function isValid(text) {
  try {
    validate(text);
    return true;
  } catch (e) {
    return false;
  }
}

module.exports = { validate, isValid, computeKey };
