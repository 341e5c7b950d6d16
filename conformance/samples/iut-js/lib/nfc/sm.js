'use strict';
// Key schedule and secure messaging (spec/sm.md VDC-SM-020 to 036).
const crypto = require('crypto');

const LABEL = {
  readerAuth: Buffer.from('VDC-SM v1 reader authentication'),
  deviceAuth: Buffer.from('VDC-SM v1 device authentication'),
  receipt: Buffer.from('VDC-SM v1 billing receipt'),
  rd: Buffer.from('VDC-SM v1 reader to device'),
  dr: Buffer.from('VDC-SM v1 device to reader'),
};
const COUNTER_LIMIT = 2 ** 32; // VDC-SM-036
const OK = Buffer.from([0x90, 0x00]);

function sha256(...parts) {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

// K_rd and K_dr from Z and TH = SHA-256(FCI || E) (VDC-SM-020).
function sessionKeys(z, fci, establishData) {
  const th = sha256(fci, establishData);
  const kdf = (info) => Buffer.from(crypto.hkdfSync('sha256', z, th, info, 32));
  return { th, kRd: kdf(LABEL.rd), kDr: kdf(LABEL.dr) };
}

function nonce(n) {
  const iv = Buffer.alloc(12);
  iv.writeUInt32BE(Math.floor(n / 2 ** 32), 4);
  iv.writeUInt32BE(n % 2 ** 32, 8);
  return iv;
}

// AAD of a command: its header with the chaining bit cleared (VDC-SM-033).
function commandAad(cla, ins, p1, p2) {
  return Buffer.from([cla & ~0x10, ins, p1, p2]);
}

function seal(key, n, aad, plaintext) {
  const c = crypto.createCipheriv('aes-256-gcm', key, nonce(n));
  c.setAAD(aad);
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([ct, c.getAuthTag()]);
}

// Returns the plaintext, or null when the tag does not verify (VDC-SM-034).
function open(key, n, aad, data) {
  if (data.length < 16 || n >= COUNTER_LIMIT) return null;
  try {
    const d = crypto.createDecipheriv('aes-256-gcm', key, nonce(n));
    d.setAAD(aad);
    d.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([d.update(data.subarray(0, data.length - 16)), d.final()]);
  } catch (e) {
    return null;
  }
}

module.exports = { LABEL, OK, sha256, sessionKeys, commandAad, seal, open, COUNTER_LIMIT };
