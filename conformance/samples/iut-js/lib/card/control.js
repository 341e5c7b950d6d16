'use strict';
// The set-up side channel of an emulated holder (spec/transport.md "Conformance
// through readers"): the driver protocol on a Unix socket readable by its owner only,
// carrying the holder app's operations and `transport.now`, never holder.transmit
// (VDC-TRN-041).
const fs = require('fs');
const net = require('net');
const { Driver } = require('../driver');
const { VdcError } = require('../errors');
const { parseInstant } = require('../time');

const MAX_CONTROL_LINE = 1024 * 1024; // VDC-HARN-901: control-channel lines
const ALLOWED = /^(reset|hello|holder\.(setup|arm|events|field_off|restart)|pin\.[a-z_]+|history\.[a-z_]+)$/;

function controlOps(ops, clock) {
  const out = {};
  for (const [name, fn] of Object.entries(ops)) if (ALLOWED.test(name)) out[name] = fn;
  out['transport.now'] = (p) => {
    if (!p || typeof p.now !== 'string') throw new VdcError('bad_request', 'transport.now needs now');
    clock.set(parseInstant(p.now));
    return {};
  };
  out['holder.transmit'] = () => {
    throw new VdcError('bad_request', 'APDUs travel through the reader, not the control channel');
  };
  const hello = ops.hello;
  out.hello = (p) => ({ ...hello(p), operations: Object.keys(out).filter((n) => n !== 'holder.transmit').sort() });
  return out;
}

function listen(path, ops, clock, log = () => {}, ready = () => true) {
  try {
    fs.unlinkSync(path);
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  const table = controlOps(ops, clock);
  const server = net.createServer((sock) => {
    new Driver({ input: sock, output: sock, ops: table, log, maxLine: MAX_CONTROL_LINE, ready }).run().catch((e) => log(`control: ${e.message}`));
  });
  const old = process.umask(0o177); // the socket is created 0600
  try {
    server.listen(path);
  } finally {
    process.umask(old);
  }
  return server;
}

module.exports = { listen, controlOps };
