'use strict';
const test = require('node:test');
const assert = require('node:assert');
const policy = require('../lib/pin/policy');
const verifier = require('../lib/pin/verifier');
const { HolderApp } = require('../lib/holder/app');
const { parseInstant, US } = require('../lib/time');
const { load, tests, hex } = require('./vectors');

test('the blocklist built from classes K, M, S, B, O and P holds 588 codes (VDC-PIN-007)', () => {
  assert.strictEqual(policy.BLOCKLIST.size, 588);
});

test('every personal-code policy vector is accepted or refused by its first rule (VDC-PIN-005)', () => {
  for (const [group, t] of tests(load('pin/pin_policy.json'))) {
    const r = policy.refusal(t.code, group.birthDate);
    assert.strictEqual(r ? r.rule : 'valid', t.result === 'valid' ? 'valid' : t.refusedBy, `tcId ${t.tcId}: ${t.comment}`);
  }
});

test('the second entry must equal the first (VDC-PIN-008)', () => {
  assert.throws(() => policy.check('480715', { confirmation: '480716' }), (e) => e.kind === 'mismatch');
  policy.check('480715', { confirmation: '480715' });
});

test('Argon2id verifiers match the vectors (VDC-PIN-009, VDC-PIN-010)', async () => {
  for (const [group, t] of tests(load('pin/pin_verifier.json'))) {
    const digest = await verifier.derive(t.code, hex(t.salt), group);
    assert.strictEqual(digest.toString('hex') === t.digest, t.result === 'valid', `tcId ${t.tcId}`);
  }
});

test('the try counter follows the vectors (VDC-PIN-012 to 015)', async () => {
  const file = load('pin/pin_counter.json');
  const now = parseInstant('2026-06-01T12:00:00Z');
  for (const [group, t] of tests(file)) {
    const app = new HolderApp(null, { pinParameters: verifier.TEST_ONLY });
    await app.provisionPin(group.personalCode, now);
    for (const a of t.attempts) {
      if (!policy.isFormatOk(a.code)) {
        await assert.rejects(app.unlock(a.code, now), (e) => e.kind === 'format');
        continue;
      }
      const r = await app.unlock(a.code, now);
      assert.deepStrictEqual([r.statusWord, r.triesRemaining], [a.statusWord, a.triesRemaining], `tcId ${t.tcId}`);
    }
  }
});

test('an unlock arms the presentation for 60 s and a later attempt closes it (VDC-PIN-017)', async () => {
  const t0 = parseInstant('2026-06-01T12:00:00Z');
  const app = new HolderApp(null, { pinParameters: verifier.TEST_ONLY });
  await app.provisionPin('480715', t0);
  assert.strictEqual((await app.unlock('480715', t0)).outcome, 'unlocked');
  assert.ok(app.isArmed(t0 + 59 * US));
  assert.ok(!app.isArmed(t0 + 60 * US));
  await app.unlock('999990', t0 + 10 * US);
  assert.ok(!app.isArmed(t0 + 11 * US));
});
