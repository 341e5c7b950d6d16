'use strict';
// The e-mailed one-time code (spec/otp.md): draw, keyed storage, limits. Functions
// take and return plain state objects so that a transition commits them at once.
const crypto = require('crypto');
const { US } = require('../time');

const VALIDITY = 600 * US; // VDC-OTP-009: accepted at exactly 600 s
const TRIES_PER_CODE = 3; // VDC-OTP-014
const CODES_PER_DAY = 5; // VDC-OTP-006
const LOCK_AFTER = 10; // VDC-OTP-010
const DAY = 86400 * US;
const REJECT_FROM = 4294000000; // largest multiple of 10^6 below 2^32

// VDC-OTP-001: 32-bit big-endian values, rejection sampling, modulo 10^6.
function drawFrom(randomBytes) {
  for (;;) {
    const v = randomBytes(4).readUInt32BE(0);
    if (v < REJECT_FROM) return String(v % 1000000).padStart(6, '0');
  }
}

function draw() {
  return drawFrom((n) => crypto.randomBytes(n));
}

// VDC-OTP-007: only a keyed hash of the code, bound to the enrolment, is kept; the
// input is "VDC-OTP-v1", a zero byte, the identifier's length on two bytes, the
// identifier and the six digits.
function mac(key, enrolmentId, code) {
  const id = Buffer.from(enrolmentId, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(id.length, 0);
  const input = Buffer.concat([Buffer.from('VDC-OTP-v1', 'ascii'), Buffer.from([0]), len, id, Buffer.from(code, 'ascii')]);
  return crypto.createHmac('sha256', key).update(input).digest('hex');
}

// Outbox bodies are sealed under a key derived from the service key, so that the
// database alone never reveals a live code (VDC-OTP-015).
function outboxKey(serviceKey) {
  return Buffer.from(crypto.hkdfSync('sha256', serviceKey, Buffer.alloc(0), Buffer.from('VDC outbox v1'), 32));
}

function sealBody(serviceKey, id, text) {
  const nonce = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', outboxKey(serviceKey), nonce);
  c.setAAD(Buffer.from(id));
  const ct = Buffer.concat([c.update(text, 'utf8'), c.final()]);
  return Buffer.concat([nonce, ct, c.getAuthTag()]).toString('hex');
}

function openBody(serviceKey, id, sealed) {
  const b = Buffer.from(sealed, 'hex');
  const d = crypto.createDecipheriv('aes-256-gcm', outboxKey(serviceKey), b.subarray(0, 12));
  d.setAAD(Buffer.from(id));
  d.setAuthTag(b.subarray(b.length - 16));
  return Buffer.concat([d.update(b.subarray(12, b.length - 16)), d.final()]).toString('utf8');
}

function freshPerson() {
  return { issues: [], failures: 0, lockedUntil: null };
}

// Ends a lock that has lasted 24 hours (VDC-OTP-011); returns the person as of now.
function current(person, now) {
  if (person.lockedUntil !== null && now >= person.lockedUntil) return { ...person, lockedUntil: null, failures: 0 };
  return person;
}

function issueRefusal(person, now) {
  const p = current(person, now);
  if (p.lockedUntil !== null) return 'locked';
  if (p.issues.filter((t) => now - t < DAY).length >= CODES_PER_DAY) return 'code-quota-exceeded';
  return null;
}

// Returns the refusal of a submission before it is compared, or null.
function submitRefusal(code, person, entry, now) {
  if (typeof code !== 'string' || !/^[0-9]{6}$/.test(code)) return 'code-malformed'; // VDC-OTP-002
  if (current(person, now).lockedUntil !== null) return 'locked';
  if (!entry || !entry.active) return 'no-active-code';
  if (now - entry.issuedAt > VALIDITY) return 'code-expired';
  return null;
}

function matches(key, enrolmentId, code, entry) {
  const a = Buffer.from(mac(key, enrolmentId, code), 'hex');
  const b = Buffer.from(entry.mac, 'hex');
  return crypto.timingSafeEqual(a, b); // VDC-OTP-008
}

module.exports = {
  sealBody, openBody, VALIDITY, TRIES_PER_CODE, LOCK_AFTER, DAY, draw, drawFrom, mac, freshPerson, current, issueRefusal, submitRefusal, matches,
};
