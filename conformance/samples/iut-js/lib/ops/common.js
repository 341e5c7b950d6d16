'use strict';
// Helpers shared by the operation handlers: hex and time parameters.
const { VdcError } = require('../errors');
const { parseInstant } = require('../time');

function hex(text) {
  if (typeof text !== 'string' || !/^([0-9A-Fa-f]{2})*$/.test(text)) throw new VdcError('bad_request', 'not hexadecimal');
  return Buffer.from(text, 'hex');
}

function toHex(buf) {
  return Buffer.from(buf).toString('hex');
}

function instant(text) {
  return parseInstant(text);
}

module.exports = { hex, toHex, instant };
