'use strict';
const test = require('node:test');
const assert = require('node:assert');
const otp = require('../lib/enrolment/otp');
const { EnrolmentService } = require('../lib/enrolment/service');
const { parseInstant, US } = require('../lib/time');
const { load, tests, hex } = require('./vectors');

test('codes are drawn by rejection sampling of 32-bit values (VDC-OTP-001)', () => {
  for (const [, t] of tests(load('otp/draws.json'))) {
    const bytes = hex(t.randomBytes);
    let pos = 0;
    const code = otp.drawFrom((n) => {
      const out = bytes.subarray(pos, pos + n);
      pos += n;
      return out;
    });
    assert.strictEqual(code, t.code, `tcId ${t.tcId}`);
  }
});

function run(svc, ids, step, t0) {
  const now = t0 + step.at * US;
  let event = step.event;
  // @code stands for the code of the latest code e-mail, @wrong for that code plus one.
  if (event.event === 'SubmitCode' && (event.code === '@code' || event.code === '@wrong')) {
    const latest = svc.observe(ids[step.slot]).latestCode;
    const code = event.code === '@code' ? latest : String((Number(latest) + 1) % 1000000).padStart(6, '0');
    event = { ...event, code };
  }
  try {
    if (event.event === 'StartEnrolment') {
      const r = svc.start(event, now);
      ids[step.slot] = r.id;
      return r;
    }
    return svc.handle(ids[step.slot], event, now);
  } catch (e) {
    return { refused: e.kind };
  }
}

test('every enrolment trace replays step by step (VDC-ENR-001)', () => {
  const file = load('enrolment/traces.json');
  for (const [, t] of tests(file)) {
    const svc = new EnrolmentService(null);
    svc.setup({});
    const ids = {};
    const t0 = parseInstant(t.startTime);
    for (const step of t.steps) {
      const r = run(svc, ids, step, t0);
      const where = `${t.name} at ${step.at}`;
      if (step.refused) {
        assert.strictEqual(r.refused, step.refused, where);
      } else {
        assert.strictEqual(r.refused, undefined, `${where}: refused ${r.refused}`);
        assert.strictEqual(r.state, step.state, where);
        assert.deepStrictEqual(r.messages, step.messages, where);
      }
      if (ids[step.slot] && step.state) assert.strictEqual(svc.observe(ids[step.slot]).state, step.state, where);
    }
  }
});

test('a persistent service comes back with its state and mails after a restart (VDC-HARN-007)', () => {
  const fs = require('fs');
  const os = require('os');
  const path = require('path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vdc-js-enr-'));
  try {
    const now = parseInstant('2026-01-05T09:00:00Z');
    const svc = new EnrolmentService(dir);
    svc.setup({ persistent: true });
    const key = '04' + '6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296'
      + '4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5';
    const { id } = svc.start({ event: 'StartEnrolment', nir: '290017505612320', deviceOs: 'ios', osVersion: 17, devicePublicKey: key }, now);
    svc.handle(id, { event: 'ChooseDocument', document: 'id-card-fr' }, now + US);
    const again = new EnrolmentService(dir);
    assert.deepStrictEqual(again.observe(id), svc.observe(id));
    assert.deepStrictEqual(again.mailbox(id).mails.map((m) => m.kind), ['code']);
    assert.strictEqual(again.mailbox(id).mails[0].code, svc.observe(id).latestCode);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// An assertion signed with the published test key (VDC-ENR-023).
function assertionFor(nir, birthDate, at) {
  const crypto = require('crypto');
  const { formatInstant } = require('../lib/time');
  const key = hex(load('enrolment/france_identite.json').testGroups[0].key);
  const body = Buffer.from(JSON.stringify({ nir, birthDate, cardIssuedOn: '2022-05-01', issuedAt: formatInstant(at) }));
  return Buffer.concat([crypto.createHmac('sha256', key).update(body).digest(), body]).toString('hex');
}

test('the rules in force on each day of the eligibility vectors (VDC-ENR-011, 014)', () => {
  const { snapshot } = require('../lib/enrolment/directory');
  for (const [, t] of tests(load('enrolment/eligibility.json'))) {
    assert.deepStrictEqual(snapshot(t.day), t.rules, `tcId ${t.tcId}: ${t.comment}`);
  }
});

test('France Identite assertion vectors are accepted or refused (VDC-ENR-023)', () => {
  const assertion = require('../lib/enrolment/assertion');
  for (const [, t] of tests(load('enrolment/france_identite.json'))) {
    const got = assertion.check(hex(t.assertion), parseInstant(t.now));
    assert.strictEqual(Boolean(got), t.result === 'valid', `tcId ${t.tcId}: ${t.comment}`);
  }
});

test('the account vectors start or are refused with the first eligibility reason (VDC-ENR-010, 014)', () => {
  const key = '04' + '6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296'
    + '4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5';
  for (const [, t] of tests(load('enrolment/accounts.json'))) {
    const svc = new EnrolmentService(null);
    svc.setup({});
    let refused = null;
    try {
      svc.start({ event: 'StartEnrolment', nir: t.nir, deviceOs: t.deviceOs, osVersion: t.osVersion, devicePublicKey: key }, parseInstant(t.now));
    } catch (e) {
      refused = e.kind;
    }
    assert.strictEqual(refused, t.refused, `tcId ${t.tcId}: ${t.comment}`);
  }
});

test('activation issues a credential bound to the phone key and replaces the previous card (VDC-ENR-013)', () => {
  const { verifyPresentation } = require('../lib/credential/verify');
  const ec = require('../lib/ec');
  const svc = new EnrolmentService(null);
  svc.setup({});
  const now = parseInstant('2026-01-05T09:00:00Z');
  const activate = (at) => {
    const phone = ec.generateKeyPair().point.toString('hex');
    const { id } = svc.start({ event: 'StartEnrolment', nir: '290017505612320', deviceOs: 'ios', osVersion: 17, devicePublicKey: phone }, at);
    svc.handle(id, { event: 'ChooseFranceIdentite' }, at + US);
    svc.handle(id, { event: 'FranceIdentiteAsserted', assertion: assertionFor('290017505612320', '1990-01-15', at) }, at + 2 * US);
    assert.strictEqual(svc.handle(id, { event: 'PersonalCodeSet' }, at + 3 * US).state, 'ACTIVE');
    return { id, phone };
  };
  const first = activate(now);
  const enr = svc.state.enrolments[first.id];
  const r = verifyPresentation({ presentation: hex(enr.credential), trustAnchor: hex(svc.keys.root), now: now + 10 * US });
  assert.strictEqual(r.devicePoint.toString('hex'), first.phone);
  assert.strictEqual(r.elements['1'], '290017505612320');
  const second = activate(now + 3600 * US);
  assert.strictEqual(svc.observe(first.id).state, 'REPLACED');
  assert.deepStrictEqual(svc.state.revoked, [enr.statusIndex]);
  assert.notStrictEqual(svc.state.enrolments[second.id].statusIndex, enr.statusIndex);
});
