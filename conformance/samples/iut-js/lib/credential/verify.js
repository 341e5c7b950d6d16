'use strict';
// Presentation verification in the order of the error table of spec/credential.md
// "Verification": decoding, missing elements, chain, issuer signature, validity,
// disclosure and digests, status list, device binding.
const crypto = require('crypto');
const ec = require('../ec');
const pki = require('../pki');
const el = require('./elements');
const { decodePresentation } = require('./decode');
const statusList = require('./status-list');
const { VdcError } = require('../errors');

function err(kind, message) {
  return new VdcError(kind, message);
}

function checkChain(decoded, anchor, now) {
  try {
    return pki.validatePath({
      leaf: decoded.chain[0], intermediates: decoded.chain.slice(1), anchor, purpose: 'DOCUMENT_SIGNING', now,
    }).path[0];
  } catch (e) {
    throw err('CertificateChainError', `document-signer chain refused: ${e.kind || 'error'}: ${e.message}`);
  }
}

function checkDisclosure(decoded) {
  const byId = new Map(decoded.digests.map((d) => [d.id, d.digest]));
  for (const d of decoded.disclosed) {
    const signed = byId.get(d.id);
    if (!signed) throw err('DisclosureError', `element ${d.id} has no digest in the credential`);
    const digest = crypto.createHash('sha256').update(d.raw).digest();
    if (!crypto.timingSafeEqual(digest, signed)) throw err('DigestMismatchError', `element ${d.id} does not match its digest`);
  }
}

// Returns { elements: {id: JSON value}, serial, devicePoint, revocationChecked }.
function verifyPresentation({ presentation, trustAnchor, now, statusListDer, requested = [], binding = null }) {
  const decoded = decodePresentation(presentation);
  const disclosedIds = new Set(decoded.disclosed.map((d) => d.id));
  for (const id of requested) {
    if (!disclosedIds.has(id)) throw err('MissingElementError', `requested element ${id} is not disclosed`);
  }
  const signer = checkChain(decoded, trustAnchor, now);
  if (!ec.verifyRaw(ec.publicKeyFromPoint(signer.spki.point), decoded.tbsRaw, decoded.signature)) {
    throw err('IssuerSignatureError', 'issuer signature does not verify');
  }
  if (now < decoded.validFrom) throw err('CredentialNotYetValidError', 'credential not yet valid');
  if (now > decoded.validUntil) throw err('CredentialExpiredError', 'credential expired');
  checkDisclosure(decoded);
  let revocationChecked = false;
  if (statusListDer && statusListDer.length) {
    const revoked = statusList.checkStatus(statusListDer, trustAnchor, now, decoded.status);
    if (revoked) throw err('CredentialRevokedError', 'credential revoked');
    revocationChecked = true;
  }
  if (binding) {
    // r || s over the exact bytes the device signed (VDC-SM-004, VDC-CRED-046).
    const ok = ec.verifyRaw(ec.publicKeyFromPoint(decoded.devicePoint), binding.message, binding.signature);
    if (!ok) throw err('DeviceBindingError', 'the device signature is not by the credential key');
  }
  const elements = {};
  for (const d of decoded.disclosed) elements[String(d.id)] = d.value;
  return { elements, serial: decoded.serial, devicePoint: decoded.devicePoint, revocationChecked, decoded };
}

module.exports = { verifyPresentation, NAMES: el.NAMES };
