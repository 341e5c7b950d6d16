'use strict';
// The reader's side of protocol version 2 (spec/lean.md) and the checks of the READ
// ELEMENTS answer both versions share: the version chosen from the FCI
// (VDC-NFC-071), the compact presentation (VDC-CRED-070, VDC-CRED-071), the signer
// chain it asks for with GET SIGNER CHAIN (VDC-NFC-073) and the document-signer
// chains it keeps.
const ec = require('../ec');
const sm = require('./sm');
const tlv = require('./tlv');
const compact = require('../credential/compact');
const { splitChain } = require('./holder-establish');
const { rejected } = require('./reader-errors');

const SIGNER_CHAINS = 8; // a few document signers per issuer (spec/lean.md)

// VDC-NFC-071: the highest version both sides speak; none in common ends the read
// before ESTABLISH SESSION.
function chooseVersion(offered, spoken) {
  const common = offered.filter((v) => spoken.includes(v));
  if (!common.length) throw rejected(`no common protocol version (the holder offers ${offered.join(', ')})`);
  return Math.max(...common);
}

// `53 L presentation || 9E 40 signature` (VDC-NFC-204, VDC-SM-050).
function splitReadResponse(pt) {
  try {
    const [presentation, signature] = tlv.expectTags(pt, [0x53, 0x9e]);
    if (signature.length !== 64) throw new Error('signature size');
    return { presentation: Buffer.from(presentation), signature: Buffer.from(signature) };
  } catch (e) {
    throw rejected('malformed READ ELEMENTS response');
  }
}

// VDC-NFC-202: nothing beyond what was asked.
function checkRequested(disclosedIds, requested) {
  if (disclosedIds.some((id) => !requested.includes(id))) {
    throw rejected('the holder disclosed elements that were not requested');
  }
}

// VDC-SM-050, VDC-SM-051: over the presentation exactly as it was sent.
function checkDeviceSignature(devicePoint, keys, request, presentation, signature) {
  const message = Buffer.concat([sm.LABEL.deviceAuth, sm.sha256(keys.th, request, presentation)]);
  if (!ec.verifyRaw(ec.publicKeyFromPoint(devicePoint), message, signature)) {
    throw rejected('the device signature does not verify');
  }
}

function decodeCompactOrReject(presentation) {
  try {
    return compact.decodeCompact(presentation);
  } catch (e) {
    throw rejected(`presentation refused: ${e.kind || 'error'}`);
  }
}

// The GET SIGNER CHAIN answer `A2 L chain`: 1 to 3 DER certificates, leaf first.
function parseSignerChain(pt) {
  let value;
  try {
    [value] = tlv.expectTags(pt, [0xa2]);
  } catch (e) {
    throw rejected('malformed GET SIGNER CHAIN response');
  }
  const certs = splitChain(value);
  if (!certs) throw rejected('malformed GET SIGNER CHAIN response');
  return certs;
}

// VDC-CRED-071: a chain that names another signer is a chain that does not validate.
function expandOrReject(decodedCompact, chain) {
  try {
    return compact.expand(decodedCompact, chain);
  } catch (e) {
    throw rejected(`presentation refused: ${e.kind || 'error'}`);
  }
}

// Document-signer chains by reference, kept once a presentation verified with them
// (a bounded store, oldest dropped first); each use validates them again.
class SignerChains {
  constructor(capacity = SIGNER_CHAINS) {
    this.capacity = capacity;
    this.chains = new Map();
  }

  get(ref) {
    return this.chains.get(ref.toString('hex')) || null;
  }

  remember(ref, chain) {
    const k = ref.toString('hex');
    this.chains.delete(k);
    this.chains.set(k, chain);
    while (this.chains.size > this.capacity) this.chains.delete(this.chains.keys().next().value);
  }
}

module.exports = {
  chooseVersion, splitReadResponse, checkRequested, checkDeviceSignature, decodeCompactOrReject, parseSignerChain,
  expandOrReject, SignerChains, reference: compact.reference,
};
