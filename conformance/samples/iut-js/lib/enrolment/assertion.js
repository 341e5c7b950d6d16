'use strict';
// France Identité assertions (spec/enrolment.md VDC-ENR-023): tag || body, the tag the
// HMAC-SHA256 of the body under the provider's key, the body a closed UTF-8 JSON
// object. Checked in the stated order; any failure is assertion-invalid.
const crypto = require('crypto');
const { FI_KEY, FI_LIFETIME } = require('./directory');
const { parseInstant, isCalendarDate, US } = require('../time');

const MEMBERS = ['birthDate', 'cardIssuedOn', 'issuedAt', 'nir'];
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

function isDate(v) {
  const m = typeof v === 'string' && /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  return Boolean(m) && isCalendarDate(+m[1], +m[2], +m[3]);
}

function parseBody(body) {
  let text;
  let obj;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    obj = JSON.parse(text);
  } catch (e) {
    return null;
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return null;
  if (Object.keys(obj).sort().join(',') !== MEMBERS.join(',')) return null;
  if (typeof obj.nir !== 'string' || !isDate(obj.birthDate) || !isDate(obj.cardIssuedOn)) return null;
  if (typeof obj.issuedAt !== 'string' || !RFC3339.test(obj.issuedAt)) return null;
  try {
    return { ...obj, issuedAtUs: parseInstant(obj.issuedAt) };
  } catch (e) {
    return null;
  }
}

// Returns the asserted identity, or null when the assertion is invalid at `now`.
function check(assertion, now) {
  if (assertion.length < 33 || assertion.length > 4096) return null;
  const tag = assertion.subarray(0, 32);
  const body = assertion.subarray(32);
  const expected = crypto.createHmac('sha256', FI_KEY).update(body).digest();
  if (!crypto.timingSafeEqual(tag, expected)) return null;
  const identity = parseBody(body);
  if (!identity) return null;
  if (now < identity.issuedAtUs || now - identity.issuedAtUs > FI_LIFETIME * US) return null;
  return identity;
}

module.exports = { check };
