'use strict';
// Operations of the reader profile: the suite plays the card, this reader reads it
// through `transmit` messages.
const hierarchy = require('../hierarchy');
const { Reader } = require('../nfc/reader');
const { VdcError } = require('../errors');
const { hex, toHex, instant } = require('./common');

// A synthetic practitioner (RPPS with its Luhn key, VDC-PKI-031) allowed every element.
const PRACTITIONER = {
  common: 'Dr EXEMPLE Jules (synthetic)', rpps: '18888888007', profession: '10',
  allowedElements: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
};

function readerOps(ctx) {
  return {
    'reader.setup': (p) => {
      // One reader identity per process until a reset; set-up changes the trust.
      if (!ctx.readerPki) ctx.readerPki = hierarchy.reader(PRACTITIONER);
      const pki = ctx.readerPki;
      ctx.reader = new Reader({
        trustAnchor: hex(p.trustAnchor), statusList: p.statusList ? hex(p.statusList) : null,
        pki: { leaf: pki.leaf, chain: [pki.leaf.der] }, rpps: PRACTITIONER.rpps,
      });
      return { readerRoot: toHex(pki.root.der) };
    },
    'reader.read': async (p, io) => {
      if (!ctx.reader) throw new VdcError('not_set_up', 'reader.setup has not run');
      const receipt = p.receipt ? { act: p.receipt.act, amountCents: p.receipt.amountCents, at: instant(p.receipt.at) } : null;
      if (receipt && !/^[\x20-\x7e]{1,16}$/.test(receipt.act)) throw new VdcError('bad_request', 'act is 1 to 16 printable ASCII characters');
      return ctx.reader.read({ requested: p.requested, now: instant(p.now), extended: p.extended !== false, receipt }, io.transmit);
    },
  };
}

module.exports = { readerOps, PRACTITIONER };
