'use strict';
// The holder card application (spec/nfc.md, spec/sm.md): a sans-I/O state machine
// given one C-APDU and `now`, returning one R-APDU. Presence and the credential come
// from the app; events go to the app, which files them before the response leaves.
const { parseCommand, sw } = require('./apdu');
const commands = require('./holder-commands');

const AID = Buffer.from('F0564954414C45', 'hex');
const MAX_DATA = 4096; // VDC-NFC-051
const INS = {
  SELECT: 0xa4, GET_RESPONSE: 0xc0, ESTABLISH: 0x86, READ: 0xcb, RECEIPT: 0xdb, SIGNER_CHAIN: 0xca,
};
const INTERINDUSTRY = new Set([INS.SELECT, INS.GET_RESPONSE]);
const KNOWN_INS = new Set(Object.values(INS));
const ALLOWED_IN = { // state table of VDC-NFC-060
  [INS.ESTABLISH]: 'SELECTED', [INS.READ]: 'ESTABLISHED', [INS.RECEIPT]: 'READ_DONE', [INS.SIGNER_CHAIN]: 'READ_DONE',
};
const NEEDS_LE = new Set([INS.SELECT, INS.GET_RESPONSE, INS.READ, INS.RECEIPT, INS.SIGNER_CHAIN]);

class HolderCore {
  // deps: { credential: decoded full presentation, deviceKey, readerRoot (parsed
  // certificate), readers (RememberedReaders, VDC-PKI-060), isArmed(now), onEvent(event) }
  constructor(deps) {
    this.deps = deps;
    this.state = 'IDLE';
    this.session = null;
    this.chain = null;
    this.pending = null;
  }

  // Field loss or card reset (VDC-NFC-062).
  reset() {
    this.endSession();
    this.chain = null;
    this.pending = null;
  }

  endSession() {
    this.state = 'IDLE';
    this.session = null; // ephemeral key, session keys, grant and counter (VDC-SM-022)
  }

  // VDC-NFC-041: every input gets an R-APDU; an internal error is 6F00 and IDLE.
  process(apdu, now) {
    try {
      return this.dispatch(apdu, now);
    } catch (e) {
      this.reset();
      return sw(0x6f00);
    }
  }

  // Check order of VDC-NFC-042.
  dispatch(bytes, now) {
    const cmd = parseCommand(bytes);
    if (!cmd) return sw(0x6700);
    const { cla, ins, p1, p2 } = cmd;
    if (![0x00, 0x10, 0x80, 0x90].includes(cla)) return sw(0x6e00);
    if (!KNOWN_INS.has(ins)) return sw(0x6d00);
    if (INTERINDUSTRY.has(ins) !== ((cla & 0x80) === 0)) return sw(0x6e00);
    if (ins !== INS.GET_RESPONSE) this.pending = null; // VDC-NFC-043
    const chained = (cla & 0x10) !== 0;
    if (this.chain && (ins !== this.chain.ins || p1 !== this.chain.p1 || p2 !== this.chain.p2)) {
      this.chain = null;
      return sw(0x6883);
    }
    if (chained && INTERINDUSTRY.has(ins)) return sw(0x6884);
    const p1p2 = ins === INS.SELECT ? [0x04, 0x00] : [0x00, 0x00];
    if (p1 !== p1p2[0] || p2 !== p1p2[1]) return this.dropChain(0x6a86);
    if (!this.allowed(ins)) return this.dropChain(0x6985);
    const buffered = this.chain ? this.chain.length : 0;
    if (buffered + cmd.data.length > MAX_DATA) return this.dropChain(0x6a84);
    if (chained) return this.appendChain(cmd);
    if (NEEDS_LE.has(ins) && cmd.ne === null) return sw(0x6700);
    if (ins === INS.GET_RESPONSE) {
      // Its own checks, in order: a data field present, no response waiting.
      if (cmd.data.length) return sw(0x6700);
      if (!this.pending) return sw(0x6985);
      return this.getResponse(cmd.ne);
    }
    if (ins === INS.SELECT && (cmd.data.length < 5 || cmd.data.length > 16)) return sw(0x6700);
    const data = this.chain ? Buffer.concat([...this.chain.parts, cmd.data]) : cmd.data;
    this.chain = null;
    return this.run({ ...cmd, data }, now);
  }

  // The state table of VDC-NFC-060; GET SIGNER CHAIN only in a version 2 session
  // (VDC-NFC-073).
  allowed(ins) {
    if (ALLOWED_IN[ins] && this.state !== ALLOWED_IN[ins]) return false;
    return ins !== INS.SIGNER_CHAIN || this.session.version === 2;
  }

  dropChain(code) {
    this.chain = null;
    return sw(code);
  }

  appendChain(cmd) {
    if (!this.chain) this.chain = { ins: cmd.ins, p1: cmd.p1, p2: cmd.p2, parts: [], length: 0 };
    this.chain.parts.push(Buffer.from(cmd.data));
    this.chain.length += cmd.data.length;
    return sw(0x9000);
  }

  run(cmd, now) {
    switch (cmd.ins) {
      case INS.SELECT: return this.select(cmd);
      case INS.ESTABLISH: return commands.establish(this, cmd, now);
      case INS.READ: return this.respond(commands.read(this, cmd, now), cmd.ne);
      case INS.SIGNER_CHAIN: return this.respond(commands.signerChain(this, cmd), cmd.ne);
      default: return this.respond(commands.receipt(this, cmd, now), cmd.ne);
    }
  }

  select(cmd) {
    if (!cmd.data.equals(AID)) return sw(0x6a82); // VDC-NFC-063: session kept
    // VDC-NFC-053: too short an Le is refused before any key is generated.
    if (cmd.ne < commands.FCI_LENGTH) return sw(0x6c00 | commands.FCI_LENGTH);
    this.session = commands.newSession();
    this.state = 'SELECTED';
    return Buffer.concat([this.session.fci, sw(0x9000)]);
  }

  // Sends up to Ne bytes and keeps the rest for GET RESPONSE (VDC-NFC-052).
  respond({ data, status }, ne) {
    if (data.length <= ne) return Buffer.concat([data, sw(status)]);
    this.pending = { data: data.subarray(ne), status };
    return Buffer.concat([data.subarray(0, ne), sw(0x6100 | Math.min(data.length - ne, 256) & 0xff)]);
  }

  getResponse(ne) {
    const { data, status } = this.pending;
    this.pending = null;
    return this.respond({ data, status }, ne);
  }
}

module.exports = { HolderCore, AID, INS };
