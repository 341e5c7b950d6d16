'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { verifyPresentation, NAMES } = require('../lib/credential/verify');
const statusList = require('../lib/credential/status-list');
const { parseInstant } = require('../lib/time');
const { load, tests, hex } = require('./vectors');

function named(elements) {
  return Object.fromEntries(Object.entries(elements).map(([id, v]) => [NAMES[id], v]));
}

test('every presentation vector verifies or fails with its error type (VDC-CRED-*)', () => {
  const file = load('credential/presentations.json');
  let count = 0;
  for (const [group, t] of tests(file)) {
    const args = {
      presentation: hex(t.presentation), trustAnchor: hex(group.trustAnchor), now: parseInstant(t.now),
      statusListDer: hex(t.statusList), requested: t.requested,
    };
    if (t.result === 'valid') {
      const r = verifyPresentation(args);
      assert.deepStrictEqual(named(r.elements), t.expected, `tcId ${t.tcId}: ${t.comment}`);
    } else {
      assert.throws(() => verifyPresentation(args), (e) => e.kind === t.errorType, `tcId ${t.tcId}: ${t.comment}`);
    }
    count += 1;
  }
  assert.strictEqual(count, file.numberOfTests);
});

test('status lists of the vectors encode again to the same bytes (VDC-CRED-054)', () => {
  const file = load('credential/presentations.json');
  let seen = 0;
  for (const [, t] of tests(file)) {
    if (!t.statusList) continue;
    let list;
    try {
      list = statusList.decode(hex(t.statusList));
    } catch (e) {
      assert.strictEqual(e.kind, 'StatusListError');
      continue;
    }
    assert.ok(statusList.encode(list).equals(hex(t.statusList)), `tcId ${t.tcId}`);
    seen += 1;
  }
  assert.ok(seen >= 5);
});

test('hostile bytes end in a credential error, never another exception (VDC-CRED-900)', () => {
  const file = load('credential/presentations.json');
  const [group, valid] = tests(file).next().value;
  const base = hex(valid.presentation);
  const anchor = hex(group.trustAnchor);
  let seed = 1;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  for (let i = 0; i < 300; i += 1) {
    const mutated = Buffer.from(base);
    for (let k = 0; k < 1 + (i % 4); k += 1) mutated[rand() % mutated.length] ^= 1 << (rand() % 8);
    const cut = i % 3 === 0 ? mutated.subarray(0, rand() % mutated.length) : mutated;
    try {
      verifyPresentation({ presentation: cut, trustAnchor: anchor, now: parseInstant('2026-06-01T12:00:00Z') });
    } catch (e) {
      assert.ok(/Error$/.test(e.kind || ''), `untyped failure: ${e.stack}`);
    }
  }
});

test('the first failure in encoding order is reported (VDC-CRED-032)', () => {
  const der = require('../lib/der');
  const el = require('../lib/credential/elements');
  const { decodePresentation } = require('../lib/credential/decode');
  const file = load('credential/presentations.json');
  const [, valid] = tests(file).next().value;
  const credential = der.decode(hex(valid.presentation)).children[0].raw;
  const salt = Buffer.alloc(16, 7);
  const badNir = el.encodeDisclosed(salt, 1, '185057800608492'); // wrong key: a format error
  const unknownTag = der.eSeq(der.eOctets(salt), der.tlv(0x8b, Buffer.from('x'))); // [11]: an encoding error
  const formatFirst = der.eSeq(credential, der.eSeq(badNir, unknownTag));
  assert.throws(() => decodePresentation(formatFirst), (e) => e.kind === 'CredentialFormatError');
  const encodingFirst = der.eSeq(credential, der.eSeq(unknownTag, badNir));
  assert.throws(() => decodePresentation(encodingFirst), (e) => e.kind === 'CredentialEncodingError');
});
