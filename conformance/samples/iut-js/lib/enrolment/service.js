'use strict';
// The enrolment service (spec/enrolment.md): a table-driven state machine over a
// service state that each accepted transition commits in one atomic save
// (VDC-ENR-080). A refused event changes nothing (VDC-ENR-003).
const crypto = require('crypto');
const { TABLE } = require('./table');
const { CHECKS, GUARDS } = require('./rules');
const { EFFECTS } = require('./effects');
const { parseEvent } = require('./events');
const { lookup } = require('./directory');
const otp = require('./otp');
const issuer = require('./issuer');
const { FileStore } = require('../store');
const { VdcError } = require('../errors');

const SCHEMA = 1;

function refuse(reason) {
  throw new VdcError(reason, `refused: ${reason}`);
}

function emptyState(persistent) {
  return {
    schema: SCHEMA, persistent, seq: 0, otpKey: crypto.randomBytes(32).toString('hex'),
    enrolments: {}, persons: {}, outbox: [], revoked: [], nextIndex: 0,
  };
}

class EnrolmentService {
  constructor(storeDir) {
    this.storeDir = storeDir;
    this.store = null;
    this.state = null;
    const disk = storeDir ? new FileStore(storeDir, 'enrolment') : null;
    const loaded = disk ? disk.load() : null;
    if (loaded && loaded.schema === SCHEMA) {
      this.store = disk;
      this.state = loaded;
      this.keyStore = issuer.open(storeDir, true);
      this.keys = this.keyStore.load();
    }
  }

  setup({ persistent = false } = {}) {
    this.reset();
    const durable = Boolean(persistent && this.storeDir);
    this.store = new FileStore(durable ? this.storeDir : null, 'enrolment');
    this.keyStore = issuer.open(this.storeDir, durable);
    this.keys = issuer.create(this.keyStore);
    this.commit(emptyState(Boolean(persistent)));
  }

  // The service killed and started again over its store (VDC-HARN-007).
  restart() {
    this.need();
    const loaded = this.store.load();
    if (!loaded || loaded.schema !== SCHEMA) throw new VdcError('internal', 'enrolment store unreadable');
    this.state = loaded;
    this.keys = this.keyStore.load();
  }

  reset() {
    if (this.storeDir) {
      new FileStore(this.storeDir, 'enrolment').clear();
      issuer.open(this.storeDir, true).clear();
    }
    this.store = null;
    this.state = null;
    this.keys = null;
  }

  need() {
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
      id, nir: event.nir, state: 'START', route: null, document: null, device: event.device, createdAt: now,
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
      draft, enr, event, now, account: lookup(enr.nir),
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
    return {
      state: enr.state, captures: enr.captures.length, codeMails: codes.length,
      latestCode: codes.length ? codes[codes.length - 1].code : null,
    };
  }

  mailbox(id) {
    this.need();
    if (!this.state.enrolments[id]) refuse('unknown-enrolment');
    return { mails: this.state.outbox.filter((m) => m.enrolment === id).map((m) => ({ kind: m.kind, to: m.to })) };
  }
}

module.exports = { EnrolmentService };
