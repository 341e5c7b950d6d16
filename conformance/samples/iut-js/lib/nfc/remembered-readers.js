'use strict';
// The reader chains a version 2 holder remembers (spec/lean.md VDC-PKI-060): the 8
// most recently validated, each under its reader root and its reference
// readerRef = SHA-256(A2 value)[0..7]. Only the certificates are kept: a reference is
// answered by validating them again at `now` under the holder's current reader root,
// so that an entry is never served for another root nor past the earliest notAfter
// of its chain (VDC-PKI-026), and the grant it gives is the one the chain would give.
const crypto = require('crypto');

const CAPACITY = 8; // VDC-PKI-060: at least the 8 most recent

function rootKey(rootDer) {
  return crypto.createHash('sha256').update(rootDer).digest('hex');
}

class RememberedReaders {
  constructor(capacity = CAPACITY) {
    this.capacity = capacity;
    this.entries = new Map(); // `${root}/${ref}` -> certificates, oldest first
  }

  key(rootDer, ref) {
    return `${rootKey(rootDer)}/${ref.toString('hex')}`;
  }

  // Called only after a chain validated and its reader signed the session.
  remember(rootDer, ref, certs) {
    const k = this.key(rootDer, ref);
    this.entries.delete(k);
    this.entries.set(k, certs.map((c) => Buffer.from(c)));
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value);
  }

  // The certificates remembered under this root and reference, or null.
  lookup(rootDer, ref) {
    return this.entries.get(this.key(rootDer, ref)) || null;
  }

  forget(rootDer, ref) {
    this.entries.delete(this.key(rootDer, ref));
  }

  clear() {
    this.entries.clear();
  }
}

module.exports = { RememberedReaders, CAPACITY };
