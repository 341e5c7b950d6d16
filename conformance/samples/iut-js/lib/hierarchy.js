'use strict';
// This implementation's own synthetic hierarchies, built to the certificate profile
// of spec/pki.md (names C=FR, O=<organisation>, CN=<role>; the validity periods of
// the test PKI table). Keys are fresh for each process: they serve tests only.
const der = require('./der');
const ec = require('./ec');
const x509 = require('./x509');
const { utcInstant } = require('./time');

const ORG = 'VDC JS clean-room model (synthetic)';
const ROOT_VALIDITY = [utcInstant(2025, 1, 1), utcInstant(2045, 1, 1)];
const SIGNER_VALIDITY = [utcInstant(2026, 1, 1), utcInstant(2031, 1, 1)];
const READER_VALIDITY = [utcInstant(2026, 1, 1), utcInstant(2029, 1, 1)];

function party(common) {
  const { privateKey, point } = ec.generateKeyPair();
  return { privateKey, point, name: x509.name(ORG, common) };
}

function root(common) {
  const p = party(common);
  p.der = x509.buildCertificate({
    subjectName: p.name, point: p.point, privateKey: p.privateKey, issuer: null,
    notBefore: ROOT_VALIDITY[0], notAfter: ROOT_VALIDITY[1],
  });
  return p;
}

function leaf(common, issuer, purpose, validity, extraExtensions) {
  const p = party(common);
  p.der = x509.buildCertificate({
    subjectName: p.name, point: p.point, issuer, purpose,
    notBefore: validity[0], notAfter: validity[1], extraExtensions,
  });
  return p;
}

// Issuing root, one document signer and the status-list signer.
function issuing() {
  const r = root('VDC JS Issuing Root (synthetic)');
  return {
    root: r,
    documentSigner: leaf('VDC JS Document Signer (synthetic)', r, x509.OID.documentSigning, SIGNER_VALIDITY),
    statusSigner: leaf('VDC JS Status List Signer (synthetic)', r, x509.OID.statusListSigning, SIGNER_VALIDITY),
  };
}

function readerAuthorisation({ rpps, profession, allowedElements }) {
  return der.eSeq(der.eAscii(rpps, 0x12), der.eAscii(profession, 0x12), der.eSeq(...allowedElements.map((i) => der.eInt(i))));
}

// Reader root and one reader certificate for a synthetic practitioner.
function reader(practitioner) {
  const r = root('VDC JS Reader Root (synthetic)');
  const value = readerAuthorisation(practitioner);
  const l = leaf(practitioner.common, r, x509.OID.readerAuthentication, READER_VALIDITY,
    [{ id: x509.OID.readerAuthorisation, critical: false, value }]);
  return { root: r, leaf: l };
}

module.exports = { issuing, reader, readerAuthorisation, SIGNER_VALIDITY };
