'use strict';
// Operations of the verifier profile: NIR, credential verification, path validation,
// reader authorisations and status lists (spec/harness.md "Operations").
const nir = require('../nir');
const pki = require('../pki');
const statusList = require('../credential/status-list');
const { verifyPresentation } = require('../credential/verify');
const { VdcError } = require('../errors');
const { hex, toHex, instant } = require('./common');

const CRED_KINDS = new Set([
  'CredentialEncodingError', 'CredentialFormatError', 'UnsupportedVersionError', 'UnsupportedAlgorithmError',
  'DeviceKeyError', 'ElementOrderError', 'MissingElementError', 'CertificateChainError', 'IssuerSignatureError',
  'CredentialExpiredError', 'CredentialNotYetValidError', 'DisclosureError', 'DigestMismatchError',
  'StatusListError', 'CredentialRevokedError', 'DeviceBindingError',
]);

// Keeps every refusal inside the error table of the credential chapter.
function credentialKind(fallback, fn) {
  try {
    return fn();
  } catch (e) {
    if (e instanceof VdcError && (CRED_KINDS.has(e.kind) || e.kind === 'bad_request')) throw e;
    throw new VdcError(fallback, e.message);
  }
}

function verify(p) {
  const now = instant(p.now);
  const requested = p.requested || [];
  const binding = p.binding ? { message: hex(p.binding.message), signature: hex(p.binding.signature) } : null;
  const r = credentialKind('CredentialEncodingError', () => verifyPresentation({
    presentation: hex(p.presentation), trustAnchor: hex(p.trustAnchor), now,
    statusListDer: p.statusList ? hex(p.statusList) : null, requested, binding,
  }));
  return { elements: r.elements, revocationChecked: r.revocationChecked, serial: toHex(r.serial) };
}

function validatePath(p) {
  const { path } = pki.validatePath({
    leaf: hex(p.leaf), intermediates: p.intermediates.map(hex), anchor: hex(p.anchor), purpose: p.purpose, now: instant(p.now),
  });
  return { pathLength: path.length };
}

function readerAuthorisation(p) {
  return pki.decodeReaderAuthorisation(hex(p.value));
}

function decodeStatusList(p) {
  const list = credentialKind('StatusListError', () => statusList.decode(hex(p.statusList)));
  return {
    listId: list.listId, size: list.size, revoked: statusList.revokedIndices(list), encoding: toHex(statusList.encode(list)),
  };
}

module.exports = {
  'nir.validate': (p) => ({ nir: nir.validate(p.nir) }),
  'credential.verify': verify,
  'pki.validate': validatePath,
  'pki.reader_authorisation': readerAuthorisation,
  'credential.status_list': decodeStatusList,
};
