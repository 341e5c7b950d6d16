'use strict';
// Usage history rules (spec/history.md): entries visible while now - at is at most
// 7 days, purged at every recording and read, newest first, only the listed fields.
const { formatInstant, US } = require('../time');

const RETENTION = 7 * 86400 * US; // VDC-HIST-003

function purge(entries, now) {
  return entries.filter((e) => now - e.at <= RETENTION);
}

function presentation({ readerRpps, elements, at }) {
  return { kind: 'presentation', readerRpps, elements: [...elements], at };
}

function receipt({ practitionerRpps, act, amountCents, at }) {
  return { kind: 'receipt', practitionerRpps, act, amountCents, at };
}

// VDC-HIST-004: an entry already too old when it arrives is not stored.
function add(entries, entry, now) {
  const kept = purge(entries, now);
  if (now - entry.at > RETENTION) return kept;
  return [...kept, { ...entry, seq: kept.reduce((m, e) => Math.max(m, e.seq || 0), 0) + 1 }];
}

// Newest first; the JSON form of the driver protocol.
function list(entries, now) {
  return purge(entries, now)
    .slice()
    .sort((a, b) => b.at - a.at || b.seq - a.seq)
    .map(({ seq, at, ...fields }) => ({ ...fields, at: formatInstant(at) }));
}

module.exports = { purge, presentation, receipt, add, list, RETENTION };
