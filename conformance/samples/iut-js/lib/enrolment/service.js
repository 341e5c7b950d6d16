'use strict';
// The enrolment service (spec/enrolment.md): a table-driven state machine over a
// service state that each accepted transition commits in one atomic save
// (VDC-ENR-080). A refused event changes nothing (VDC-ENR-003).
const { TABLE } = require('./table');
const { CHECKS, GUARDS } = require('./rules');
const { EFFECTS } = require('./effects');
const { parseEvent } = require('./events');
const { lookup } = require('./directory');
const { tidyNir, utcDate } = require('./rules');
const otp = require('./otp');
const issuer = require('./issuer');
const { FileStore, StoreError } = require('../store');
const { VdcError } = require('../errors');

const SCHEMA = 1;

function refuse(reason) {
  throw new VdcError(reason, `refused: ${reason}`);
}

function damaged(what) {
  return new StoreError('enrolment service database', what);
}

// The shape of a loaded service state; anything else is a damaged database.
function checkState(s) {
  const obj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!obj(s) || s.schema !== SCHEMA) throw damaged('unknown schema');
  if (!Number.isSafeInteger(s.seq) || !obj(s.enrolments) || !obj(s.persons) || !Array.isArray(s.outbox)
    || !Array.isArray(s.revoked) || !Number.isSafeInteger(s.nextIndex)) throw damaged('a field is out of type');
  return s;
}

function checkKeys(k) {
  const hex = (v) => typeof v === 'string' && /^([0-9a-f]{2})+$/.test(v);
  if (!k || !hex(k.otpKey) || k.otpKey.length !== 64 || !hex(k.root) || !hex(k.signer) || !hex(k.signerKey)) {
    throw new StoreError('enrolment key file', 'missing or out of type');
  }
  return k;
}

function emptyState(persistent) {
  return {
    schema: SCHEMA, persistent, seq: 0,
    enrolments: {}, persons: {}, outbox: [], revoked: [], nextIndex: 0,
  };
}

class EnrolmentService {
  constructor(storeDir) {
    this.storeDir = storeDir;
    this.store = null;
    this.state = null;
    this.damage = null;
    if (!storeDir) return;
    // A persistent service comes back over its store; a damaged one is an error of
    // every operation until a new set-up, never a silent reset (VDC-ENR-090).
    try {
      const disk = new FileStore(storeDir, 'enrolment', 'enrolment service database');
      const loaded = disk.load();
      if (loaded === null) return;
      this.keyStore = issuer.open(storeDir, true);
      this.state = checkState(loaded);
      this.keys = checkKeys(this.keyStore.load());
      this.store = disk;
    } catch (e) {
      this.state = null;
      this.damage = e;
    }
  }

  setup({ persistent = false } = {}) {
    this.reset();
    const durable = Boolean(persistent && this.storeDir);
    this.store = new FileStore(durable ? this.storeDir : null, 'enrolment', 'enrolment service database');
    this.keyStore = issuer.open(this.storeDir, durable);
    this.keys = issuer.create(this.keyStore);
    this.commit(emptyState(Boolean(persistent)));
  }

  // The service killed and started again over its store (VDC-HARN-007).
  restart() {
    this.need();
    this.state = checkState(this.store.load());
    this.keys = checkKeys(this.keyStore.load());
  }

  reset() {
    if (this.storeDir) {
      new FileStore(this.storeDir, 'enrolment').clear();
      issuer.open(this.storeDir, true).clear();
    }
    this.store = null;
    this.state = null;
    this.keys = null;
    this.damage = null;
  }

  need() {
    if (this.damage) throw this.damage;
    if (!this.state) throw new VdcError('not_set_up', 'enrolment.setup has not run');
  }

  commit(next) {
    this.store.save(next);
    this.state = next;
  }

  start(eventJson, now) {
    this.need();
    const event = parseEvent(eventJson);
    if (event.event !== 'StartEnrolment') refuse('event-out-of-order');
    const draft = JSON.parse(JSON.stringify(this.state));
    const id = `enr-${String(draft.seq + 1).padStart(6, '0')}`;
    const enr = {
      id, nir: tidyNir(event.nir), state: 'START', route: null, document: null, createdAt: now,
      device: { os: event.deviceOs, version: event.osVersion, key: event.devicePublicKey.toLowerCase() },
      lastEventAt: now, captures: [], captureFailures: { DOCUMENT_CAPTURE: 0, FACE_CAPTURE: 0 }, code: null,
      verificationAt: null, decidedAt: null, statusIndex: null, credential: null, transitions: 0,
    };
    const c = this.context(draft, enr, event, now);
    for (const check of TABLE.START.StartEnrolment.checks) {
      const reason = CHECKS[check](c);
      if (reason) refuse(reason);
    }
    draft.seq += 1;
    draft.enrolments[id] = enr;
    const out = this.apply(c, TABLE.START.StartEnrolment.branches[0]);
    return { id, ...out };
  }

  handle(id, eventJson, now) {
    this.need();
    const event = parseEvent(eventJson);
    const draft = JSON.parse(JSON.stringify(this.state));
    const enr = draft.enrolments[id];
    if (!enr) refuse('unknown-enrolment');
    const row = (TABLE[enr.state] || {})[event.event];
    if (!row) {
      if (event.event === 'Tick') return { state: enr.state, messages: [] };
      refuse('event-out-of-order');
    }
    const c = this.context(draft, enr, event, now);
    for (const check of row.checks) {
      const reason = CHECKS[check](c);
      if (reason) refuse(reason);
    }
    const branch = row.branches.find((b) => GUARDS[b.guard](c));
    if (!branch) return { state: enr.state, messages: [] }; // a Tick before its deadline
    return this.apply(c, branch);
  }

  context(draft, enr, event, now) {
    return {
      draft, enr, event, now, day: utcDate(now), account: enr.nir ? lookup(enr.nir) : null, asserted: null,
      person: draft.persons[enr.nir] || otp.freshPerson(), written: [], side: [], branch: null, keys: this.keys,
    };
  }

  apply(c, branch) {
    c.branch = branch;
    if (c.event.event === 'VerificationDecided') c.enr.decidedAt = c.now;
    for (const effect of branch.effects) EFFECTS[effect](c);
    if (branch.to) c.enr.state = branch.to;
    if (c.event.event !== 'Tick') c.enr.lastEventAt = c.now;
    c.enr.transitions += 1;
    this.commit(c.draft);
    return { state: c.enr.state, messages: c.written };
  }

  observe(id) {
    this.need();
    const enr = this.state.enrolments[id];
    if (!enr) refuse('unknown-enrolment');
    const codes = this.state.outbox.filter((m) => m.enrolment === id && m.kind === 'code');
    const last = codes[codes.length - 1];
    return {
      state: enr.state, captures: enr.captures.length, codeMails: codes.length,
      latestCode: last ? otp.openBody(Buffer.from(this.keys.otpKey, 'hex'), last.id, last.body) : null,
    };
  }

  mailbox(id) {
    this.need();
    if (!this.state.enrolments[id]) refuse('unknown-enrolment');
    // VDC-ENR-005: e-mails only, a code e-mail with its code.
    const key = Buffer.from(this.keys.otpKey, 'hex');
    const mails = this.state.outbox.filter((m) => m.enrolment === id && m.kind !== 'verification-request');
    return { mails: mails.map((m) => (m.kind === 'code' ? { kind: m.kind, to: m.to, code: otp.openBody(key, m.id, m.body) } : { kind: m.kind, to: m.to })) };
  }
}

module.exports = { EnrolmentService };
