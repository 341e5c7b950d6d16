#!/usr/bin/env node
// A third-party implementation under test written in JavaScript: it speaks the VDC
// driver protocol (spec/harness.md, vdc-harness/1) on stdin/stdout and implements the
// NIR validator of spec chapter VDC-NIR; every other operation is "unsupported". It
// claims no profile, since it implements none whole (VDC-HARN-020).
'use strict';
const readline = require('readline');

const SEPARATORS = ' .-';

function fail(kind, message) {
  const error = new Error(message);
  error.kind = kind;
  throw error;
}

function checkCharacters(nir) {
  for (let i = 0; i < nir.length; i++) {
    const c = nir[i];
    const position = i + 1;
    if ((c >= '0' && c <= '9') || c === 'A' || c === 'B') continue;
    if (SEPARATORS.includes(c) || /\s/.test(c)) fail('format', `separator at position ${position}`);
    if (c === 'a' || c === 'b') fail('format', `lower-case letter at position ${position}`);
    fail('format', `character at position ${position} is not a digit`);
  }
}

function checkPlace(nir) {
  const department = nir.slice(5, 7);
  if (department === '97' || department === '98') {
    if (nir.slice(8, 10) === '00') fail('component:commune', 'overseas commune 00');
  } else if (department === '99') {
    if (!'12345'.includes(nir[7])) fail('component:country', 'country code not 100-599');
  } else if (department === '2A' || department === '2B' ||
             (Number(department) >= 1 && Number(department) <= 95)) {
    if (nir.slice(7, 10) === '000') fail('component:commune', 'commune 000');
  } else {
    fail('component:department', `department at positions 6-7 is not used`);
  }
}

function validate(nir) {
  if (typeof nir !== 'string') fail('format', 'a NIR is text');
  if (nir.length > 32) fail('length', 'input longer than 32 characters');
  checkCharacters(nir);
  if (nir.length !== 15) fail('length', `${nir.length} characters, a NIR has 15`);
  for (let i = 0; i < 15; i++) {
    if ((nir[i] === 'A' || nir[i] === 'B') && !(i === 6 && nir[5] === '2')) {
      fail('format', `letter at position ${i + 1}`);
    }
  }
  if ('3478'.includes(nir[0])) fail('component:sex', 'provisional number');
  if (!'12'.includes(nir[0])) fail('component:sex', 'sex is not 1 or 2');
  const month = Number(nir.slice(3, 5));
  if (!((month >= 1 && month <= 12) || (month >= 20 && month <= 42) || month >= 50)) {
    fail('component:month', 'month is not used');
  }
  checkPlace(nir);
  if (nir.slice(10, 13) === '000') fail('component:order', 'order number 000');
  const key = Number(nir.slice(13));
  if (key < 1 || key > 97) fail('component:key', 'key is not 01-97');
  const body = nir.slice(0, 5) + ({ '2A': '19', '2B': '18' }[nir.slice(5, 7)] || nir.slice(5, 7)) +
    nir.slice(7, 13);
  if (97 - Number(BigInt(body) % 97n) !== key) fail('checksum', 'key does not match');
  return nir;
}

const operations = {
  hello: () => ({
    protocol: 'vdc-harness/1',
    implementation: { name: 'sample-node-iut', version: '0.1' },
    profiles: [],
    operations: ['hello', 'reset', 'nir.validate'],
  }),
  reset: () => ({}),
  'nir.validate': (params) => ({ nir: validate(params.nir) }),
};

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let request;
  try {
    request = JSON.parse(line);
  } catch (e) {
    request = null;
  }
  const usable = request !== null && typeof request === 'object' && !Array.isArray(request) &&
    Number.isInteger(request.id) && request.id > 0 && typeof request.op === 'string';
  if (!usable) {
    process.stdout.write(JSON.stringify({ id: 0, error: { kind: 'bad_request' } }) + '\n');
    return;
  }
  const handler = operations[request.op];
  let answer;
  if (!handler) {
    answer = { id: request.id, unsupported: `${request.op} is not implemented` };
  } else {
    try {
      answer = { id: request.id, result: handler(request.params || {}) };
    } catch (e) {
      answer = { id: request.id, error: { kind: e.kind || 'internal', message: e.message } };
    }
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
});
