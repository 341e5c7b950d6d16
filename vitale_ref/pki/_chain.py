"""Certification path validation for the VDC profile (VDC-PKI-020..025).

A deliberately small validator: the profile has one level of CA, so a path is the leaf,
at most a few intermediates and the trust anchor. Every check the profile relies on is
explicit here rather than delegated, so the typed error names the first problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtensionOID

from vitale_ref.pki._authorisation import reader_authorisation
from vitale_ref.pki._errors import (
    MALFORMED_EXTENSIONS,
    MALFORMED_NAME,
    AlgorithmError,
    BasicConstraintsError,
    CertificateFormatError,
    CriticalExtensionError,
    KeyUsageError,
    PathError,
    SignatureError,
    ValidityError,
)
from vitale_ref.pki._profile import (
    ID_ECDSA_WITH_SHA256,
    ID_READER_AUTHORISATION,
    MAX_PATH_CERTIFICATES,
    Purpose,
)

_KNOWN_CRITICAL = {
    ExtensionOID.BASIC_CONSTRAINTS,
    ExtensionOID.KEY_USAGE,
    ExtensionOID.EXTENDED_KEY_USAGE,
}


def load_certificate(data: bytes) -> x509.Certificate:
    """Parse one DER certificate, refusing anything cryptography cannot read strictly."""
    try:
        return x509.load_der_x509_certificate(data)
    except ValueError as error:
        raise CertificateFormatError(f"not a DER certificate: {error}") from None
    except x509.InvalidVersion as error:  # not a ValueError: an unknown X.509 version
        raise CertificateFormatError(f"not a DER certificate: {error}") from None


def _label(cert: x509.Certificate) -> str:
    try:
        names = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    except MALFORMED_NAME:
        return "certificate"
    return str(names[0].value) if names else "certificate"


def check_profile(cert: x509.Certificate) -> ec.EllipticCurvePublicKey:
    """Version, algorithms and extensions common to every certificate (VDC-PKI-003, 024)."""
    # The subject label is built only when a check fails: most certificates pass.
    if cert.version is not x509.Version.v3:
        raise CertificateFormatError(f"{_label(cert)}: not an X.509 v3 certificate")
    if cert.signature_algorithm_oid.dotted_string != ID_ECDSA_WITH_SHA256:
        raise AlgorithmError(f"{_label(cert)}: signature algorithm is not ecdsa-with-SHA256")
    # VDC-PKI-050: the public key, then the extensions, then their criticality.
    try:
        key = cert.public_key()
    except UnsupportedAlgorithm:  # a key type cryptography does not know: not P-256 either
        raise AlgorithmError(f"{_label(cert)}: public key is not on P-256") from None
    except MALFORMED_EXTENSIONS as error:
        raise CertificateFormatError(f"{_label(cert)}: {error}") from None
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise AlgorithmError(f"{_label(cert)}: public key is not on P-256")
    try:
        extensions = cert.extensions
    except MALFORMED_EXTENSIONS as error:
        raise CertificateFormatError(f"{_label(cert)}: {error}") from None
    for extension in extensions:
        if extension.critical and extension.oid not in _KNOWN_CRITICAL:
            raise CriticalExtensionError(
                f"{_label(cert)}: unknown critical extension {extension.oid.dotted_string}"
            )
    return key


def _extension(cert: x509.Certificate, kind: type[x509.ExtensionType]) -> object | None:
    try:
        return cert.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


def _check_time(cert: x509.Certificate, now: datetime) -> None:
    if now < cert.not_valid_before_utc:
        raise ValidityError(f"{_label(cert)}: not valid before {cert.not_valid_before_utc}")
    if now > cert.not_valid_after_utc:
        raise ValidityError(f"{_label(cert)}: expired at {cert.not_valid_after_utc}")


def _check_ca(cert: x509.Certificate, below: int) -> None:
    """A CA certificate with `below` CA certificates under it on the path (VDC-PKI-022)."""
    constraints = _extension(cert, x509.BasicConstraints)
    if not isinstance(constraints, x509.BasicConstraints) or not constraints.ca:
        raise BasicConstraintsError(f"{_label(cert)}: issuer is not a CA")
    if constraints.path_length is not None and below > constraints.path_length:
        raise BasicConstraintsError(f"{_label(cert)}: path length constraint exceeded")
    usage = _extension(cert, x509.KeyUsage)
    if not isinstance(usage, x509.KeyUsage) or not usage.key_cert_sign:
        raise KeyUsageError(f"{_label(cert)}: issuer key usage lacks keyCertSign")


def _check_leaf(cert: x509.Certificate, purpose: Purpose) -> None:
    """Leaf rules (VDC-PKI-022, 023; VDC-PKI-030 for readers)."""
    constraints = _extension(cert, x509.BasicConstraints)
    if isinstance(constraints, x509.BasicConstraints) and constraints.ca:
        raise BasicConstraintsError(f"{_label(cert)}: a CA certificate cannot be a leaf")
    usage = _extension(cert, x509.KeyUsage)
    if not isinstance(usage, x509.KeyUsage) or not usage.digital_signature:
        raise KeyUsageError(f"{_label(cert)}: key usage lacks digitalSignature")
    if usage.key_cert_sign:
        raise KeyUsageError(f"{_label(cert)}: leaf key usage includes keyCertSign")
    purposes = _extension(cert, x509.ExtendedKeyUsage)
    if not isinstance(purposes, x509.ExtendedKeyUsage) or purpose.value not in purposes:
        raise KeyUsageError(f"{_label(cert)}: extended key usage lacks {purpose.name}")
    if purpose is Purpose.READER_AUTHENTICATION:
        reader_authorisation(cert)
    else:
        oids = {e.oid for e in cert.extensions}
        if ID_READER_AUTHORISATION in oids:
            raise KeyUsageError(f"{_label(cert)}: reader authorisation on a non-reader leaf")


def _verify_signature(cert: x509.Certificate, issuer_key: ec.EllipticCurvePublicKey) -> None:
    try:
        issuer_key.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise SignatureError(f"{_label(cert)}: signature does not verify") from None


def _name(cert: x509.Certificate, field: str) -> x509.Name:
    """The issuer or subject name; a name the X.509 parser refuses is a format error."""
    try:
        name: x509.Name = getattr(cert, field)
    except MALFORMED_NAME as error:
        raise CertificateFormatError(f"{_label(cert)}: {field}: {error}") from None
    return name


def _find_issuer(
    cert: x509.Certificate, pool: Sequence[x509.Certificate]
) -> x509.Certificate | None:
    for candidate in pool:
        if _name(candidate, "subject") == _name(cert, "issuer") and candidate is not cert:
            return candidate
    return None


def validate_chain(
    leaf: x509.Certificate,
    intermediates: Sequence[x509.Certificate],
    trust_anchor: x509.Certificate,
    now: datetime,
    purpose: Purpose,
) -> list[x509.Certificate]:
    """Validate leaf -> intermediates -> trust anchor at `now` for `purpose`.

    Returns the path from the leaf to the anchor; raises a PKIError subclass naming the
    first problem found, leaf first.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    check_profile(trust_anchor)
    _check_time(trust_anchor, now)
    path = [leaf]
    current = leaf
    anchor_name = _name(trust_anchor, "subject")
    while _name(current, "issuer") != anchor_name:
        issuer = _find_issuer(current, intermediates)
        if issuer is None or issuer in path:
            raise PathError(f"{_label(current)}: issuer is neither trusted nor supplied")
        # VDC-PKI-020: the path counts the trust anchor too (VDC-PKI-021), so the leaf,
        # this issuer and the anchor must fit in MAX_PATH_CERTIFICATES.
        if len(path) + 2 > MAX_PATH_CERTIFICATES:
            raise PathError(f"path longer than {MAX_PATH_CERTIFICATES} certificates")
        path.append(issuer)
        current = issuer
    path.append(trust_anchor)
    for index, cert in enumerate(path[:-1]):
        check_profile(cert)
        issuer_key = check_profile(path[index + 1])
        _verify_signature(cert, issuer_key)
        _check_time(cert, now)
        if index == 0:
            _check_leaf(cert, purpose)
        _check_ca(path[index + 1], below=index)
    return path
