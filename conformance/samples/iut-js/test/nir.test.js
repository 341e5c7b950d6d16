'use strict';
const test = require('node:test');
const assert = require('node:assert');
const nir = require('../lib/nir');
const { load, tests } = require('./vectors');

const KINDS = { InvalidLength: 'length', InvalidFormat: 'format', InvalidChecksum: 'checksum' };

function kindOf(input) {
  try {
    nir.validate(input);
    return 'valid';
  } catch (e) {
    return e.kind;
  }
}

test('every NIR vector gets its result and error kind (VDC-NIR-005, VDC-NIR-017)', () => {
  const file = load('nir/nir_test.json');
  let count = 0;
  for (const [, t] of tests(file)) {
    const expected = t.result === 'valid' ? 'valid'
      : (t.error === 'InvalidComponent' ? `component:${t.component}` : KINDS[t.error]);
    assert.strictEqual(kindOf(t.nir), expected, `tcId ${t.tcId}: ${t.comment}`);
    count += 1;
  }
  assert.strictEqual(count, file.numberOfTests);
});

test('refusal messages are one bounded line that never echoes the input (VDC-NIR-017)', () => {
  for (const input of ['185057800608492', '1 85 05 78 006 084 91', '985057800608479', 'x'.repeat(40)]) {
    try {
      nir.validate(input);
      assert.fail('accepted');
    } catch (e) {
      assert.match(e.message, /^[\x20-\x7e]{1,200}$/);
      assert.ok(!e.message.includes(input));
    }
  }
});
