'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { HolderApp } = require('../lib/holder/app');
const { parseInstant } = require('../lib/time');
const { load, tests } = require('./vectors');

test('entries are shown for seven days to the microsecond, then purged (VDC-HIST-003/004)', () => {
  for (const [group, t] of tests(load('history/history_retention.json'))) {
    const app = new HolderApp(null);
    const at = parseInstant(t.at);
    app.recordPresentation({ readerRpps: '19999999006', elements: [1, 2], at, now: at });
    const listed = app.listHistory(parseInstant(group.now));
    assert.strictEqual(listed.length, t.result === 'valid' ? 1 : 0, `tcId ${t.tcId}: ${t.comment}`);
  }
});

test('entries are listed newest first with only their fields (VDC-HIST-005)', () => {
  const app = new HolderApp(null);
  const now = parseInstant('2026-06-01T12:00:00Z');
  app.recordPresentation({ readerRpps: '19999999006', elements: [1, 2], at: now - 1000, now });
  app.recordReceipt({ practitionerRpps: '19999999006', act: 'GS', amountCents: 2650, at: now, now });
  const [first, second] = app.listHistory(now);
  assert.strictEqual(first.act, 'GS');
  assert.deepStrictEqual(second.elements, [1, 2]);
});
