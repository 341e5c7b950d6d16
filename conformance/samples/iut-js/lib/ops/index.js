'use strict';
// The operation table offered in `hello` (spec/harness.md VDC-HARN-002).
const { HolderApp } = require('../holder/app');
const verifierOps = require('./verifier');
const { holderOps } = require('./holder');
const { readerOps } = require('./reader');
const { enrolmentOps } = require('./enrolment');

const VERSION = '0.1.0';
const PROFILES = ['holder', 'reader', 'verifier', 'enrolment'];

// `pinParameters`: the Argon2id set of new verifiers; under the driver protocol the
// test-only set is allowed (VDC-HARN-013), since the suite observes outcomes only.
function createOps({ storeDir, pinParameters }) {
  const ctx = { storeDir, holder: new HolderApp(storeDir, { pinParameters }), reader: null, enrolment: null };
  const ops = {
    ...verifierOps, ...holderOps(ctx), ...readerOps(ctx), ...enrolmentOps(ctx),
  };
  ops.reset = () => {
    ctx.holder.reset();
    ctx.reader = null;
    ctx.readerPki = null;
    if (ctx.resetEnrolment) ctx.resetEnrolment();
    return {};
  };
  // VDC-HARN-012: the set-up each operation needs, checked before its params; a
  // damaged store counts as set up so that its own error is answered.
  const holderReady = () => Boolean(ctx.holder.damage || ctx.holder.state.holder);
  const pinReady = () => Boolean(ctx.holder.damage || ctx.holder.state.pin);
  const enrolmentReady = () => Boolean(ctx.enrolment.damage || ctx.enrolment.state);
  const NEEDS = {
    'holder.arm': holderReady, 'holder.transmit': holderReady, 'holder.events': holderReady, 'holder.field_off': holderReady,
    'pin.unlock': pinReady, 'pin.armed': pinReady,
    'history.record_presentation': pinReady, 'history.record_receipt': pinReady, 'history.list': pinReady,
    'reader.read': () => Boolean(ctx.reader),
    'enrolment.restart': enrolmentReady, 'enrolment.start': enrolmentReady, 'enrolment.handle': enrolmentReady,
    'enrolment.observe': enrolmentReady, 'enrolment.mailbox': enrolmentReady,
  };
  const ready = (op) => !NEEDS[op] || NEEDS[op]();
  ops.hello = () => ({
    protocol: 'vdc-harness/1',
    implementation: { name: 'vdc-iut-js', version: VERSION },
    profiles: PROFILES,
    operations: Object.keys(ops).sort(),
  });
  return { ops, ctx, ready };
}

module.exports = { createOps, VERSION };
