'use strict';
// Type and range checks of everything read from the holder device store
// (VDC-PIN-024): a value out of type or range is a damaged store, reported with one
// typed error and without changing the store. History entries are checked when the
// history is listed, so that a damaged entry never stops a presentation (VDC-HIST-010).
const { StoreError } = require('../store');
const { checkParameters } = require('../pin/verifier');

const LABEL = 'holder store';
const isHex = (v, bytes) => typeof v === 'string' && /^([0-9a-f]{2})*$/.test(v) && (bytes === undefined || v.length === 2 * bytes);
const isInt = (v, lo, hi) => Number.isSafeInteger(v) && v >= lo && v <= hi;
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function damaged(message) {
  return new StoreError(LABEL, message);
}

function checkPin(pin) {
  const v = pin.verifier;
  if (!isObject(v) || !isHex(v.salt, 16) || !isHex(v.digest) || !checkParameters(v) || v.digest.length !== 2 * v.length) {
    throw damaged('the personal-code verifier is out of type or range');
  }
  if (!isInt(pin.tries, 0, 5)) throw damaged('the try counter is out of range');
}

function checkState(s) {
  if (!isObject(s) || s.schema !== 1) throw damaged('unknown schema version');
  if (s.holder !== null) {
    const h = s.holder;
    if (!isObject(h) || !isHex(h.presentation) || !isHex(h.deviceKey) || !/^[0-9]{8}$/.test(h.birthDate)) {
      throw damaged('the holder record is out of type');
    }
  }
  if (s.readerRoot !== null && !isHex(s.readerRoot)) throw damaged('the reader root is not hexadecimal');
  if (s.pin !== null) {
    if (!isObject(s.pin)) throw damaged('the personal-code record is out of type');
    checkPin(s.pin);
  }
  if (s.armed !== null && (!isObject(s.armed) || !Number.isSafeInteger(s.armed.from) || !Number.isSafeInteger(s.armed.until))) {
    throw damaged('the presentation window is out of type');
  }
  if (!Array.isArray(s.history)) throw damaged('the history is not a list');
  return s;
}

const RPPS = /^[0-9]{11}$/;

function entryValid(e) {
  if (!isObject(e) || !Number.isSafeInteger(e.at) || !Number.isSafeInteger(e.seq)) return false;
  if (e.kind === 'presentation') {
    return RPPS.test(e.readerRpps) && Array.isArray(e.elements) && e.elements.length <= 32 && e.elements.every((id) => isInt(id, 1, 127));
  }
  if (e.kind === 'receipt') {
    return RPPS.test(e.practitionerRpps) && typeof e.act === 'string' && /^[\x20-\x7e]{1,32}$/.test(e.act)
      && isInt(e.amountCents, 0, 0xffffffff);
  }
  return false;
}

module.exports = { checkState, entryValid, damaged };
