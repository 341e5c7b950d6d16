'use strict';
// Checks and guards of the enrolment transition table (spec/enrolment.md, spec/otp.md).
// A check returns the refusal reason or null; a guard returns a boolean. Both read a
// context { draft, enr, person, account, event, now } and change nothing.
const nir = require('../nir');
const otp = require('./otp');
const { POLICY, inForce } = require('./directory');
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

// Age in whole years on the UTC date of `now`, the birthday itself counting.
function ageOn(birthDate, now) {
  const today = utcDate(now);
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

function osAllowed(route, device, now) {
  const rule = inForce(POLICY.routes[route].minOs, now);
  return Boolean(rule) && device.version >= rule[device.os];
}

function routeOpen(route, now) {
  const rule = inForce(POLICY.routes[route].opens, now);
  return Boolean(rule && rule.open);
}

const CHECKS = {
  'nir-valid': (c) => (nir.isValid(c.event.nir) ? null : 'nir-invalid'),
  'account-exists': (c) => (c.account ? null : 'no-insurance-account'),
  'has-carte-vitale': (c) => (c.account.carteVitale ? null : 'no-carte-vitale'),
  'old-enough': (c) => (ageOn(c.account.birthDate, c.now) >= inForce(POLICY.minimumAge, c.now).years ? null : 'under-minimum-age'),
  'os-supported': (c) => (Object.keys(POLICY.routes).some((r) => osAllowed(r, c.event.device, c.now)) ? null : 'os-not-supported'),
  'none-in-progress': (c) => (Object.values(c.draft.enrolments).some((e) => e.nir === c.event.nir && !FINISHED.has(e.state))
    ? 'enrolment-in-progress' : null),
  'fi-route-open': (c) => (routeOpen('france-identite', c.now) ? null : 'route-not-open'),
  'os-for-fi': (c) => (osAllowed('france-identite', c.enr.device, c.now) ? null : 'os-not-supported'),
  'document-route-open': (c) => (routeOpen('document', c.now) ? null : 'route-not-open'),
  'document-accepted': (c) => {
    const rule = inForce(POLICY.documents, c.now);
    return rule && rule.accepted.includes(c.event.document) ? null : 'document-not-accepted';
  },
  'department-open': (c) => {
    const rule = inForce(POLICY.departments, c.now);
    return rule && (rule.open === 'all' || rule.open.includes(c.account.department)) ? null : 'department-not-open';
  },
  'code-issuable': (c) => otp.issueRefusal(c.person, c.now),
  'assertion-matches': (c) => {
    const e = c.event;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(e.birth_date) || !/^\d{4}-\d{2}-\d{2}$/.test(e.card_issued_on)) return 'assertion-invalid';
    return e.nir === c.enr.nir && e.birth_date === c.account.birthDate ? null : 'identity-mismatch';
  },
  'card-modern': (c) => (c.event.card_issued_on >= MODERN_CARD ? null : 'card-not-modern'),
  'code-checkable': (c) => otp.submitRefusal(c.event.code, c.person, c.enr.code, c.now),
  'sides-complete': (c) => {
    const needed = POLICY.sides[c.enr.document] || [];
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

module.exports = { CHECKS, GUARDS, ageOn, utcDate };
