'use strict';
// Persistent state as JSON files under $VDC_IUT_STORE (spec/harness.md VDC-HARN-007).
// Each save writes a temporary file, flushes it and renames it over the old one, so
// that a process killed at any moment leaves the state before or after the save,
// never a mix (the one-transaction rules VDC-PIN-018, VDC-HIST-006, VDC-ENR-080).
// Files are private to their owner (0600) and a file others may read or change is
// refused (VDC-PIN-023, VDC-ENR-090, VDC-OTP-015); a file that does not decode is a
// damaged store, never a new one (VDC-PIN-024, VDC-ENR-090).
const fs = require('fs');
const path = require('path');
const { VdcError } = require('./errors');

class StoreError extends VdcError {
  constructor(label, message) {
    super('internal', `damaged ${label}: ${message}`);
  }
}

class FileStore {
  // `dir` null keeps the state in memory only (no store folder given); `label`
  // names the store in errors.
  constructor(dir, name, label = `${name} store`) {
    this.file = dir ? path.join(dir, `${name}.json`) : null;
    this.label = label;
    this.memory = null;
  }

  load() {
    if (!this.file) return this.memory ? JSON.parse(this.memory) : null;
    let fd;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch (e) {
      if (e.code === 'ENOENT') return null;
      throw new StoreError(this.label, `${this.file} cannot be opened (${e.code})`);
    }
    try {
      const mode = fs.fstatSync(fd).mode & 0o777;
      if (mode & 0o077) {
        throw new VdcError('internal', `${this.label} ${this.file} has mode ${mode.toString(8)}: others may read or change it`);
      }
      const text = fs.readFileSync(fd, 'utf8');
      try {
        return JSON.parse(text);
      } catch (e) {
        throw new StoreError(this.label, `${this.file} does not decode`);
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  save(state) {
    const text = JSON.stringify(state);
    if (!this.file) {
      this.memory = text;
      return;
    }
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp`;
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.fchmodSync(fd, 0o600);
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
    const dfd = fs.openSync(path.dirname(this.file), 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  }

  clear() {
    this.memory = null;
    if (!this.file) return;
    for (const f of [this.file, `${this.file}.tmp`]) {
      try {
        fs.unlinkSync(f);
      } catch (e) {
        if (e.code !== 'ENOENT') throw e;
      }
    }
  }
}

module.exports = { FileStore, StoreError };
