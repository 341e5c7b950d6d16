'use strict';
// The holder as a vpcd virtual card (spec/transport.md "The vpcd binding"): a TCP
// client of pcscd's vpcd driver. Each message is a 2-byte big-endian length and its
// payload (VDC-TRN-001); a 1-byte payload is a control code (VDC-TRN-002).
const net = require('net');

const CONTROL = { POWER_OFF: 0x00, POWER_ON: 0x01, RESET: 0x02, GET_ATR: 0x04 };
const MAX_FRAME = 65535;

// ATR 3B 8K 80 01 <K historical bytes> TCK (VDC-TRN-010), so that pcscd picks T=1.
function atr(historical) {
  if (historical.length > 15) throw new Error('at most 15 historical bytes');
  const body = Buffer.concat([Buffer.from([0x80 | historical.length, 0x80, 0x01]), historical]);
  const tck = body.reduce((x, b) => x ^ b, 0);
  return Buffer.concat([Buffer.from([0x3b]), body, Buffer.from([tck])]);
}

function frame(payload) {
  const h = Buffer.alloc(2);
  h.writeUInt16BE(payload.length, 0);
  return Buffer.concat([h, payload]);
}

// Reads frames from one connection; `onFrame(payload)` returns the answer or null;
// returning false closes the connection (VDC-TRN-004/005).
class FrameReader {
  constructor(maxFrame, onFrame) {
    this.maxFrame = maxFrame;
    this.onFrame = onFrame;
    this.buf = Buffer.alloc(0);
  }

  // Returns the answers to write, or null when the connection must close.
  feed(chunk) {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out = [];
    while (this.buf.length >= 2) {
      const len = this.buf.readUInt16BE(0);
      if (len === 0 || len > this.maxFrame) return null; // refused before buffering the payload
      if (this.buf.length < 2 + len) break;
      const payload = this.buf.subarray(2, 2 + len);
      this.buf = this.buf.subarray(2 + len);
      const answer = this.onFrame(payload);
      if (answer === false) return null;
      if (answer) out.push(frame(answer));
    }
    return out;
  }
}

// Card behaviour over the frames: `card` offers transmit(apdu) -> Buffer and reset().
function handler(card, historical) {
  return (payload) => {
    if (payload.length === 1) {
      const code = payload[0];
      if (code === CONTROL.GET_ATR) return atr(historical);
      if (code === CONTROL.POWER_OFF || code === CONTROL.POWER_ON || code === CONTROL.RESET) {
        card.reset(); // VDC-TRN-011
        return null;
      }
      return false; // unknown control code: end the connection
    }
    let response;
    try {
      response = card.transmit(Buffer.from(payload));
    } catch (e) {
      response = null;
    }
    // VDC-TRN-012: one response of 2 to the limit bytes, else 6F00.
    if (!Buffer.isBuffer(response) || response.length < 2 || response.length > MAX_FRAME) return Buffer.from([0x6f, 0x00]);
    return response;
  };
}

// Connects to vpcd and serves until stopped; reconnects with a reset card whenever
// the connection ends (VDC-TRN-007). Returns { stop() }.
function serve({ host = '127.0.0.1', port, card, historical = Buffer.from('VDC-JS'), maxFrame = MAX_FRAME, log = () => {} }) {
  let stopped = false;
  let socket = null;
  let delay = 100;
  const connect = () => {
    if (stopped) return;
    card.reset();
    const reader = new FrameReader(maxFrame, handler(card, historical));
    socket = net.createConnection({ host, port });
    socket.setNoDelay(true);
    socket.on('connect', () => {
      delay = 100;
      log(`connected to vpcd at ${host}:${port}`);
    });
    socket.on('data', (chunk) => {
      const answers = reader.feed(chunk);
      if (answers === null) socket.destroy();
      else for (const a of answers) socket.write(a);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      socket = null;
      if (stopped) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 2000);
    });
  };
  connect();
  return {
    stop() {
      stopped = true;
      if (socket) socket.destroy();
    },
  };
}

module.exports = { serve, atr, frame, FrameReader, handler, CONTROL };
