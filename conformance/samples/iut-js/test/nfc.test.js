'use strict';
const test = require('node:test');
const assert = require('node:assert');
const hierarchy = require('../lib/hierarchy');
const { HolderApp } = require('../lib/holder/app');
const { Reader } = require('../lib/nfc/reader');
const { parseInstant, US } = require('../lib/time');
const { load, hex } = require('./vectors');

const NOW = parseInstant('2026-06-01T12:00:00Z');

function world({ allowed = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] } = {}) {
  const readerPki = hierarchy.reader({ common: 'Dr EXEMPLE (synthetic)', rpps: '18888888007', profession: '10', allowedElements: allowed });
  const app = new HolderApp(null);
  const { issuingRoot } = app.setup(readerPki.root.der);
  const reader = new Reader({ trustAnchor: issuingRoot, pki: { leaf: readerPki.leaf, chain: [readerPki.leaf.der] }, rpps: '18888888007' });
  const log = [];
  const transmit = async (apdu) => {
    const r = app.transmit(apdu, NOW);
    log.push([apdu, r]);
    return r;
  };
  return { app, reader, transmit, log };
}

test('the reader reads the holder with extended APDUs in three pairs once it holds the signer chain (VDC-NFC-200)', async () => {
  const w = world();
  w.app.arm(NOW);
  await w.reader.read({ requested: [1], now: NOW, extended: true }, w.transmit);
  w.app.takeEvents();
  w.log.length = 0;
  const { elements } = await w.reader.read({ requested: [4, 1, 2], now: NOW, extended: true }, w.transmit);
  assert.deepStrictEqual(Object.keys(elements).sort(), ['1', '2', '4']);
  assert.strictEqual(w.log.length, 3);
  assert.deepStrictEqual(w.app.takeEvents().map((e) => [e.type, e.elements]), [['Presented', [1, 2, 4]]]);
});

test('a receipt after the read is acknowledged and filed in four pairs (VDC-SM-040 to 042)', async () => {
  const w = world();
  w.app.arm(NOW);
  w.reader.versions = [1]; // a version 1 reader: four pairs whatever it holds
  const r = await w.reader.read({ requested: [1], now: NOW, receipt: { act: 'GS', amountCents: 2650, at: NOW } }, w.transmit);
  assert.strictEqual(r.receiptAcknowledged, true);
  assert.strictEqual(w.log.length, 4);
  assert.deepStrictEqual(w.app.takeEvents().map((e) => e.type), ['Presented', 'ReceiptFiled']);
  assert.deepStrictEqual(w.app.listHistory(NOW).map((e) => e.type), ['Receipt', 'Presentation']); // newest first
});

test('short APDUs only: chaining and GET RESPONSE (VDC-NFC-050, 052, 201)', async () => {
  const w = world();
  w.app.arm(NOW);
  const { elements } = await w.reader.read({ requested: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], now: NOW, extended: false }, w.transmit);
  assert.strictEqual(Object.keys(elements).length, 10);
  assert.ok(w.log.every(([c]) => c.length <= 261));
  assert.ok(w.log.some(([c]) => c[1] === 0xc0));
});

test('the holder discloses only what the certificate allows, 6A88 when nothing (VDC-NFC-110, 114)', async () => {
  const w = world({ allowed: [1, 2] });
  w.app.arm(NOW);
  const { elements } = await w.reader.read({ requested: [1, 4], now: NOW }, w.transmit);
  assert.deepStrictEqual(Object.keys(elements), ['1']);
  await assert.rejects(w.reader.read({ requested: [4], now: NOW }, w.transmit), /6A88/);
});

test('no read outside the presentation window (VDC-NFC-111)', async () => {
  const w = world();
  w.app.arm(NOW - 60 * US);
  await assert.rejects(w.reader.read({ requested: [1], now: NOW }, w.transmit), /6982/);
  assert.strictEqual(w.log[w.log.length - 1][1].toString('hex'), '6982');
});

// Transcripts whose status words do not depend on the session keys.
test('the golden transcripts without cryptography give the same status words (VDC-NFC-040, 042, 051)', () => {
  const file = load('nfc/transcripts.json');
  const w = world();
  for (const t of file.testGroups[0].tests.filter((x) => [12, 13, 14].includes(x.tcId))) {
    w.app.transmit(hex('00a4040007a000000003101000'), NOW);
    w.app.fieldOff();
    for (const e of t.exchanges) {
      const got = w.app.transmit(hex(e.command), NOW);
      assert.strictEqual(got.subarray(-2).toString('hex'), e.response.slice(-4), `tcId ${t.tcId} ${e.command.slice(0, 16)}`);
      assert.strictEqual(got.length, e.response.length / 2, `tcId ${t.tcId} length`);
    }
  }
});

test('a reader rejects a malformed FCI and sends nothing after it (VDC-NFC-204, VDC-NFC-205)', async () => {
  const w = world();
  const sent = [];
  const bad = async (apdu) => {
    sent.push(apdu);
    return Buffer.from('6f03840100' + '9000', 'hex');
  };
  await assert.rejects(w.reader.read({ requested: [1], now: NOW }, bad), (e) => e.kind === 'rejected');
  assert.strictEqual(sent.length, 1);
});

test('a reader gives up after 200 GET RESPONSE commands (VDC-NFC-203)', async () => {
  const w = world();
  let count = 0;
  const endless = async (apdu) => {
    if (apdu[1] === 0xc0) count += 1;
    return Buffer.concat([Buffer.alloc(255), Buffer.from('61ff', 'hex')]);
  };
  await assert.rejects(w.reader.read({ requested: [1], now: NOW }, endless), (e) => e.kind === 'rejected');
  assert.strictEqual(count, 200);
});
