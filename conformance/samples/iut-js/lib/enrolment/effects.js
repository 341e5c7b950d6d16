'use strict';
// Effects of the enrolment transitions (spec/enrolment.md). They change the draft of
// the service state that the transition then commits in one save (VDC-ENR-080);
// every outgoing message is an outbox row whose identifier names the enrolment and
// the transition that wrote it (VDC-ENR-081).
const otp = require('./otp');
const issuer = require('./issuer');
const { US } = require('../time');

const DAY = 86400 * US;
const PROOFING_SERVICE = 'identity-proofing.exemple.invalid';

function mail(c, kind, code = null) {
  const to = kind === 'verification-request' ? PROOFING_SERVICE : c.account.email;
  const id = `${c.enr.id}/${c.enr.transitions + 1}/${c.written.length}`;
  const row = { id, enrolment: c.enr.id, kind, to };
  if (code !== null) row.body = otp.sealBody(Buffer.from(c.keys.otpKey, 'hex'), id, code);
  c.draft.outbox.push(row);
  c.written.push(kind);
}

function issueCode(c) {
  const person = otp.current(c.person, c.now);
  const code = otp.draw();
  c.enr.code = { mac: otp.mac(Buffer.from(c.keys.otpKey, 'hex'), c.enr.id, code), issuedAt: c.now, tries: 0, active: true };
  // VDC-OTP-004/012: the new code voids the old one; the failure run goes on.
  c.draft.persons[c.enr.nir] = { ...person, issues: [...person.issues.filter((t) => c.now - t < DAY), c.now] };
  mail(c, 'code', code);
}

function recordCodeResult(c, accepted) {
  const person = otp.current(c.person, c.now);
  const code = { ...c.enr.code };
  if (accepted) {
    code.active = false; // VDC-OTP-003
    c.draft.persons[c.enr.nir] = { ...person, failures: 0 };
  } else {
    code.tries += 1;
    if (code.tries >= otp.TRIES_PER_CODE) code.active = false; // VDC-OTP-014
    const failures = person.failures + 1;
    const locked = failures >= otp.LOCK_AFTER; // VDC-OTP-010
    if (locked) code.active = false;
    c.draft.persons[c.enr.nir] = { ...person, failures, lockedUntil: locked ? c.now + DAY : person.lockedUntil };
  }
  c.enr.code = code;
}

// VDC-ENR-013: the credential is issued, any other active card of the person replaced
// and its credential revoked, in the same transaction.
function activate(c) {
  c.enr.statusIndex = c.draft.nextIndex;
  c.draft.nextIndex += 1;
  const point = Buffer.from(c.enr.device.key, 'hex');
  c.enr.credential = issuer.credentialFor(c.keys, c.account, point, c.enr.statusIndex, c.now).toString('hex');
  for (const other of Object.values(c.draft.enrolments)) {
    if (other.id !== c.enr.id && other.nir === c.enr.nir && other.state === 'ACTIVE') {
      other.state = 'REPLACED';
      other.transitions += 1;
      c.side.push([other.id, ['ACTIVE', 'Superseded', 'always']]);
      if (other.statusIndex !== null) c.draft.revoked.push(other.statusIndex);
    }
  }
}

const EFFECTS = {
  create: () => {},
  'set-route': (c) => {
    c.enr.route = c.event.event === 'ChooseDocument' ? 'document' : 'france-identite';
    if (c.event.event === 'ChooseDocument') c.enr.document = c.event.document;
  },
  'issue-code': issueCode,
  'record-code-result': (c) => recordCodeResult(c, c.branch.guard === 'code-accepted'),
  'store-capture': (c) => {
    c.enr.captures.push({ step: c.enr.state, at: c.now });
  },
  'count-capture-failure': (c) => {
    c.enr.captureFailures[c.enr.state] += 1;
  },
  'delete-captures': (c) => {
    c.enr.captures = []; // VDC-ENR-070
  },
  'mail-rejected': (c) => mail(c, 'rejected'),
  'mail-approved': (c) => mail(c, 'approved'),
  'mail-expired': (c) => mail(c, 'expired'),
  'request-verification': (c) => {
    c.enr.verificationAt = c.now;
    mail(c, 'verification-request');
  },
  'activate-card': activate,
  'revoke-credential': (c) => {
    if (c.enr.statusIndex !== null) c.draft.revoked.push(c.enr.statusIndex);
  },
};

module.exports = { EFFECTS };
