'use strict';
// `node main.js --vpcd HOST:PORT [options]`: serves this implementation's holder as a
// vpcd card for pcscd, so that any PC/SC reader (the reference reader through
// pyscard among them) reads it.
//   --control PATH          set-up side channel (driver protocol, Unix socket 0600)
//   --reader-root FILE      provision at start, trusting this reader root (DER or PEM)
//   --issuing-root-out FILE write the issuing root of the provisioned credential (PEM)
//   --presence              the app is open: the presentation is armed at every command
//   --clock system|ISO      instant given to the card (default system; fixed otherwise)
//   --historical HEX        ATR historical bytes (default "VDC-JS")
const fs = require('fs');
const { createOps } = require('../ops');
const vpcd = require('./vpcd');
const control = require('./control');
const { parseInstant } = require('../time');

function parseArgs(argv) {
  const opts = { presence: false, clock: 'system', historical: Buffer.from('VDC-JS') };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    const next = () => {
      i += 1;
      if (i >= argv.length) throw new Error(`${a} needs a value`);
      return argv[i];
    };
    if (a === '--vpcd') opts.vpcd = next();
    else if (a === '--control') opts.control = next();
    else if (a === '--reader-root') opts.readerRoot = next();
    else if (a === '--issuing-root-out') opts.issuingOut = next();
    else if (a === '--presence') opts.presence = true;
    else if (a === '--clock') opts.clock = next();
    else if (a === '--historical') opts.historical = Buffer.from(next(), 'hex');
    else throw new Error(`unknown option ${a}`);
  }
  const m = /^(?:([^:]+):)?(\d+)$/.exec(opts.vpcd || '');
  if (!m) throw new Error('--vpcd needs [HOST:]PORT');
  opts.host = m[1] || '127.0.0.1';
  opts.port = Number(m[2]);
  return opts;
}

function readDer(file) {
  const text = fs.readFileSync(file);
  const pem = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(text.toString('latin1'));
  return pem ? Buffer.from(pem[1].replace(/\s+/g, ''), 'base64') : text;
}

function toPem(der) {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${b64.trim()}\n-----END CERTIFICATE-----\n`;
}

function makeClock(spec) {
  let fixed = spec === 'system' ? null : parseInstant(spec);
  return {
    now: () => (fixed === null ? Date.now() * 1000 : fixed),
    set: (us) => {
      fixed = us;
    },
  };
}

async function main(argv, { storeDir }) {
  const opts = parseArgs(argv);
  const log = (m) => process.stderr.write(`${m}\n`);
  const clock = makeClock(opts.clock);
  const { ops, ctx, ready } = createOps({ storeDir });
  const app = ctx.holder;
  if (opts.readerRoot) {
    const { issuingRoot } = app.setup(readDer(opts.readerRoot));
    if (opts.issuingOut) fs.writeFileSync(opts.issuingOut, toPem(issuingRoot));
  }
  if (opts.presence) {
    app.isArmed = () => true;
  }
  const card = {
    transmit: (apdu) => app.transmit(apdu, clock.now()),
    reset: () => app.fieldOff(),
  };
  if (opts.control) control.listen(opts.control, ops, clock, log, ready);
  vpcd.serve({ host: opts.host, port: opts.port, card, historical: opts.historical, log });
  return new Promise(() => {}); // serves until killed
}

module.exports = { main, parseArgs, makeClock, readDer, toPem };
