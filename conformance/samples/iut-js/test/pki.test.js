'use strict';
const test = require('node:test');
const assert = require('node:assert');
const pki = require('../lib/pki');
const hierarchy = require('../lib/hierarchy');
const { parseInstant } = require('../lib/time');
const { load, tests, hex } = require('./vectors');

test('every path of the PKI vectors validates or fails with its error type (VDC-PKI-020 to 024)', () => {
  const file = load('pki/chains.json');
  for (const [group, t] of tests(file)) {
    const run = () => pki.validatePath({
      leaf: hex(t.leaf), intermediates: t.intermediates.map(hex),
      anchor: hex(t.anchor === 'issuing' ? group.issuingRoot : group.readerRoot), purpose: t.purpose, now: parseInstant(t.now),
    });
    if (t.result === 'valid') run();
    else assert.throws(run, (e) => e.kind === t.errorType, `tcId ${t.tcId}: ${t.comment}`);
  }
});

test('reader authorisations decode strictly (VDC-PKI-030 to 033)', () => {
  for (const [, t] of tests(load('pki/reader_authorisation.json'))) {
    const run = () => pki.decodeReaderAuthorisation(hex(t.value));
    if (t.result === 'valid') assert.deepStrictEqual(run(), t.expected);
    else assert.throws(run, (e) => e.kind === t.errorType, `tcId ${t.tcId}: ${t.comment}`);
  }
});

test('the hierarchies this implementation builds follow the certificate profile', () => {
  const now = parseInstant('2026-06-01T12:00:00Z');
  const issuing = hierarchy.issuing();
  const ds = pki.validatePath({ leaf: issuing.documentSigner.der, anchor: issuing.root.der, purpose: 'DOCUMENT_SIGNING', now });
  assert.strictEqual(ds.path.length, 2);
  pki.validatePath({ leaf: issuing.statusSigner.der, anchor: issuing.root.der, purpose: 'STATUS_LIST_SIGNING', now });
  assert.throws(() => pki.validatePath({ leaf: issuing.statusSigner.der, anchor: issuing.root.der, purpose: 'DOCUMENT_SIGNING', now }),
    (e) => e.kind === 'KeyUsageError');
  const practitioner = { common: 'Dr EXEMPLE (synthetic)', rpps: '18888888007', profession: '10', allowedElements: [1, 2, 4] };
  const reader = hierarchy.reader(practitioner);
  const r = pki.validatePath({ leaf: reader.leaf.der, anchor: reader.root.der, purpose: 'READER_AUTHENTICATION', now });
  assert.deepStrictEqual(r.authorisation, { rpps: '18888888007', profession: '10', allowedElements: [1, 2, 4] });
  assert.throws(() => pki.validatePath({ leaf: reader.leaf.der, anchor: issuing.root.der, purpose: 'READER_AUTHENTICATION', now }),
    (e) => e.kind === 'PathError');
});
