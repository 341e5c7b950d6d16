'use strict';
// Checks and guards of the enrolment transition table (spec/enrolment.md, spec/otp.md).
// A check returns the refusal reason or null; a guard returns a boolean. Both read a
// context { draft, enr, person, account, event, now } and change nothing.
const nir = require('../nir');
const otp = require('./otp');
const assertion = require('./assertion');
const { rules } = require('./directory');
const { FINISHED } = require('./table');
const { US } = require('../time');

const DAY = 86400 * US;
const VERIFICATION_WAIT = 48 * 3600 * US; // VDC-ENR-061
const APPROVAL_WAIT = 30 * DAY; // VDC-ENR-062
const MODERN_CARD = '2021-03-15'; // VDC-ENR-021
const CAPTURE_TRIES = 3; // VDC-ENR-035

function utcDate(now) {
  return new Date(Math.floor(now / 1000)).toISOString().slice(0, 10);
}

// Age in whole years on the UTC day of `now`: one more on each anniversary, a
// 29 February birthday passing on 1 March in other years (check old-enough).
function ageOn(birthDate, now) {
  const today = utcDate(now);
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

// VDC-NIR-019 tidying: the bound first, then separators, whitespace, a and b.
function tidyNir(text) {
  if (Array.from(text).length > 32) return null;
  const candidate = text.trim().replace(/[ .-]/g, '').replace(/a/g, 'A').replace(/b/g, 'B');
  return nir.isValid(candidate) ? candidate : null;
}

function osAtLeast(route, device, day) {
  const row = rules.osMinimum(route, day);
  return !row || device.version >= row[device.os];
}

// os-supported: at least the smallest minimum over the routes that list one.
function osSupported(device, day) {
  const minimums = ['france-identite', 'document'].map((r) => rules.osMinimum(r, day)).filter(Boolean);
  return minimums.length === 0 || device.version >= Math.min(...minimums.map((m) => m[device.os]));
}

const CHECKS = {
  'nir-valid': (c) => (c.enr.nir ? null : 'nir-invalid'),
  'account-exists': (c) => (c.account ? null : 'no-insurance-account'),
  'has-carte-vitale': (c) => (c.account.hasCarteVitale ? null : 'no-carte-vitale'),
  'old-enough': (c) => (ageOn(c.account.birthDate, c.now) >= rules.minimumAge(c.day) ? null : 'under-minimum-age'),
  'os-supported': (c) => (osSupported(c.enr.device, c.day) ? null : 'os-not-supported'),
  'none-in-progress': (c) => (Object.values(c.draft.enrolments).some((e) => e.id !== c.enr.id && e.nir === c.enr.nir && !FINISHED.has(e.state))
    ? 'enrolment-in-progress' : null),
  'fi-route-open': (c) => (rules.routeOpen('france-identite', c.day) ? null : 'route-not-open'),
  'os-for-fi': (c) => (osAtLeast('france-identite', c.enr.device, c.day) ? null : 'os-not-supported'),
  'document-route-open': (c) => (rules.routeOpen('document', c.day) ? null : 'route-not-open'),
  'document-accepted': (c) => (rules.document(c.event.document, 'document', c.day) ? null : 'document-not-accepted'),
  'department-open': (c) => (rules.departmentOpen(c.account.department, c.day) ? null : 'department-not-open'),
  'code-issuable': (c) => otp.issueRefusal(c.person, c.now),
  'assertion-valid': (c) => {
    c.asserted = assertion.check(Buffer.from(c.event.assertion, 'hex'), c.now);
    return c.asserted ? null : 'assertion-invalid';
  },
  'assertion-matches': (c) => (c.asserted.nir === c.account.nir && c.asserted.birthDate === c.account.birthDate
    ? null : 'identity-mismatch'),
  'card-modern': (c) => (c.asserted.cardIssuedOn >= rules.modernIdCardFrom() ? null : 'card-not-modern'),
  'code-checkable': (c) => otp.submitRefusal(c.event.code, c.person, c.enr.code, c.now),
  'sides-complete': (c) => {
    const doc = rules.document(c.enr.document, 'document', c.day);
    const needed = doc ? doc.sides : [];
    return needed.every((s) => c.event.sides.includes(s)) ? null : 'capture-sides-missing';
  },
};

function codeRight(c) {
  return otp.matches(Buffer.from(c.keys.otpKey, 'hex'), c.enr.id, c.event.code, c.enr.code);
}

// VDC-ENR-060: idle time counts from the last accepted event, or from the end of a lock.
function idleFrom(c) {
  const lockEnd = c.enr.state === 'LOCKED' && c.person.lockedUntil !== null ? c.person.lockedUntil : 0;
  return Math.max(c.enr.lastEventAt, lockEnd);
}

const GUARDS = {
  always: () => true,
  'idle-elapsed': (c) => c.now - idleFrom(c) > DAY,
  'code-accepted': (c) => codeRight(c),
  'code-wrong-locks': (c) => !codeRight(c) && otp.current(c.person, c.now).failures + 1 >= otp.LOCK_AFTER,
  'code-wrong': (c) => !codeRight(c),
  'capture-usable': (c) => c.event.usable === true,
  'retry-left': (c) => c.enr.captureFailures[c.enr.state] + 1 < CAPTURE_TRIES,
  'route-fi': (c) => c.enr.route === 'france-identite',
  'route-document': (c) => c.enr.route === 'document',
  approved: (c) => c.event.approved === true,
  'verification-timed-out': (c) => c.now - c.enr.verificationAt > VERIFICATION_WAIT,
  'approval-timed-out': (c) => c.now - c.enr.decidedAt > APPROVAL_WAIT,
};

module.exports = { CHECKS, GUARDS, ageOn, utcDate, tidyNir };
