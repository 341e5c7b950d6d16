'use strict';
// Personal-code choice policy (spec/pin.md VDC-PIN-001 to 008), rules reported in
// the order of VDC-PIN-005. The blocklist is built from the six pattern classes of
// the chapter, not copied from any list.
const { VdcError } = require('../errors');

const KEYPAD_LINES = (() => {
  const base = ['123', '456', '789', '147', '258', '369', '159', '357'];
  return [...base, ...base.map((l) => [...l].reverse().join(''))];
})();

const RUNS = (() => {
  const out = [];
  for (let d = 0; d <= 7; d += 1) out.push(`${d}${d + 1}${d + 2}`);
  for (let d = 9; d >= 2; d -= 1) out.push(`${d}${d - 1}${d - 2}`);
  return out;
})();

function identical(code) {
  return /^(\d)\1{5}$/.test(code);
}

function straightRun(code) {
  const up = [...code].every((c, i) => i === 0 || (Number(c) - Number(code[i - 1]) + 10) % 10 === 1);
  const down = [...code].every((c, i) => i === 0 || (Number(code[i - 1]) - Number(c) + 10) % 10 === 1);
  return up || down;
}

function repeatedBlock(code) {
  return code === code.slice(0, 2).repeat(3) || code === code.slice(0, 3).repeat(2);
}

// Classes K, M, S, B, O and P of the chapter, without the codes that VDC-PIN-002 to
// 004 already refuse, so that each refused code has one reason.
function buildBlocklist() {
  const set = new Set();
  for (const a of KEYPAD_LINES) for (const b of KEYPAD_LINES) if (a !== b) set.add(a + b); // K
  for (const l of new Set([...KEYPAD_LINES, ...RUNS])) set.add(l + [...l].reverse().join('')); // M
  for (const r of RUNS) set.add([...r].map((c) => c + c).join('')); // S
  for (let a = 0; a < 10; a += 1) {
    for (let b = 0; b < 10; b += 1) {
      if (a === b) continue;
      set.add(`${a}`.repeat(3) + `${b}`.repeat(3)); // B
      set.add(`${b}${`${a}`.repeat(5)}`); // O, other digit first
      set.add(`${`${a}`.repeat(5)}${b}`); // O, other digit last
    }
  }
  for (let start = 0; start < 10; start += 1) {
    for (let step = 2; step <= 8; step += 1) {
      let s = '';
      for (let i = 0; i < 6; i += 1) s += String((start + i * step) % 10); // P
      set.add(s);
    }
  }
  for (const c of [...set]) if (identical(c) || straightRun(c) || repeatedBlock(c)) set.delete(c);
  return set;
}

const BLOCKLIST = buildBlocklist();

// The six date forms of VDC-PIN-006, from the digits as written (lunar dates too).
function birthDateForms(date) {
  const cc = date.slice(0, 2);
  const yy = date.slice(2, 4);
  const mm = date.slice(4, 6);
  const dd = date.slice(6, 8);
  return [dd + mm + yy, mm + dd + yy, yy + mm + dd, dd + mm + cc, mm + cc + yy, cc + yy + mm];
}

function isFormatOk(code) {
  return typeof code === 'string' && /^[0-9]{6}$/.test(code);
}

// Returns null when the code may be chosen, else { kind, rule }.
function refusal(code, birthDate) {
  if (!isFormatOk(code)) return { kind: 'format', rule: 'VDC-PIN-001' };
  if (identical(code)) return { kind: 'weak', rule: 'VDC-PIN-002' };
  if (straightRun(code)) return { kind: 'weak', rule: 'VDC-PIN-003' };
  if (repeatedBlock(code)) return { kind: 'weak', rule: 'VDC-PIN-004' };
  if (birthDate && birthDateForms(birthDate).includes(code)) return { kind: 'weak', rule: 'VDC-PIN-006' };
  if (BLOCKLIST.has(code)) return { kind: 'weak', rule: 'VDC-PIN-007' };
  return null;
}

// pin.check: policy, then the second entry (VDC-PIN-008).
function check(code, { birthDate, confirmation } = {}) {
  if (birthDate !== undefined && birthDate !== null && !/^[0-9]{8}$/.test(birthDate)) {
    throw new VdcError('bad_request', 'birthDate is not eight ASCII digits');
  }
  const r = refusal(code, birthDate);
  if (r) throw new VdcError(r.kind, `code refused by ${r.rule}`);
  if (confirmation !== undefined && confirmation !== code) throw new VdcError('mismatch', 'the second entry differs');
}

module.exports = { BLOCKLIST, refusal, check, isFormatOk, birthDateForms };
