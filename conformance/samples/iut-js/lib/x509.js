'use strict';
// X.509 v3 certificates of the model's profile (spec/pki.md): a strict parser over
// the DER reader and a builder for the implementation's own test hierarchies.
const crypto = require('crypto');
const der = require('./der');
const ec = require('./ec');
const { VdcError } = require('./errors');
const { utcInstant, US } = require('./time');

const ARC = '2.25.211403634898987692493873858505084073045';
const OID = {
  readerAuthorisation: `${ARC}.1`,
  documentSigning: `${ARC}.2.1`,
  statusListSigning: `${ARC}.2.2`,
  readerAuthentication: `${ARC}.2.3`,
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  countryName: '2.5.4.6',
  organizationName: '2.5.4.10',
  commonName: '2.5.4.3',
};

function formatError(message) {
  return new VdcError('CertificateFormatError', message);
}

// UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 4.1.2.5).
function readTime(node) {
  const s = node && node.value ? node.value.toString('latin1') : '';
  let m;
  if (node && node.tag === 0x17 && (m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s))) {
    const yy = Number(m[1]);
    return utcInstant(yy < 50 ? 2000 + yy : 1900 + yy, +m[2], +m[3], +m[4], +m[5], +m[6]);
  }
  if (node && node.tag === 0x18 && (m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s))) {
    return utcInstant(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6]);
  }
  throw formatError('validity time not in UTCTime or GeneralizedTime DER form');
}

// A Name as its attributes in order, each [type OID, value]; string values are
// compared as text whatever their string type (VDC-PKI-028).
const STRING_TAGS = new Set([0x0c, 0x12, 0x13, 0x14, 0x16, 0x1a]);
function readName(node) {
  try {
    return der.seq(node, 'Name').map((rdn) => der.seq(rdn, 'RDN', 0x31).map((atv) => {
      const [type, value] = der.seq(atv, 'AttributeTypeAndValue');
      if (!value || der.seq(atv, 'AttributeTypeAndValue').length !== 2) throw formatError('attribute: bad structure');
      const text = STRING_TAGS.has(value.tag) ? der.text(value, 'attribute value', value.tag) : `#${value.raw.toString('hex')}`;
      return `${der.oid(type, 'attribute type')}=${text}`;
    }).join('+'));
  } catch (e) {
    if (e.kind === 'CertificateFormatError') throw e;
    throw formatError(`a name does not decode: ${e.message}`);
  }
}

function sameName(a, b) {
  return a.length === b.length && a.every((rdn, i) => rdn === b[i]);
}

// Profile checks of one certificate, in the order of VDC-PKI-050: version 3, the
// signature algorithm, the public key, the extensions (decodable, each at most once),
// no unknown critical extension. The decoded extensions are kept on the certificate.
function profile(cert, known) {
  if (cert.version !== 3) throw formatError(`X.509 version ${cert.version}, not 3`);
  if (cert.outerAlgorithm !== ec.OID_ECDSA_SHA256 || cert.innerAlgorithm !== ec.OID_ECDSA_SHA256
    || cert.outerAlgorithmParams !== 1) {
    throw new VdcError('AlgorithmError', 'the certificate is not signed with ecdsa-with-SHA256');
  }
  const { algorithm, curve, point } = cert.spki;
  if (algorithm !== ec.OID_EC_PUBLIC_KEY || curve !== ec.OID_P256 || !ec.isValidPoint(point)) {
    throw new VdcError('AlgorithmError', 'the public key is not a P-256 key');
  }
  try {
    const node = cert.extensionsNode;
    if (node && (node.children.length !== 1)) throw formatError('extensions: bad structure');
    cert.extensions = node ? readExtensions(node.children[0]) : [];
    basicConstraints(cert);
    keyUsageBits(cert);
    extKeyUsage(cert);
  } catch (e) {
    if (e.kind === 'CertificateFormatError') throw e;
    throw formatError(`an extension does not decode: ${e.message}`);
  }
  const bad = cert.extensions.find((e) => e.critical && !known.has(e.id));
  if (bad) throw new VdcError('CriticalExtensionError', `unknown critical extension ${bad.id}`);
}

function readExtensions(node) {
  const list = der.seq(node, 'extensions');
  if (list.length === 0) throw formatError('empty extensions');
  const out = [];
  const seen = new Set();
  for (const ext of list) {
    const parts = der.seq(ext, 'extension');
    if (parts.length < 2 || parts.length > 3) throw formatError('extension: bad structure');
    const id = der.oid(parts[0], 'extnID');
    let critical = false;
    if (parts.length === 3) {
      critical = der.boolean(parts[1], 'critical');
      if (!critical) throw formatError('critical FALSE written out (not DER)');
    }
    const value = der.octets(parts[parts.length - 1], 'extnValue');
    // VDC-PKI-007: one instance of each extension.
    if (seen.has(id)) throw formatError(`extension ${id} appears twice`);
    seen.add(id);
    out.push({ id, critical, value: Buffer.from(value) });
  }
  return out;
}

function parseTbs(tbsNode) {
  const f = der.seq(tbsNode, 'tbsCertificate');
  let i = 0;
  let version = 1;
  if (f[i] && f[i].tag === 0xa0) {
    if (f[i].children.length !== 1) throw formatError('version: bad structure');
    version = der.integer(f[i].children[0], 'version') + 1;
    i += 1;
  }
  const serialNode = der.expect(f[i], 0x02, 'serialNumber');
  der.integerBig(serialNode, 'serialNumber');
  i += 1;
  const sigAlg = der.seq(f[i], 'signature');
  const innerAlgorithm = der.oid(sigAlg[0], 'signature algorithm');
  i += 1;
  const issuer = der.expect(f[i], 0x30, 'issuer');
  i += 1;
  const validity = der.seq(f[i], 'validity');
  if (validity.length !== 2) throw formatError('validity: bad structure');
  i += 1;
  const subject = der.expect(f[i], 0x30, 'subject');
  i += 1;
  const spkiNode = f[i];
  const spki = ec.readSpki(spkiNode);
  i += 1;
  let extensionsNode = null;
  while (i < f.length && (f[i].tag === 0x81 || f[i].tag === 0x82)) i += 1;
  if (i < f.length && f[i].tag === 0xa3) {
    extensionsNode = f[i];
    i += 1;
  }
  if (i !== f.length) throw formatError('unexpected fields in tbsCertificate');
  return {
    version,
    serial: Buffer.from(serialNode.value),
    innerAlgorithm,
    issuer: Buffer.from(issuer.raw),
    subject: Buffer.from(subject.raw),
    issuerName: readName(issuer),
    subjectName: readName(subject),
    extensionsNode,
    extensions: [],
    notBefore: readTime(validity[0]),
    notAfter: readTime(validity[1]),
    spki,
    spkiRaw: Buffer.from(spkiNode.raw),
  };
}

// Parses a DER certificate; every failure is a CertificateFormatError.
function parseCertificate(bytes) {
  try {
    const root = der.decode(bytes);
    const parts = der.seq(root, 'certificate');
    if (parts.length !== 3) throw formatError('certificate: three fields expected');
    const tbs = parseTbs(parts[0]);
    const outerAlg = der.seq(parts[1], 'signatureAlgorithm');
    const bits = der.bitString(parts[2], 'signatureValue');
    if (bits.unused !== 0) throw formatError('signatureValue: unused bits');
    return {
      der: Buffer.from(root.raw),
      tbsRaw: Buffer.from(parts[0].raw),
      outerAlgorithm: der.oid(outerAlg[0], 'signatureAlgorithm'),
      outerAlgorithmParams: outerAlg.length,
      signature: Buffer.from(bits.bytes),
      ...tbs,
    };
  } catch (e) {
    if (e.kind === 'CertificateFormatError') throw e;
    throw formatError(`certificate does not decode: ${e.message}`);
  }
}

function extension(cert, id) {
  return cert.extensions.find((e) => e.id === id) || null;
}

// basicConstraints: { cA, pathLen (null when absent) }.
function basicConstraints(cert) {
  const ext = extension(cert, OID.basicConstraints);
  if (!ext) return { cA: false, pathLen: null, present: false };
  const parts = der.seq(der.decode(ext.value), 'basicConstraints');
  let i = 0;
  let cA = false;
  if (parts[i] && parts[i].tag === 0x01) {
    cA = der.boolean(parts[i], 'cA');
    i += 1;
  }
  const pathLen = parts[i] ? der.integer(parts[i], 'pathLenConstraint') : null;
  return { cA, pathLen, present: true };
}

// keyUsage bits as a number with bit 0 = digitalSignature (RFC 5280 4.2.1.3).
function keyUsageBits(cert) {
  const ext = extension(cert, OID.keyUsage);
  if (!ext) return null;
  const { bytes } = der.bitString(der.decode(ext.value), 'keyUsage');
  let bits = 0;
  for (let i = 0; i < Math.min(bytes.length, 2) * 8; i += 1) {
    if (bytes[i >> 3] & (0x80 >> (i & 7))) bits |= 1 << i;
  }
  return bits;
}

function extKeyUsage(cert) {
  const ext = extension(cert, OID.extKeyUsage);
  if (!ext) return null;
  return der.seq(der.decode(ext.value), 'extKeyUsage').map((n) => der.oid(n, 'keyPurpose'));
}

const KU = { digitalSignature: 1 << 0, keyCertSign: 1 << 5, cRLSign: 1 << 6 };

// ---- builder ----

function name(organisation, common) {
  const rdn = (oid, value, tag) => der.eSet(der.eSeq(der.eOid(oid), der.eAscii(value, tag)));
  return der.eSeq(
    rdn(OID.countryName, 'FR', 0x13),
    der.eSet(der.eSeq(der.eOid(OID.organizationName), der.eUtf8(organisation))),
    der.eSet(der.eSeq(der.eOid(OID.commonName), der.eUtf8(common))),
  );
}

function utcTime(us) {
  const d = new Date(Math.floor(us / US) * 1000);
  const p = (n) => String(n).padStart(2, '0');
  const y = d.getUTCFullYear();
  const body = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return y < 2050 ? der.eAscii(`${String(y % 100).padStart(2, '0')}${body}`, 0x17) : der.eAscii(`${y}${body}`, 0x18);
}

function ext(id, critical, value) {
  return der.eSeq(der.eOid(id), critical ? der.eBool(true) : Buffer.alloc(0), der.eOctets(value));
}

function keyId(point) {
  return crypto.createHash('sha1').update(point).digest();
}

function keyUsageValue(bits) {
  // Minimal named-bit encoding: trailing zero bits are removed (X.690 11.2.2).
  let highest = 0;
  for (let i = 0; i < 16; i += 1) if (bits & (1 << i)) highest = i;
  const nbytes = (highest >> 3) + 1;
  const bytes = Buffer.alloc(nbytes);
  for (let i = 0; i < 16; i += 1) if (bits & (1 << i)) bytes[i >> 3] |= 0x80 >> (i & 7);
  return der.eBits(bytes, 7 - (highest & 7));
}

function randomSerial() {
  const s = crypto.randomBytes(16);
  s[0] = (s[0] & 0x7f) | 0x01;
  return s;
}

// Builds and signs a certificate. `issuer` is { name, point, privateKey } or null
// for a self-signed root (signed with `privateKey`); `purpose` is absent for a root
// and the leaf's extended key usage otherwise (profile table of spec/pki.md).
function buildCertificate({ subjectName, point, privateKey, issuer, notBefore, notAfter, purpose, extraExtensions = [] }) {
  const self = !issuer;
  const signer = issuer || { name: subjectName, point, privateKey };
  const exts = [];
  if (!purpose) {
    exts.push(ext(OID.basicConstraints, true, der.eSeq(der.eBool(true), der.eInt(0))));
    exts.push(ext(OID.keyUsage, true, keyUsageValue(KU.keyCertSign | KU.cRLSign)));
  } else {
    exts.push(ext(OID.keyUsage, true, keyUsageValue(KU.digitalSignature)));
    exts.push(ext(OID.extKeyUsage, true, der.eSeq(der.eOid(purpose))));
  }
  exts.push(ext(OID.subjectKeyIdentifier, false, der.eOctets(keyId(point))));
  if (!self) {
    exts.push(ext(OID.authorityKeyIdentifier, false, der.eSeq(der.tlv(0x80, keyId(signer.point)))));
  }
  exts.push(...extraExtensions.map((e) => ext(e.id, e.critical, e.value)));
  const sigAlg = der.eSeq(der.eOid(ec.OID_ECDSA_SHA256));
  const tbs = der.eSeq(
    der.tlv(0xa0, der.eInt(2)),
    der.eIntBytes(randomSerial()),
    sigAlg,
    signer.name,
    der.eSeq(utcTime(notBefore), utcTime(notAfter)),
    subjectName,
    ec.spkiFromPoint(point),
    der.tlv(0xa3, der.eSeq(...exts)),
  );
  return der.eSeq(tbs, sigAlg, der.eBits(ec.signDer(signer.privateKey, tbs)));
}

module.exports = {
  ARC, OID, KU, parseCertificate, profile, sameName, extension, basicConstraints, keyUsageBits, extKeyUsage,
  name, buildCertificate, formatError,
};
