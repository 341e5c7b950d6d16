'use strict';
// One error family: every refusal carries the kind the driver protocol answers
// (spec/harness.md "Operations and error kinds") and a one-line message.

class VdcError extends Error {
  constructor(kind, message) {
    super(message || kind);
    this.kind = kind;
  }
}

// A typed error raised by a decoder or a check; `kind` is the name the
// specification gives (for instance CredentialEncodingError, KeyUsageError).
function fail(kind, message) {
  throw new VdcError(kind, message);
}

module.exports = { VdcError, fail };
