'use strict';
// Operations of the holder profile: the card, the personal code and the history.
const policy = require('../pin/policy');
const verifier = require('../pin/verifier');
const { VdcError } = require('../errors');
const { hex, toHex, instant } = require('./common');

function holderOps(ctx) {
  const app = () => ctx.holder;
  return {
    'holder.setup': (p) => {
      const r = app().setup(hex(p.readerRoot));
      return { issuingRoot: toHex(r.issuingRoot), elements: r.elements };
    },
    'holder.arm': (p) => {
      app().arm(instant(p.now));
      return {};
    },
    'holder.transmit': (p) => ({ response: toHex(app().transmit(hex(p.apdu), instant(p.now))).toUpperCase() }),
    'holder.events': () => ({ events: app().takeEvents() }),
    'holder.field_off': () => {
      app().fieldOff();
      return {};
    },
    'holder.restart': () => {
      app().restart();
      return {};
    },
    'pin.check': (p) => {
      policy.check(p.code, { birthDate: p.birthDate, confirmation: p.confirmation });
      return {};
    },
    'pin.provision': async (p) => {
      await app().provisionPin(p.code, instant(p.now));
      return {};
    },
    'pin.unlock': (p) => app().unlock(p.code, instant(p.now)),
    'pin.armed': (p) => ({ armed: app().isArmed(instant(p.now)) }),
    'pin.verifier': async (p) => {
      if (!policy.isFormatOk(p.code)) throw new VdcError('format', 'the code is not six ASCII digits');
      const digest = await verifier.derive(p.code, hex(p.salt), {
        memoryKiB: p.memoryKiB, iterations: p.iterations, lanes: p.lanes,
      });
      return { digest: toHex(digest) };
    },
    'history.record_presentation': (p) => {
      app().recordPresentation({ readerRpps: p.readerRpps, elements: p.elements, at: instant(p.at), now: instant(p.now) });
      return {};
    },
    'history.record_receipt': (p) => {
      app().recordReceipt({
        practitionerRpps: p.practitionerRpps, act: p.act, amountCents: p.amountCents, at: instant(p.at), now: instant(p.now),
      });
      return {};
    },
    'history.list': (p) => ({ entries: app().listHistory(instant(p.now)) }),
  };
}

module.exports = { holderOps };
