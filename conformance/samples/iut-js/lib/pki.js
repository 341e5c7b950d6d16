'use strict';
// Path validation (spec/pki.md VDC-PKI-020 to 024) and the reader-authorisation
// extension (VDC-PKI-030 to 033). Error kinds are the names the PKI vectors use.
const der = require('./der');
const ec = require('./ec');
const x509 = require('./x509');
const { VdcError } = require('./errors');

const PURPOSES = {
  DOCUMENT_SIGNING: x509.OID.documentSigning,
  STATUS_LIST_SIGNING: x509.OID.statusListSigning,
  READER_AUTHENTICATION: x509.OID.readerAuthentication,
};

const PROFESSIONS = new Set(['10', '21', '40', '50', '60', '70']);
const KNOWN_CRITICAL = new Set([x509.OID.basicConstraints, x509.OID.keyUsage, x509.OID.extKeyUsage]);
const MAX_PATH = 4;

function err(kind, message) {
  return new VdcError(kind, message);
}

// Luhn check over all 11 digits, the last being the check digit (VDC-PKI-031).
function luhnValid(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// Decodes the DER of ReaderAuthorisation strictly; any failure is AuthorisationError.
function decodeReaderAuthorisation(value) {
  let node;
  try {
    node = der.decode(value);
  } catch (e) {
    throw err('AuthorisationError', `reader authorisation does not decode: ${e.message}`);
  }
  try {
    const parts = der.seq(node, 'ReaderAuthorisation');
    if (parts.length !== 3) throw err('AuthorisationError', 'ReaderAuthorisation: three fields expected');
    const rpps = der.text(parts[0], 'rpps', 0x12);
    const profession = der.text(parts[1], 'profession', 0x12);
    const ids = der.seq(parts[2], 'allowedElements').map((n) => der.integer(n, 'ElementId'));
    if (!/^\d{11}$/.test(rpps)) throw err('AuthorisationError', 'rpps is not 11 digits');
    if (!luhnValid(rpps)) throw err('AuthorisationError', 'rpps check digit is wrong');
    if (!/^\d{2}$/.test(profession) || !PROFESSIONS.has(profession)) {
      throw err('AuthorisationError', 'unknown profession code');
    }
    if (ids.length < 1 || ids.length > 32) throw err('AuthorisationError', 'allowedElements must list 1 to 32 ids');
    for (let i = 0; i < ids.length; i += 1) {
      if (ids[i] < 1 || ids[i] > 127) throw err('AuthorisationError', 'element id outside 1..127');
      if (i > 0 && ids[i] <= ids[i - 1]) throw err('AuthorisationError', 'element ids not strictly ascending');
    }
    return { rpps, profession, allowedElements: ids };
  } catch (e) {
    if (e.kind === 'AuthorisationError') throw e;
    throw err('AuthorisationError', `reader authorisation is malformed: ${e.message}`);
  }
}

function validity(cert, now) {
  if (now < cert.notBefore || now > cert.notAfter) throw err('ValidityError', 'a certificate is outside its validity');
}

// VDC-PKI-028: from the leaf, the first supplied intermediate, in the order given,
// whose subject is the current issuer, until the anchor's subject is reached.
function buildPath(leaf, intermediates, anchor) {
  const path = [leaf];
  let current = leaf;
  while (!x509.sameName(current.issuerName, anchor.subjectName)) {
    const next = intermediates.find((c) => c !== current && !c.der.equals(current.der)
      && x509.sameName(c.subjectName, current.issuerName));
    if (!next) throw err('PathError', 'no supplied certificate issues the current one');
    if (path.some((c) => c.der.equals(next.der))) throw err('PathError', 'the path loops');
    if (path.length + 2 > MAX_PATH) throw err('PathError', 'path longer than four certificates');
    path.push(next);
    current = next;
  }
  path.push(anchor);
  return path;
}

function checkSignature(cert, issuer) {
  if (!ec.verifyDer(ec.publicKeyFromPoint(issuer.spki.point), cert.tbsRaw, cert.signature)) {
    throw err('SignatureError', 'a certificate signature does not verify with its issuer key');
  }
}

// Leaf checks of VDC-PKI-050, then the authorisation of a reader (VDC-PKI-051).
function leafChecks(leaf, purpose) {
  if (x509.basicConstraints(leaf).cA) throw err('BasicConstraintsError', 'the leaf asserts cA');
  const ku = x509.keyUsageBits(leaf);
  if (ku === null || !(ku & x509.KU.digitalSignature)) throw err('KeyUsageError', 'the leaf lacks digitalSignature');
  if (ku & x509.KU.keyCertSign) throw err('KeyUsageError', 'the leaf has keyCertSign');
  const eku = x509.extKeyUsage(leaf);
  if (!eku || !eku.includes(PURPOSES[purpose])) throw err('KeyUsageError', 'the leaf is not for this purpose');
  const auth = x509.extension(leaf, x509.OID.readerAuthorisation);
  if (purpose !== 'READER_AUTHENTICATION') {
    if (auth) throw err('KeyUsageError', 'a leaf other than a reader carries a readerAuthorisation');
    return null;
  }
  if (!auth) throw err('AuthorisationError', 'reader certificate without its authorisation');
  if (auth.critical) throw err('AuthorisationError', 'critical reader authorisation');
  return decodeReaderAuthorisation(auth.value);
}

// CA checks of the issuer at index i of the path: cA with the path-length
// constraint (the CA certificates below it are path[1..i-1]), then keyCertSign.
function caChecks(path, i) {
  const bc = x509.basicConstraints(path[i]);
  if (!bc.cA || (bc.pathLen !== null && bc.pathLen < i - 1)) {
    throw err('BasicConstraintsError', 'an issuer is not a CA for this path');
  }
  const ku = x509.keyUsageBits(path[i]);
  if (ku === null || !(ku & x509.KU.keyCertSign)) throw err('KeyUsageError', 'an issuer lacks keyCertSign');
}

function parse(bytes) {
  return x509.parseCertificate(bytes);
}

// Validates leaf (with intermediates) to anchor at `now` for `purpose` in the order
// of VDC-PKI-050; returns { path, authorisation } or throws the error of the table.
function validatePath({ leaf, intermediates = [], anchor, purpose, now }) {
  if (!PURPOSES[purpose]) throw err('bad_request', 'unknown purpose');
  const decoded = (c) => (Buffer.isBuffer(c) ? parse(c) : c);
  const leafCert = decoded(leaf);
  const inter = intermediates.map(decoded);
  const anchorCert = decoded(anchor);
  x509.profile(anchorCert, KNOWN_CRITICAL);
  validity(anchorCert, now);
  const path = buildPath(leafCert, inter, anchorCert);
  let authorisation = null;
  for (let i = 0; i + 1 < path.length; i += 1) {
    x509.profile(path[i], KNOWN_CRITICAL);
    x509.profile(path[i + 1], KNOWN_CRITICAL);
    checkSignature(path[i], path[i + 1]);
    validity(path[i], now);
    if (i === 0) authorisation = leafChecks(path[0], purpose);
    caChecks(path, i + 1);
  }
  return { path, authorisation };
}

module.exports = { PURPOSES, luhnValid, decodeReaderAuthorisation, validatePath, parse };
