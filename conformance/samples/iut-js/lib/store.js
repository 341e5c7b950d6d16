'use strict';
// Persistent state as JSON files under $VDC_IUT_STORE (spec/harness.md VDC-HARN-007).
// Each save writes a temporary file, flushes it and renames it over the old one, so
// that a process killed at any moment leaves the state before or after the save,
// never a mix (the one-transaction rules VDC-PIN-018, VDC-HIST-006, VDC-ENR-080).
const fs = require('fs');
const path = require('path');

class FileStore {
  // `dir` null keeps the state in memory only (no store folder given).
  constructor(dir, name) {
    this.file = dir ? path.join(dir, `${name}.json`) : null;
    this.memory = null;
  }

  load() {
    if (!this.file) return this.memory ? JSON.parse(this.memory) : null;
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch (e) {
      if (e.code === 'ENOENT') return null;
      throw e;
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

module.exports = { FileStore };
