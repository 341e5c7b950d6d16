'use strict';
// The one way a read fails for the reader: `rejected` (spec/harness.md, VDC-NFC-205).
const { VdcError } = require('../errors');

function rejected(message) {
  return new VdcError('rejected', message);
}

module.exports = { rejected };
