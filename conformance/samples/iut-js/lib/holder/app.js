'use strict';
// The holder app (spec/app.md): the device store (credential, device key, personal
// code, presentation window, history) joined to the card application. Every change
// is one atomic save of the store; events are filed before the response leaves.
const ec = require('../ec');
const x509 = require('../x509');
const hierarchy = require('../hierarchy');
const history = require('./history');
const pinStore = require('./pin-store');
const { TYPICAL, VALID_FROM, VALID_UNTIL, STATUS } = require('./sample');
const { issue } = require('../credential/issue');
const { decodePresentation } = require('../credential/decode');
const { HolderCore } = require('../nfc/holder-core');
const { RememberedReaders } = require('../nfc/remembered-readers');
const { FileStore } = require('../store');
const { checkState } = require('./state');
const { VdcError } = require('../errors');
const { formatInstant, US } = require('../time');

const WINDOW = 60 * US; // VDC-NFC-112, VDC-PIN-017
const SCHEMA = 1; // VDC-PIN-019

function emptyState() {
  return { schema: SCHEMA, holder: null, readerRoot: null, pin: null, armed: null, history: [] };
}

class HolderApp {
  // `pinParameters` is the Argon2id set for new verifiers: the default of VDC-PIN-010
  // in service; the repository's own unit tests pass the test-only set.
  constructor(storeDir, { pinParameters } = {}) {
    this.store = new FileStore(storeDir, 'holder', 'holder store');
    this.pinParameters = pinParameters;
    // VDC-PKI-060: reader chains validated recently, kept in memory by the running
    // app (across card sessions and restarts of the card core), never in the store.
    this.readers = new RememberedReaders();
    this.open();
  }

  // Opens the store as a restarted app would; refuses an unknown schema version.
  // A damaged store, or one others may read, makes every operation answer its typed
  // error until a reset; it is never taken for a new store (VDC-PIN-023, VDC-PIN-024).
  open() {
    this.core = null;
    this.events = [];
    this.damage = null;
    try {
      const loaded = this.store.load();
      this.state = loaded === null ? emptyState() : checkState(loaded);
    } catch (e) {
      this.state = emptyState();
      this.damage = e;
    }
  }

  usable() {
    if (this.damage) throw this.damage;
  }

  commit(next) {
    this.store.save(next);
    this.state = next;
  }

  reset() {
    this.store.clear();
    this.state = emptyState();
    this.core = null;
    this.events = [];
    this.damage = null;
    this.readers.clear();
  }

  restart() {
    this.open();
  }

  // Provisions the synthetic credential under a fresh issuing hierarchy.
  setup(readerRoot) {
    this.usable();
    x509.parseCertificate(readerRoot);
    const pki = hierarchy.issuing();
    const device = ec.generateKeyPair();
    const presentation = issue({
      values: TYPICAL, devicePoint: device.point, status: STATUS, validFrom: VALID_FROM, validUntil: VALID_UNTIL,
      signerKey: pki.documentSigner.privateKey, chain: [pki.documentSigner.der],
    });
    this.commit({
      ...this.state,
      holder: {
        presentation: presentation.toString('hex'),
        deviceKey: ec.privateKeyToPkcs8(device.privateKey).toString('hex'),
        birthDate: TYPICAL.birth_date,
      },
      readerRoot: readerRoot.toString('hex'),
    });
    this.core = null;
    return { issuingRoot: pki.root.der, elements: decodePresentation(presentation).disclosed.map((d) => d.id) };
  }

  isArmed(now) {
    this.usable();
    const a = this.state.armed;
    return Boolean(a) && a.from <= now && now < a.until;
  }

  arm(now) {
    this.usable();
    this.commit({ ...this.state, armed: { from: now, until: now + WINDOW } });
  }

  buildCore() {
    const h = this.state.holder;
    if (!h || !this.state.readerRoot) throw new VdcError('not_set_up', 'holder.setup has not run');
    const credential = decodePresentation(Buffer.from(h.presentation, 'hex'));
    const deviceKey = ec.privateKeyFromPkcs8(Buffer.from(h.deviceKey, 'hex'));
    // VDC-PIN-022: the saved key must be the one the credential binds.
    if (!ec.publicPointOfPrivate(deviceKey).equals(credential.devicePoint)) {
      throw new VdcError('internal', 'the saved device key is not the credential key');
    }
    return new HolderCore({
      credential, deviceKey, readerRoot: x509.parseCertificate(Buffer.from(this.state.readerRoot, 'hex')),
      readers: this.readers,
      isArmed: (now) => this.isArmed(now),
      onEvent: (event) => this.file(event),
    });
  }

  transmit(apdu, now) {
    this.usable();
    if (!this.core) this.core = this.buildCore();
    return this.core.process(apdu, now);
  }

  fieldOff() {
    if (this.core) this.core.reset();
  }

  // VDC-HIST-007/008: the entry is committed before the response is released; if
  // the commit fails the core answers 6F00 and ends the session.
  file(event) {
    const entry = event.type === 'Presented'
      ? history.presentation({ readerRpps: event.readerRpps, elements: event.elements, at: event.now })
      : history.receipt({ practitionerRpps: event.practitionerRpps, act: event.act, amountCents: event.amountCents, at: event.now });
    this.commit({ ...this.state, history: history.add(this.state.history, entry, event.now) });
    this.events.push(event);
  }

  takeEvents() {
    const out = this.events.map(eventJson);
    this.events = [];
    return out;
  }

  recordPresentation({ readerRpps, elements, at, now }) {
    this.usable();
    const entry = history.presentation({ readerRpps, elements, at });
    this.commit({ ...this.state, history: history.add(this.state.history, entry, now) });
  }

  recordReceipt({ practitionerRpps, act, amountCents, at, now }) {
    this.usable();
    const entry = history.receipt({ practitionerRpps, act, amountCents, at });
    this.commit({ ...this.state, history: history.add(this.state.history, entry, now) });
  }

  listHistory(now) {
    this.usable();
    const shown = history.list(this.state.history, now);
    const kept = history.purge(this.state.history, now);
    if (kept.length !== this.state.history.length) this.commit({ ...this.state, history: kept });
    return shown;
  }

  provisionPin(code, now) {
    this.usable();
    return pinStore.provision(this, code, now);
  }

  unlock(code, now) {
    this.usable();
    return pinStore.unlock(this, code, now);
  }
}

// JSON form of the card's events (holder-event.schema.json, VDC-NFC-130/131).
function eventJson(e) {
  if (e.type === 'Presented') {
    return { type: 'Presented', readerRpps: e.readerRpps, elements: e.elements, at: formatInstant(e.now) };
  }
  return {
    type: 'ReceiptFiled',
    readerRpps: e.readerRpps,
    receipt: { at: formatInstant(e.at), practitionerRpps: e.practitionerRpps, act: e.act, amountCents: e.amountCents },
    signed: e.signed.toString('hex'),
    sessionHash: e.sessionHash.toString('hex'),
    at: formatInstant(e.now),
  };
}

module.exports = { HolderApp, WINDOW };
