'use strict';
// Credential issuance (spec/credential.md "Issuer-signed structure"): a fresh salt per
// element (VDC-CRED-019), SHA-256 digests in ascending order (VDC-CRED-015/016), the
// signature r || s by a document signer, the signer certificate first in the chain.
const crypto = require('crypto');
const der = require('../der');
const ec = require('../ec');
const el = require('./elements');
const { compactUtc } = require('../time');
const { OID_SHA256 } = require('./decode');

function genTime(us) {
  return der.eAscii(`${compactUtc(us)}Z`, 0x18);
}

// `values` maps short names to JSON values; returns the DER of a Presentation
// disclosing every element (the form the holder keeps).
function issue({ values, devicePoint, status, validFrom, validUntil, signerKey, chain }) {
  const ids = Object.keys(values).map((k) => el.IDS[k]).sort((a, b) => a - b);
  const disclosed = ids.map((id) => el.encodeDisclosed(crypto.randomBytes(16), id, values[el.NAMES[id]]));
  const digests = disclosed.map((d, i) => der.eSeq(der.eInt(ids[i]), der.eOctets(crypto.createHash('sha256').update(d).digest())));
  const tbs = der.eSeq(
    der.eInt(1), der.eOctets(crypto.randomBytes(16)), genTime(validFrom), genTime(validUntil),
    ec.spkiFromPoint(devicePoint), der.eSeq(der.eInt(status.listId), der.eInt(status.index)),
    der.eOid(OID_SHA256), der.eSeq(...digests),
  );
  const credential = der.eSeq(tbs, der.eOctets(ec.signRaw(signerKey, tbs)), der.eSeq(...chain));
  return der.eSeq(credential, der.eSeq(...disclosed));
}

module.exports = { issue };
