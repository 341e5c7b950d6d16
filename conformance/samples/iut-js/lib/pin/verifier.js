'use strict';
// Argon2id verifier of the personal code (spec/pin.md VDC-PIN-009 to 011), through
// hash-wasm: a maintained Argon2 in WebAssembly, no native build, fast enough for the
// 64 MiB default at every unlock.
const crypto = require('crypto');
const { argon2id } = require('hash-wasm');
const { VdcError } = require('../errors');

const DEFAULT = Object.freeze({ memoryKiB: 65536, iterations: 3, lanes: 4, length: 32 }); // RFC 9106 second option
// Test-only set of spec/pin.md, never the default of a holder in service.
const TEST_ONLY = Object.freeze({ memoryKiB: 32, iterations: 1, lanes: 1, length: 32 });
const LIMITS = { lanes: [1, 16], iterations: [1, 64], maxMemoryKiB: 1 << 20, length: [16, 64] };

// VDC-PIN-010: a parameter set outside the bounds is refused before any allocation.
function checkParameters({ memoryKiB, iterations, lanes, length = 32 }) {
  const int = (v) => Number.isInteger(v);
  if (!int(lanes) || lanes < LIMITS.lanes[0] || lanes > LIMITS.lanes[1]) return false;
  if (!int(iterations) || iterations < LIMITS.iterations[0] || iterations > LIMITS.iterations[1]) return false;
  if (!int(memoryKiB) || memoryKiB < 8 * lanes || memoryKiB > LIMITS.maxMemoryKiB) return false;
  return int(length) && length >= LIMITS.length[0] && length <= LIMITS.length[1];
}

async function derive(code, salt, params) {
  if (!checkParameters(params)) throw new VdcError('bad_request', 'Argon2id parameters outside the allowed bounds');
  if (salt.length < 8) throw new VdcError('bad_request', 'salt shorter than 8 bytes');
  const hex = await argon2id({
    password: Buffer.from(code, 'ascii'), salt, parallelism: params.lanes, iterations: params.iterations,
    memorySize: params.memoryKiB, hashLength: params.length || 32, outputType: 'hex',
  });
  return Buffer.from(hex, 'hex');
}

async function create(code, params = DEFAULT) {
  const salt = crypto.randomBytes(16);
  const digest = await derive(code, salt, params);
  return { salt: salt.toString('hex'), ...params, digest: digest.toString('hex') };
}

// VDC-PIN-011: constant-time comparison.
async function matches(code, verifier) {
  const digest = await derive(code, Buffer.from(verifier.salt, 'hex'), verifier);
  const stored = Buffer.from(verifier.digest, 'hex');
  return digest.length === stored.length && crypto.timingSafeEqual(digest, stored);
}

module.exports = { DEFAULT, TEST_ONLY, derive, create, matches, checkParameters };
