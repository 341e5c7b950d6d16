'use strict';
// The JSON-lines driver protocol (spec/harness.md "Driver protocol"): one request per
// line on standard input, one answer per line on standard output, diagnostics on
// standard error. A reader under test sends its APDUs as `transmit` messages and
// reads the card's `response` before it answers the request.
const { VdcError } = require('./errors');
const { validate } = require('./schema');

const MAX_LINE = 4 * 1024 * 1024; // VDC-HARN-001 and VDC-NFC-902: bounded lines
const MAX_TRANSMITS = 256; // VDC-HARN-001

// Splits a byte stream into lines without holding more than MAX_LINE of one line.
class LineReader {
  constructor(stream, maxLine = MAX_LINE) {
    this.maxLine = maxLine;
    this.lines = [];
    this.waiters = [];
    this.parts = [];
    this.size = 0;
    this.overflow = false;
    this.ended = false;
    stream.on('data', (chunk) => this.feed(chunk));
    stream.on('end', () => {
      this.ended = true;
      this.flush();
    });
  }

  feed(chunk) {
    let start = 0;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, start)) {
      this.take(chunk.subarray(start, i));
      this.push(this.overflow ? null : Buffer.concat(this.parts).toString('utf8'));
      this.parts = [];
      this.size = 0;
      this.overflow = false;
      start = i + 1;
    }
    this.take(chunk.subarray(start));
  }

  take(piece) {
    if (this.overflow || piece.length === 0) return;
    if (this.size + piece.length > this.maxLine) {
      this.overflow = true;
      this.parts = [];
      return;
    }
    this.parts.push(Buffer.from(piece));
    this.size += piece.length;
  }

  push(line) {
    const w = this.waiters.shift();
    if (w) w(line);
    else this.lines.push(line);
  }

  flush() {
    while (this.waiters.length) this.waiters.shift()(undefined);
  }

  // Resolves with the next line (null for an oversized one, undefined at the end).
  next() {
    if (this.lines.length) return Promise.resolve(this.lines.shift());
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

class Driver {
  // `ready(op)` tells whether the set-up an operation needs has happened.
  constructor({ input, output, ops, log, maxLine, ready }) {
    this.ready = ready || (() => true);
    this.reader = new LineReader(input, maxLine);
    this.output = output;
    this.ops = ops;
    this.log = log || (() => {});
  }

  send(obj) {
    this.output.write(`${JSON.stringify(obj)}\n`);
  }

  async transmitFor(id, state, apdu) {
    state.count += 1;
    if (state.count > MAX_TRANSMITS) throw new VdcError('internal', 'more than 256 APDUs in one operation');
    this.send({ id, transmit: apdu.toString('hex').toUpperCase() });
    const line = await this.reader.next();
    if (line === undefined) throw new VdcError('internal', 'input ended while waiting for an APDU response');
    let msg;
    try {
      msg = JSON.parse(line);
    } catch (e) {
      throw new VdcError('bad_request', 'the APDU response line is not JSON');
    }
    if (!msg || msg.id !== id || typeof msg.response !== 'string' || !/^([0-9A-Fa-f]{2})*$/.test(msg.response)) {
      throw new VdcError('bad_request', 'expected the response to the transmitted APDU');
    }
    return Buffer.from(msg.response, 'hex');
  }

  async handle(line) {
    let req;
    try {
      req = JSON.parse(line);
    } catch (e) {
      req = null;
    }
    // VDC-HARN-008: without an integer id of at least 1 and a string op the line is
    // answered with id 0; with them, a request off its schema keeps its id.
    const usable = line !== null && req && typeof req === 'object' && !Array.isArray(req)
      && Number.isInteger(req.id) && req.id >= 1 && typeof req.op === 'string';
    if (!usable) return { id: 0, error: { kind: 'bad_request', message: 'the line is not a usable request' } };
    const { id } = req;
    if (!validate('request', req)) {
      return { id, error: { kind: 'bad_request', message: 'the request does not fit the request schema' } };
    }
    const op = Object.prototype.hasOwnProperty.call(this.ops, req.op) ? this.ops[req.op] : null;
    if (!op) return { id, unsupported: `operation ${req.op} is not implemented` };
    if (!this.ready(req.op)) return { id, error: { kind: 'not_set_up', message: `${req.op} needs its set-up first` } };
    if (!validate(`op/${req.op}.params`, req.params)) {
      return { id, error: { kind: 'bad_request', message: `parameters do not fit ${req.op}` } };
    }
    const state = { count: 0 };
    try {
      const result = await op(req.params, { transmit: (apdu) => this.transmitFor(id, state, apdu) });
      return { id, result: result || {} };
    } catch (e) {
      if (e instanceof VdcError) return { id, error: { kind: e.kind, message: oneLine(e.message) } };
      this.log(`internal error in ${req.op}: ${e && e.stack}`);
      return { id, error: { kind: 'internal', message: oneLine(String(e && e.message)) } };
    }
  }

  async run() {
    for (;;) {
      const line = await this.reader.next();
      if (line === undefined) return;
      if (line !== null && line.trim() === '') continue;
      this.send(await this.handle(line));
    }
  }
}

function oneLine(text) {
  return String(text).replace(/[^\x20-\x7e]/g, ' ').slice(0, 200);
}

module.exports = { Driver, LineReader };
