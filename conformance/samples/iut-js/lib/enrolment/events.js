'use strict';
// JSON form of the enrolment events (spec/enrolment.md VDC-ENR-004,
// enrolment-event.schema.json): `event` names it, with exactly its members. Anything
// else is malformed (bad_request) and changes nothing; Superseded has no JSON form.
const { VdcError } = require('../errors');

const isText = (max) => (v) => typeof v === 'string' && Array.from(v).length <= max;
const isBool = (v) => typeof v === 'boolean';
const hexBytes = (min, max) => (v) => typeof v === 'string' && v.length % 2 === 0 && !/[^0-9A-Fa-f]/.test(v)
  && v.length / 2 >= min && v.length / 2 <= max;
const SIDES = new Set(['front', 'back', 'photo-page']);

const FIELDS = {
  StartEnrolment: {
    nir: (v) => typeof v === 'string' && Array.from(v).length >= 1 && Array.from(v).length <= 32,
    deviceOs: (v) => v === 'android' || v === 'ios',
    osVersion: (v) => Number.isInteger(v) && v >= 0 && v <= 999,
    devicePublicKey: (v) => typeof v === 'string' && /^04([0-9A-Fa-f]{2}){64}$/.test(v),
  },
  ChooseFranceIdentite: {},
  FranceIdentiteAsserted: { assertion: hexBytes(1, 4096) },
  ChooseDocument: { document: (v) => typeof v === 'string' && /^[a-z][a-z0-9-]{1,40}$/.test(v) },
  RequestNewCode: {},
  SubmitCode: { code: isText(16) },
  SubmitDocumentVideo: {
    sides: (v) => Array.isArray(v) && v.length >= 1 && v.length <= 3 && v.every((x) => SIDES.has(x)) && new Set(v).size === v.length,
    usable: isBool,
    media: hexBytes(1, 1 << 20),
  },
  SubmitFaceCapture: { kind: (v) => v === 'photo' || v === 'video', usable: isBool, media: hexBytes(1, 1 << 20) },
  PersonalCodeSet: {},
  VerificationDecided: { approved: isBool, reason: isText(200) },
  FirstUnlock: {},
  Tick: {},
  Cancel: {},
};
const OPTIONAL = { VerificationDecided: new Set(['reason']) };

function bad(message) {
  return new VdcError('bad_request', message);
}

function parseEvent(json) {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw bad('an event is a JSON object');
  const fields = Object.prototype.hasOwnProperty.call(FIELDS, json.event) ? FIELDS[json.event] : null;
  if (!fields) throw bad('no event of the table');
  for (const key of Object.keys(json)) {
    if (key !== 'event' && !fields[key]) throw bad(`${json.event} has no member ${key}`);
  }
  const optional = OPTIONAL[json.event] || new Set();
  for (const [key, ok] of Object.entries(fields)) {
    if (!(key in json) && optional.has(key)) continue;
    if (!(key in json) || !ok(json[key])) throw bad(`${json.event}.${key} is missing or malformed`);
  }
  return { ...json };
}

module.exports = { parseEvent, FIELDS };
