'use strict';
// JSON form of the enrolment events, as the enrolment trace vectors write them
// (spec gap G1: the specification does not define it yet). Every event is an object
// with `event` naming it and exactly the fields of that event; anything else is a
// bad_request and changes nothing.
const ec = require('../ec');
const { VdcError } = require('../errors');

const isText = (v) => typeof v === 'string';
const isBool = (v) => typeof v === 'boolean';
const isHex = (v) => isText(v) && /^([0-9A-Fa-f]{2})*$/.test(v);

const FIELDS = {
  StartEnrolment: {
    nir: isText, device_os: (v) => v === 'android' || v === 'ios', os_version: Number.isInteger, device_public_key: isHex,
  },
  ChooseFranceIdentite: {},
  ChooseDocument: { document: isText },
  FranceIdentiteAsserted: { nir: isText, birth_date: isText, card_issued_on: isText },
  SubmitCode: { code: isText },
  RequestNewCode: {},
  SubmitDocumentVideo: { sides: (v) => Array.isArray(v) && v.every(isText), usable: isBool, media: isHex },
  SubmitFaceCapture: { kind: (v) => v === 'photo' || v === 'video', usable: isBool, media: isHex },
  PersonalCodeSet: {},
  VerificationDecided: { approved: isBool, reason: isText },
  FirstUnlock: {},
  Cancel: {},
  Tick: {},
  Superseded: {},
};

function bad(message) {
  return new VdcError('bad_request', message);
}

// Returns the event with its fields checked; StartEnrolment gains `device`.
function parseEvent(json) {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw bad('an event is a JSON object');
  const fields = FIELDS[json.event];
  if (!fields) throw bad('unknown event');
  for (const key of Object.keys(json)) {
    if (key !== 'event' && !fields[key]) throw bad(`${json.event} has no field ${key}`);
  }
  for (const [key, ok] of Object.entries(fields)) {
    if (!(key in json) || !ok(json[key])) throw bad(`${json.event}.${key} is missing or malformed`);
  }
  const event = { ...json };
  if (event.event === 'StartEnrolment') {
    const key = Buffer.from(event.device_public_key, 'hex');
    if (!ec.isValidPoint(key)) throw bad('device_public_key is not an uncompressed P-256 point');
    event.device = { os: event.device_os, version: event.os_version, key: event.device_public_key };
  }
  return event;
}

module.exports = { parseEvent, FIELDS };
