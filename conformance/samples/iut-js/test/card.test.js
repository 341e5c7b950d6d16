'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const vpcd = require('../lib/card/vpcd');
const control = require('../lib/card/control');
const hierarchy = require('../lib/hierarchy');
const { createOps } = require('../lib/ops');
const { makeClock } = require('../lib/card/cli');

// A stand-in for vpcd's server side on loopback: frames in, frames out.
function fakeVpcd() {
  return new Promise((resolve) => {
    const server = net.createServer();
    const conns = [];
    server.on('connection', (s) => {
      const conn = { socket: s, buf: Buffer.alloc(0), waiters: [] };
      s.on('data', (d) => {
        conn.buf = Buffer.concat([conn.buf, d]);
        while (conn.buf.length >= 2 && conn.buf.length >= 2 + conn.buf.readUInt16BE(0)) {
          const n = conn.buf.readUInt16BE(0);
          const payload = conn.buf.subarray(2, 2 + n);
          conn.buf = conn.buf.subarray(2 + n);
          conn.waiters.shift()(payload);
        }
      });
      conns.push(conn);
      if (server.onConn) server.onConn(conn);
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, port: server.address().port, conns }));
  });
}

function ask(conn, payload) {
  return new Promise((resolve) => {
    conn.waiters.push(resolve);
    conn.socket.write(vpcd.frame(payload));
  });
}

function nextConnection(fake) {
  return new Promise((resolve) => {
    fake.server.onConn = resolve;
  });
}

test('the ATR is 3B 8K 80 01, the historical bytes and TCK (VDC-TRN-010)', () => {
  const a = vpcd.atr(Buffer.from('VDC-JS'));
  assert.strictEqual(a.subarray(0, 4).toString('hex'), '3b868001');
  assert.strictEqual(a.subarray(1).reduce((x, b) => x ^ b, 0), 0);
});

test('the card answers ATR, power and APDUs over vpcd frames and reconnects after a bad frame', async () => {
  const fake = await fakeVpcd();
  const { ops, ctx } = createOps({ storeDir: null });
  const readerPki = hierarchy.reader({ common: 'Dr EXEMPLE (synthetic)', rpps: '18888888007', profession: '10', allowedElements: [1] });
  ctx.holder.setup(readerPki.root.der);
  const clock = makeClock('2026-06-01T12:00:00Z');
  const card = { transmit: (apdu) => ctx.holder.transmit(apdu, clock.now()), reset: () => ctx.holder.fieldOff() };
  const first = nextConnection(fake);
  const served = vpcd.serve({ port: fake.port, card });
  try {
    const conn = await first;
    const atr = await ask(conn, Buffer.from([vpcd.CONTROL.GET_ATR]));
    assert.strictEqual(atr[0], 0x3b);
    conn.socket.write(vpcd.frame(Buffer.from([vpcd.CONTROL.POWER_ON])));
    const fci = await ask(conn, Buffer.from('00a4040007f0564954414c4500', 'hex'));
    assert.strictEqual(fci.subarray(-2).toString('hex'), '9000');
    assert.strictEqual(fci.length, 90); // the FCI offers 01 02 (VDC-NFC-070)
    const wrong = await ask(conn, Buffer.from('00a40400', 'hex'));
    assert.strictEqual(wrong.toString('hex'), '6700');
    const again = nextConnection(fake);
    conn.socket.write(Buffer.from([0, 0])); // a zero-length frame ends the connection (VDC-TRN-005)
    const conn2 = await again;
    const atr2 = await ask(conn2, Buffer.from([vpcd.CONTROL.GET_ATR]));
    assert.ok(atr2.equals(atr));
  } finally {
    served.stop();
    fake.server.close();
  }
});

test('the control channel serves set-up, refuses holder.transmit and is private (VDC-TRN-041)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vdc-js-'));
  const sock = path.join(dir, 'control.sock');
  const { ops } = createOps({ storeDir: null });
  const clock = makeClock('system');
  const server = control.listen(sock, ops, clock);
  await new Promise((r) => server.on('listening', r));
  try {
    assert.strictEqual(fs.statSync(sock).mode & 0o777, 0o600);
    const c = net.createConnection(sock);
    let buf = '';
    const next = () => new Promise((resolve) => {
      const check = () => {
        const i = buf.indexOf('\n');
        if (i >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          resolve(JSON.parse(line));
        } else c.once('data', (d) => { buf += d; check(); });
      };
      check();
    });
    const send = (o) => c.write(`${JSON.stringify(o)}\n`);
    send({ id: 1, op: 'hello', params: { protocol: 'vdc-harness/1' } });
    const hello = await next();
    assert.ok(hello.result.operations.includes('transport.now'));
    assert.ok(!hello.result.operations.includes('holder.transmit'));
    send({ id: 2, op: 'holder.transmit', params: { apdu: '00a4040007f0564954414c4500', now: '2026-06-01T12:00:00Z' } });
    assert.strictEqual((await next()).error.kind, 'bad_request');
    send({ id: 3, op: 'transport.now', params: { now: '2026-06-01T12:00:00Z' } });
    assert.deepStrictEqual(await next(), { id: 3, result: {} });
    c.end();
  } finally {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
