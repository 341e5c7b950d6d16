'use strict';
// The document signer by reference (spec/lean.md "Document signer by reference",
// VDC-CRED-070, VDC-CRED-071): a CompactPresentation is the version 1 Presentation
// with the credential's chain replaced by the 8-byte reference of its first
// certificate. The holder writes one; the reader puts the chain back and verifies
// the version 1 presentation so obtained.
const crypto = require('crypto');
const der = require('../der');
const { decodePresentation } = require('./decode');
const { VdcError } = require('../errors');

const REFERENCE_LENGTH = 8;

// signerRef = SHA-256(DER of the signer certificate)[0..7]; the same rule names a
// reader chain by the value of its A2 TLV (readerRef, VDC-SM-060).
function reference(bytes) {
  return crypto.createHash('sha256').update(bytes).digest().subarray(0, REFERENCE_LENGTH);
}

// CompactPresentation of the holder's decoded credential and chosen elements.
function compactPresentation(credential, chosen) {
  const compact = der.eSeq(
    credential.tbsRaw, der.eOctets(credential.signature), der.eOctets(reference(credential.chain[0])),
  );
  return der.eSeq(compact, der.eSeq(...chosen.map((d) => d.raw)));
}

// The version 1 Presentation a compact one stands for, given the chain it names.
// A chain whose first certificate has another reference is a chain that does not
// validate (VDC-CRED-071, VDC-CRED-041).
function expand(decodedCompact, chain) {
  if (!chain.length || !reference(chain[0]).equals(decodedCompact.signerRef)) {
    throw new VdcError('CertificateChainError', 'the signer chain does not match the reference of the presentation');
  }
  const credential = der.eSeq(decodedCompact.tbsRaw, der.eOctets(decodedCompact.signature), der.eSeq(...chain));
  return der.eSeq(credential, der.eSeq(...decodedCompact.disclosed.map((d) => d.raw)));
}

function decodeCompact(bytes) {
  return decodePresentation(bytes, { compact: true });
}

module.exports = { REFERENCE_LENGTH, reference, compactPresentation, expand, decodeCompact };
