'use strict';
// Usage history rules (spec/history.md): entries visible while now - at is at most
// 7 days, purged at every recording and read, newest first, only the listed fields.
const { formatInstant, US } = require('../time');
const { VdcError } = require('../errors');
const { entryValid, damaged } = require('./state');

const RETENTION = 7 * 86400 * US; // VDC-HIST-003

// Damaged entries are kept as they are: filing never decodes them (VDC-HIST-010).
function purge(entries, now) {
  return entries.filter((e) => !entryValid(e) || now - e.at <= RETENTION);
}

// VDC-HIST-009: fields outside the table are refused and nothing is recorded.
function refuse(message) {
  throw new VdcError('bad_request', message);
}

function checkRpps(rpps) {
  if (typeof rpps !== 'string' || !/^[0-9]{11}$/.test(rpps)) refuse('the RPPS number is not 11 ASCII digits');
}

function presentation({ readerRpps, elements, at }) {
  checkRpps(readerRpps);
  if (!Array.isArray(elements) || elements.length > 32 || elements.some((id) => !Number.isInteger(id) || id < 1 || id > 127)) {
    refuse('more than 32 element identifiers, or one outside 1..127');
  }
  return { kind: 'presentation', readerRpps, elements: [...elements], at };
}

function receipt({ practitionerRpps, act, amountCents, at }) {
  checkRpps(practitionerRpps);
  if (typeof act !== 'string' || !/^[\x20-\x7e]{1,32}$/.test(act)) refuse('the act code is not 1 to 32 printable ASCII characters');
  if (!Number.isInteger(amountCents) || amountCents < 0 || amountCents > 0xffffffff) refuse('the amount is outside 0..2^32-1');
  return { kind: 'receipt', practitionerRpps, act, amountCents, at };
}

// VDC-HIST-004: an entry already too old when it arrives is not stored.
function add(entries, entry, now) {
  const kept = purge(entries, now);
  if (now - entry.at > RETENTION) return kept;
  const seq = kept.reduce((m, e) => (Number.isSafeInteger(e && e.seq) ? Math.max(m, e.seq) : m), 0) + 1;
  return [...kept, { ...entry, seq }];
}

// history-entry.schema.json: only the fields of the table (VDC-HIST-005).
function entryJson(e) {
  if (e.kind === 'presentation') {
    return { type: 'Presentation', readerRpps: e.readerRpps, elements: e.elements, at: formatInstant(e.at) };
  }
  return { type: 'Receipt', practitionerRpps: e.practitionerRpps, act: e.act, amountCents: e.amountCents, at: formatInstant(e.at) };
}

// Newest first, equal times latest recorded first (VDC-HIST-020).
function list(entries, now) {
  const bad = entries.findIndex((e) => !entryValid(e));
  if (bad >= 0) throw damaged(`history entry ${bad + 1} does not decode`);
  return purge(entries, now)
    .slice()
    .sort((a, b) => b.at - a.at || b.seq - a.seq)
    .map(entryJson);
}

module.exports = { purge, presentation, receipt, add, list, RETENTION };
