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
  assert.strictEqual(first.type, 'Receipt');
  assert.strictEqual(first.act, 'GS');
  assert.deepStrictEqual(second.elements, [1, 2]);
});

test('a damaged or public holder store is an error, never a new store (VDC-PIN-023, VDC-PIN-024, VDC-HIST-010)', () => {
  const fs = require('fs');
  const os = require('os');
  const path = require('path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vdc-js-store-'));
  try {
    const now = parseInstant('2026-06-01T12:00:00Z');
    const app = new HolderApp(dir);
    app.recordPresentation({ readerRpps: '19999999006', elements: [1], at: now, now });
    const file = path.join(dir, 'holder.json');
    assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600);
    // A damaged history entry: filing still works, listing reports the damage.
    const state = JSON.parse(fs.readFileSync(file, 'utf8'));
    state.history[0].elements = [0];
    fs.writeFileSync(file, JSON.stringify(state));
    const reopened = new HolderApp(dir);
    reopened.recordPresentation({ readerRpps: '19999999006', elements: [2], at: now, now });
    assert.throws(() => reopened.listHistory(now), /damaged holder store/);
    // A file that does not decode is not a new store, and is left as it was.
    fs.writeFileSync(file, '{not json');
    const broken = new HolderApp(dir);
    assert.throws(() => broken.listHistory(now), /damaged holder store/);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), '{not json');
    // A store others may read is refused.
    fs.writeFileSync(file, JSON.stringify(state));
    fs.chmodSync(file, 0o644);
    assert.throws(() => new HolderApp(dir).listHistory(now), /mode 644/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
