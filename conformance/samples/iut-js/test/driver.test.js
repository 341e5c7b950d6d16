'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { HolderApp } = require('../lib/holder/app');
const { parseInstant } = require('../lib/time');

const MAIN = path.join(__dirname, '..', 'main.js');

// One implementation process spoken to as the suite would (spec/harness.md).
function start(storeDir) {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, VDC_IUT_STORE: storeDir }, stdio: ['pipe', 'pipe', 'inherit'],
  });
  let buf = '';
  const waiting = [];
  const lines = [];
  child.stdout.on('data', (d) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const msg = JSON.parse(buf.slice(0, i));
      buf = buf.slice(i + 1);
      const w = waiting.shift();
      if (w) w(msg);
      else lines.push(msg);
    }
  });
  let id = 0;
  const next = () => (lines.length ? Promise.resolve(lines.shift()) : new Promise((r) => waiting.push(r)));
  const write = (o) => child.stdin.write(`${JSON.stringify(o)}\n`);
  const request = (op, params = {}) => {
    id += 1;
    write({ id, op, params });
    return next();
  };
  return { child, request, next, write };
}

function tmp() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'vdc-js-drv-'));
}

test('a killed holder app comes back with its try counter and history (VDC-HARN-007, VDC-PIN-013)', async () => {
  const dir = tmp();
  try {
    const a = start(dir);
    await a.request('reset');
    assert.deepStrictEqual((await a.request('pin.provision', { code: '480715', now: '2026-06-01T12:00:00Z' })).result, {});
    const wrong = await a.request('pin.unlock', { code: '999990', now: '2026-06-01T12:00:01Z' });
    assert.deepStrictEqual(wrong.result, { outcome: 'wrong-code', triesRemaining: 4, statusWord: '63C4' });
    await a.request('history.record_presentation', { readerRpps: '19999999006', elements: [1], at: '2026-06-01T12:00:02Z', now: '2026-06-01T12:00:02Z' });
    a.child.kill('SIGKILL');
    await new Promise((r) => a.child.on('exit', r));
    const b = start(dir);
    const again = await b.request('pin.unlock', { code: '999990', now: '2026-06-01T12:00:03Z' });
    assert.strictEqual(again.result.triesRemaining, 3);
    const list = await b.request('history.list', { now: '2026-06-01T12:00:04Z' });
    assert.strictEqual(list.result.entries.length, 1);
    b.child.stdin.end();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the reader under test sends its APDUs as transmit messages (spec/harness.md)', async () => {
  const dir = tmp();
  try {
    const a = start(dir);
    const now = '2026-06-01T12:00:00Z';
    // The card side, played here by this implementation's own holder.
    const card = new HolderApp(null);
    const first = await a.request('reader.setup', { trustAnchor: '' });
    const { issuingRoot } = card.setup(Buffer.from(first.result.readerRoot, 'hex'));
    const second = await a.request('reader.setup', { trustAnchor: issuingRoot.toString('hex') });
    assert.strictEqual(second.result.readerRoot, first.result.readerRoot);
    card.arm(parseInstant(now));
    a.write({ id: 99, op: 'reader.read', params: { requested: [1, 2, 4], now } });
    let msg = await a.next();
    let count = 0;
    while (msg.transmit !== undefined) {
      count += 1;
      const response = card.transmit(Buffer.from(msg.transmit, 'hex'), parseInstant(now));
      a.write({ id: msg.id, response: response.toString('hex') });
      msg = await a.next();
    }
    assert.strictEqual(msg.id, 99);
    assert.deepStrictEqual(Object.keys(msg.result.elements), ['1', '2', '4']);
    // SELECT, ESTABLISH SESSION, READ ELEMENTS, GET SIGNER CHAIN: version 2, and a new
    // reader holds no signer chain yet (VDC-NFC-073).
    assert.strictEqual(count, 4);
    a.child.stdin.end();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
