'use strict';
// The credential issuer collaborator of the enrolment service (spec/enrolment.md
// "Collaborators", VDC-ENR-013): a credential bound to the new phone's key, signed by
// the service's document signer. Its keys are kept apart from the service state
// (a key never sits in the store whose records it protects), in a 0600 file.
const crypto = require('crypto');
const ec = require('../ec');
const hierarchy = require('../hierarchy');
const { issue } = require('../credential/issue');
const { FileStore } = require('../store');
const { compactUtc, US } = require('../time');

const VALIDITY = 2 * 365 * 86400 * US;

function create(keyStore) {
  const pki = hierarchy.issuing();
  const keys = {
    // VDC-OTP-015: the key of the codes' keyed hashes lives here, not in the database.
    otpKey: crypto.randomBytes(32).toString('hex'),
    root: pki.root.der.toString('hex'),
    signer: pki.documentSigner.der.toString('hex'),
    signerKey: ec.privateKeyToPkcs8(pki.documentSigner.privateKey).toString('hex'),
  };
  keyStore.save(keys);
  return keys;
}

function open(storeDir, persistent) {
  return new FileStore(persistent ? storeDir : null, 'enrolment-keys', 'enrolment key file');
}

// The credential of an account's holder, as a presentation of every element.
function credentialFor(keys, account, devicePoint, statusIndex, now) {
  const day = compactUtc(now).slice(0, 8);
  const until = compactUtc(now + VALIDITY).slice(0, 8);
  return issue({
    values: {
      nir: account.nir, family_name: account.familyName, given_names: account.givenNames,
      birth_date: account.birthDate.replace(/-/g, ''), birth_rank: 1, quality: 0,
      affiliation: { regime: '01', caisse: '751', centre: '0001' }, rights: [{ start: day, end: until }],
    },
    devicePoint, status: { listId: 1, index: statusIndex }, validFrom: now - (now % US), validUntil: now - (now % US) + VALIDITY,
    signerKey: ec.privateKeyFromPkcs8(Buffer.from(keys.signerKey, 'hex')), chain: [Buffer.from(keys.signer, 'hex')],
  });
}

module.exports = { create, open, credentialFor };
