'use strict';
// Loads the shared vector files of the repository (vectors/, spec/vectors.md).
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..', '..', '..', '..', 'vectors');

function load(relative) {
  return JSON.parse(fs.readFileSync(path.join(ROOT, relative), 'utf8'));
}

// Yields [group, test] for every test of a vector file.
function* tests(file) {
  for (const group of file.testGroups) for (const t of group.tests) yield [group, t];
}

const hex = (h) => Buffer.from(h, 'hex');

module.exports = { load, tests, hex };
