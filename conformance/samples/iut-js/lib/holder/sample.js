'use strict';
// The typical synthetic credential a holder under test is provisioned with
// (VDC-HARN-010): the element values, validity and status reference published in
// vectors/credential/typical.json. Synthetic data only (family name EXEMPLE).
const fs = require('fs');
const path = require('path');
const { NAMES } = require('../credential/elements');
const { parseInstant } = require('../time');

const FILE = path.join(__dirname, '..', '..', '..', '..', '..', 'vectors', 'credential', 'typical.json');
const group = JSON.parse(fs.readFileSync(FILE, 'utf8')).testGroups[0];

const TYPICAL = Object.freeze(Object.fromEntries(Object.entries(group.elements).map(([id, v]) => [NAMES[id], v])));
const VALID_FROM = parseInstant(group.validFrom);
const VALID_UNTIL = parseInstant(group.validUntil);
const STATUS = Object.freeze({ ...group.status });

module.exports = { TYPICAL, VALID_FROM, VALID_UNTIL, STATUS };
