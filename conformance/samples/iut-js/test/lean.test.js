'use strict';
// Protocol version 2 (spec/lean.md): the golden transcripts of vectors/nfc, checked
// where they do not depend on the generator's keys, and this holder and this reader
// speaking version 2 to each other.
const test = require('node:test');
const assert = require('node:assert');
const crypto = require('crypto');
const ec = require('../lib/ec');
const sm = require('../lib/nfc/sm');
const tlv = require('../lib/nfc/tlv');
const x509 = require('../lib/x509');
const hierarchy = require('../lib/hierarchy');
const compact = require('../lib/credential/compact');
const { HolderApp } = require('../lib/holder/app');
const { Reader, parseFci } = require('../lib/nfc/reader');
const { chooseVersion } = require('../lib/nfc/reader-lean');
const { buildCommand } = require('../lib/nfc/apdu');
const { parseInstant } = require('../lib/time');
const { load, hex } = require('./vectors');

const NOW = parseInstant('2026-06-01T12:00:00Z');
const SELECT = hex('00a4040007f0564954414c4500');
const transcripts = load('nfc/transcripts.json').testGroups[0].tests;
const byId = (id) => transcripts.find((t) => t.tcId === id);
const swOf = (r) => (Buffer.isBuffer(r) ? r.subarray(-2).toString('hex') : r.slice(-4)).toUpperCase();
const sha8 = (b) => crypto.createHash('sha256').update(b).digest().subarray(0, 8);

function practitioner(allowed = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
  return hierarchy.reader({ common: 'Dr EXEMPLE (synthetic)', rpps: '18888888007', profession: '10', allowedElements: allowed });
}

function world({ readerPki = practitioner(), app = null } = {}) {
  const holder = app || new HolderApp(null);
  const { issuingRoot } = holder.setup(readerPki.root.der);
  holder.arm(NOW);
  const reader = new Reader({ trustAnchor: issuingRoot, pki: { leaf: readerPki.leaf, chain: [readerPki.leaf.der] }, rpps: '18888888007' });
  const log = [];
  const transmit = async (apdu) => {
    const r = holder.transmit(apdu, NOW);
    log.push([apdu, r]);
    return r;
  };
  return { app: holder, reader, readerPki, issuingRoot, transmit, log };
}

// The ESTABLISH SESSION command data of a transcript exchange (extended, Lc on 3 bytes).
function establishField(command) {
  const c = hex(command);
  assert.strictEqual(c[4], 0, 'extended form');
  return c.subarray(7, 7 + c.readUInt16BE(5));
}

// A hand-driven session with the holder: SELECT, then ESTABLISH SESSION of the given
// version, by chain or by reference; returns what the next commands need.
function session(w, { version = 2, byReference = false, now = NOW, signer = w.readerPki.leaf.privateKey } = {}) {
  const fci = w.app.transmit(SELECT, now).subarray(0, -2);
  const { qd } = parseFci(fci);
  const eph = ec.generateKeyPair();
  const chain = w.readerPki.leaf.der;
  const head = Buffer.concat([
    tlv.encode(0x80, Buffer.from([version])), tlv.encode(0x81, eph.point),
    byReference ? tlv.encode(0x83, sha8(chain)) : tlv.encode(0xa2, chain),
  ]);
  const sig = ec.signRaw(signer, Buffer.concat([sm.LABEL.readerAuth, sm.sha256(fci, head)]));
  const field = Buffer.concat([head, tlv.encode(0x9e, sig)]);
  const answer = w.app.transmit(buildCommand(0x80, 0x86, 0, 0, field, null, true), now);
  return { answer, fci, field, keys: swOf(answer) === '9000' ? sm.sessionKeys(ec.ecdh(eph.privateKey, qd), fci, field) : null };
}

function sealed(s, n, ins, plaintext) {
  return buildCommand(0x80, ins, 0, 0, sm.seal(s.keys.kRd, n, Buffer.from([0x80, ins, 0, 0]), plaintext), 65536, true);
}

function openResponse(s, n, ins, r) {
  return sm.open(s.keys.kDr, n, Buffer.from([0x80, ins, 0, 0, 0x90, 0x00]), r.subarray(0, -2));
}

test('the FCI offers 01 02, as in the transcripts (VDC-NFC-070, VDC-NFC-022)', () => {
  const w = world();
  const fci = w.app.transmit(SELECT, NOW);
  const { versions } = parseFci(fci.subarray(0, -2));
  assert.deepStrictEqual(versions, [1, 2]);
  const selected = transcripts.filter((t) => t.exchanges[0].command === SELECT.toString('hex') && swOf(t.exchanges[0].response) === '9000');
  assert.ok(selected.length >= 15);
  for (const t of selected) {
    const response = t.exchanges[0].response;
    assert.strictEqual(response.length / 2, fci.length, `tcId ${t.tcId}: the FCI has this holder's length`);
    assert.deepStrictEqual(parseFci(hex(response).subarray(0, -2)).versions, [1, 2], `tcId ${t.tcId}`);
  }
});

test('a version the FCI did not offer is 6A81, whatever follows; not 80 01 first is 6A80 (transcript 18, VDC-NFC-072)', () => {
  const t = byId(18);
  const w = world();
  w.app.transmit(SELECT, NOW);
  for (const e of t.exchanges.slice(1, 3)) {
    assert.strictEqual(swOf(w.app.transmit(hex(e.command), NOW)), swOf(e.response));
    assert.strictEqual(swOf(e.response), '6A81');
  }
  assert.strictEqual(swOf(w.app.transmit(buildCommand(0x80, 0x86, 0, 0, hex('800100')), NOW)), '6A81', 'version 00');
  for (const data of ['8001', '8101028141', '8002000102', '80', '7f0101']) {
    assert.strictEqual(swOf(w.app.transmit(buildCommand(0x80, 0x86, 0, 0, hex(data)), NOW)), '6A80', data);
  }
  // Nothing changed: the selection stays and an honest field establishes (VDC-NFC-043).
  const fci = w.app.transmit(SELECT, NOW);
  assert.strictEqual(swOf(fci), '9000');
  assert.strictEqual(swOf(session(w, { version: 1 }).answer), '9000');
});

test('an unknown reference is 6A88 with no data and the chain establishes next in the same session (transcript 17, VDC-SM-062)', () => {
  const t = byId(17);
  const field = establishField(t.exchanges[1].command);
  const items = tlv.parse(field);
  assert.deepStrictEqual(items.map((i) => [i.tag, i.value.length]), [[0x80, 1], [0x81, 65], [0x83, 8], [0x9e, 64]]);
  assert.strictEqual(items[0].value[0], 2);
  const w = world();
  w.app.transmit(SELECT, NOW);
  const answer = w.app.transmit(hex(t.exchanges[1].command), NOW);
  assert.strictEqual(answer.toString('hex').toUpperCase(), t.exchanges[1].response.toUpperCase());
  // This holder's own session: a reference it never met, then the chain.
  const w2 = world();
  const first = session(w2, { byReference: true });
  assert.strictEqual(first.answer.toString('hex'), '6a88');
  const head = Buffer.concat([tlv.encode(0x80, Buffer.from([2])), tlv.encode(0x81, ec.generateKeyPair().point),
    tlv.encode(0xa2, w2.readerPki.leaf.der)]);
  const sig = ec.signRaw(w2.readerPki.leaf.privateKey, Buffer.concat([sm.LABEL.readerAuth, sm.sha256(first.fci, head)]));
  const again = w2.app.transmit(buildCommand(0x80, 0x86, 0, 0, Buffer.concat([head, tlv.encode(0x9e, sig)]), null, true), NOW);
  assert.strictEqual(again.toString('hex'), '9000', 'same key and FCI after 6A88');
});

test('the lean tap: the reference is SHA-256 of the chain sent before, the signature covers it (transcript 16, VDC-SM-060)', () => {
  const t = byId(16);
  const first = establishField(t.exchanges[1].command);
  const second = establishField(t.exchanges[4].command);
  const chain = tlv.parse(first)[2];
  assert.strictEqual(chain.tag, 0xa2);
  const ref = tlv.parse(second)[2];
  assert.strictEqual(ref.tag, 0x83);
  assert.ok(ref.value.equals(sha8(chain.value)), 'readerRef = SHA-256(A2 value)[0..7]');
  // The remembered leaf key verifies the signature over FCI || the field up to 9E.
  const leaf = x509.parseCertificate(Buffer.from(chain.value));
  const fci = hex(t.exchanges[3].response).subarray(0, -2);
  const signature = tlv.parse(second)[3].value;
  const message = Buffer.concat([sm.LABEL.readerAuth, sm.sha256(fci, second.subarray(0, second.length - 66))]);
  assert.ok(ec.verifyRaw(ec.publicKeyFromPoint(leaf.spki.point), message, signature));
  // The compact presentation is the version 1 one less the chain (30 82 LL LL cert)
  // plus the reference (04 08 ref); GET SIGNER CHAIN returns A2 82 LL LL cert, sealed.
  const v1Read = byId(1).exchanges[2].response.length / 2;
  const v2Read = t.exchanges[5].response.length / 2;
  const chainAnswer = hex(t.exchanges[6].response);
  const certLength = v1Read - v2Read + 10 - 4;
  assert.strictEqual(chainAnswer.length, 16 + 4 + certLength + 2);
  const get = hex(t.exchanges[6].command);
  assert.deepStrictEqual([...get.subarray(0, 4)], [0x80, 0xca, 0, 0]);
  assert.strictEqual(get.length, 4 + 3 + 16 + 2, 'sealed empty plaintext, Le present');
  assert.deepStrictEqual(t.exchanges.map((e) => swOf(e.response)), Array(8).fill('9000'));
});

test('GET SIGNER CHAIN: 6985 in a version 1 session and before READ, 6A80 with a plaintext (transcript 18, VDC-NFC-073)', () => {
  const w = world();
  const v1 = session(w, { version: 1 });
  assert.strictEqual(swOf(w.app.transmit(sealed(v1, 1, 0xcb, tlv.encode(0x5c, Buffer.from([1]))), NOW)), '9000');
  assert.strictEqual(swOf(w.app.transmit(sealed(v1, 2, 0xca, Buffer.alloc(0)), NOW)), '6985');
  assert.strictEqual(swOf(byId(18).exchanges[6].response), '6985');
  const v2 = session(w);
  assert.strictEqual(swOf(w.app.transmit(sealed(v2, 1, 0xca, Buffer.alloc(0)), NOW)), '6985');
  assert.strictEqual(swOf(w.app.transmit(sealed(v2, 1, 0xcb, tlv.encode(0x5c, Buffer.from([1, 2]))), NOW)), '9000');
  assert.strictEqual(w.app.transmit(sealed(v2, 2, 0xca, Buffer.from([0])), NOW).toString('hex'), '6a80');
  const r = w.app.transmit(sealed(v2, 3, 0xca, Buffer.alloc(0)), NOW);
  assert.strictEqual(swOf(r), '9000', 'the counter advanced past the refused command, the state stayed READ-DONE');
  const [chain] = tlv.expectTags(openResponse(v2, 3, 0xca, r), [0xa2]);
  assert.strictEqual(swOf(w.app.transmit(buildCommand(0x00, 0xca, 0, 0, Buffer.alloc(0), 256), NOW)), '6E00');
  // The compact presentation of the read names that chain (VDC-CRED-070).
  const v3 = session(w, { byReference: true });
  const read = w.app.transmit(sealed(v3, 1, 0xcb, tlv.encode(0x5c, Buffer.from([2]))), NOW);
  const [p] = tlv.expectTags(openResponse(v3, 1, 0xcb, read), [0x53, 0x9e]);
  const decoded = compact.decodeCompact(p);
  assert.ok(decoded.signerRef.equals(sha8(chain)));
  assert.deepStrictEqual(decoded.disclosed.map((d) => d.id), [2]);
});

test('a remembered reader still signs, is not served past its notAfter nor under another root (VDC-SM-061, VDC-PKI-060)', () => {
  const w = world();
  assert.strictEqual(swOf(session(w).answer), '9000');
  assert.strictEqual(swOf(session(w, { byReference: true }).answer), '9000');
  const other = ec.generateKeyPair().privateKey;
  const forged = session(w, { byReference: true, signer: other });
  assert.strictEqual(forged.answer.toString('hex'), '6300');
  assert.strictEqual(swOf(w.app.transmit(buildCommand(0x80, 0x86, 0, 0, forged.field, null, true), NOW)), '6985', 'IDLE');
  const later = parseInstant('2030-01-01T00:00:00Z'); // past the reader leaf's notAfter
  w.app.arm(later);
  assert.strictEqual(session(w, { byReference: true, now: later }).answer.toString('hex'), '6a88');
  // A new reader root: the reference is unknown under it, the chain is refused.
  w.app.setup(practitioner().root.der);
  assert.strictEqual(session(w, { byReference: true }).answer.toString('hex'), '6a88');
  // A reference of 7 or 9 bytes is malformed.
  w.app.setup(w.readerPki.root.der);
  assert.strictEqual(swOf(session(w).answer), '9000');
  for (const size of [7, 9]) {
    const fci = w.app.transmit(SELECT, NOW).subarray(0, -2);
    const head = Buffer.concat([tlv.encode(0x80, Buffer.from([2])), tlv.encode(0x81, ec.generateKeyPair().point),
      tlv.encode(0x83, sha8(w.readerPki.leaf.der).length > size ? sha8(w.readerPki.leaf.der).subarray(0, size)
        : Buffer.concat([sha8(w.readerPki.leaf.der), Buffer.from([0])]))]);
    const sig = ec.signRaw(w.readerPki.leaf.privateKey, Buffer.concat([sm.LABEL.readerAuth, sm.sha256(fci, head)]));
    const data = Buffer.concat([head, tlv.encode(0x9e, sig)]);
    assert.strictEqual(w.app.transmit(buildCommand(0x80, 0x86, 0, 0, data), NOW).toString('hex'), '6a80', `${size} bytes`);
  }
});

test('the reader: chain first, then its reference, the signer chain asked for once (VDC-SM-060, VDC-NFC-073, VDC-NFC-200)', async () => {
  const w = world();
  const ins = () => w.log.map(([c]) => c[1].toString(16));
  const first = await w.reader.read({ requested: [1, 2, 4], now: NOW }, w.transmit);
  assert.deepStrictEqual(Object.keys(first.elements), ['1', '2', '4']);
  assert.deepStrictEqual(ins(), ['a4', '86', 'cb', 'ca']);
  assert.strictEqual(tlv.parse(establishField(w.log[1][0].toString('hex')))[2].tag, 0xa2);
  w.log.length = 0;
  const second = await w.reader.read({ requested: [1], now: NOW, receipt: { act: 'GS', amountCents: 2650, at: NOW } }, w.transmit);
  assert.strictEqual(second.receiptAcknowledged, true);
  assert.deepStrictEqual(ins(), ['a4', '86', 'cb', 'db'], 'four pairs: the reference, the signer chain held');
  assert.strictEqual(w.log[1][0].length, 4 + 3 + 3 + 67 + 10 + 66);
  // A holder that does not remember this reader (its memory emptied): 6A88, then the
  // chain in the same session; the signer chain is still held.
  w.app.readers.clear();
  w.app.takeEvents();
  w.log.length = 0;
  await w.reader.read({ requested: [1], now: NOW, receipt: { act: 'GS', amountCents: 100, at: NOW } }, w.transmit);
  assert.deepStrictEqual(w.log.map(([c, r]) => `${c[1].toString(16)}:${swOf(r)}`),
    ['a4:9000', '86:6A88', '86:9000', 'cb:9000', 'db:9000']);
  assert.deepStrictEqual(w.app.takeEvents().map((e) => e.type), ['Presented', 'ReceiptFiled']);
});

test('the reader chooses the highest common version and stops without one (VDC-NFC-071)', async () => {
  assert.strictEqual(chooseVersion([1, 2], [1, 2]), 2);
  assert.strictEqual(chooseVersion([1], [1, 2]), 1);
  assert.strictEqual(chooseVersion([1, 2, 3], [1, 2]), 2);
  assert.throws(() => chooseVersion([3], [1, 2]), (e) => e.kind === 'rejected');
  const w = world();
  w.reader.versions = [1];
  await w.reader.read({ requested: [1], now: NOW }, w.transmit);
  assert.strictEqual(tlv.parse(establishField(w.log[1][0].toString('hex')))[0].value[0], 1);
  assert.strictEqual(w.log.length, 3, 'version 1: the chain inside the presentation');
  for (const versions of ['03', '0201', '0101', '']) {
    const sent = [];
    const fci = Buffer.concat([tlv.encode(0x6f, Buffer.concat([tlv.encode(0x84, hex('F0564954414C45')), tlv.encode(0xa5,
      Buffer.concat([tlv.encode(0x80, hex(versions)), tlv.encode(0x81, ec.generateKeyPair().point), tlv.encode(0x82, hex('1000'))]))])), hex('9000')]);
    const holder = async (apdu) => {
      sent.push(apdu);
      return fci;
    };
    await assert.rejects(w.reader.read({ requested: [1], now: NOW }, holder), (e) => e.kind === 'rejected', versions);
    assert.strictEqual(sent.length, 1, `no ESTABLISH SESSION after FCI versions '${versions}'`);
  }
});

test('a signer chain that is not the one named is refused and no receipt is filed (VDC-CRED-071)', async () => {
  const w = world();
  const wrong = hierarchy.issuing().documentSigner.der;
  const transmit = w.transmit;
  await w.reader.read({ requested: [1], now: NOW }, transmit);
  // A foreign chain in the reader's store under the reference the holder names.
  const named = [...w.reader.signers.chains.keys()][0];
  w.reader.signers.chains.set(named, [wrong]);
  w.log.length = 0;
  await assert.rejects(w.reader.read({ requested: [1], now: NOW, receipt: { act: 'GS', amountCents: 1, at: NOW } }, transmit),
    (e) => e.kind === 'rejected' && /CertificateChainError/.test(e.message));
  assert.ok(!w.log.some(([c]) => c[1] === 0xdb), 'no FILE RECEIPT after a refused read');
});
