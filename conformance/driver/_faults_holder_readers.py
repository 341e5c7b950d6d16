"""Seeded faults in the holder's authentication of readers (VDC-SM-012, VDC-PKI-020..033).

Each one switches off a single check of path validation or of the authorisation
extension, and only while the holder validates a reader chain (the verifier's own path
validation is untouched): the malicious readers of TC-SM-012 and TC-SM-013 must catch it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from conformance.driver.faults import fault, patch
from vitale_ref.holder import adapters
from vitale_ref.pki import (
    ID_READER_AUTHORISATION,
    _authorisation,
    _chain,
    reader_authorisation,
    validate_chain,
)
from vitale_ref.pki._errors import AuthorisationError, BasicConstraintsError, KeyUsageError

_MISSING = object()


@contextlib.contextmanager
def _swapped(target: object, replacements: dict[str, object]) -> Iterator[None]:
    saved = {name: getattr(target, name, _MISSING) for name in replacements}
    for name, value in replacements.items():
        setattr(target, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(target, name, value)


def _while_validating_readers(target: object, **replacements: object) -> None:
    """Replace names of `target` only while the holder validates a reader chain."""
    for name in replacements:
        patch(target, name, getattr(target, name))  # FaultNotApplicable when renamed
    real = adapters.PkiReaderAuthority._validate

    def validate(self: Any, certificates: Any, now: datetime) -> Any:
        with _swapped(target, replacements):
            return real(self, certificates, now)

    patch(adapters.PkiReaderAuthority, "_validate", validate)


def _check_leaf_without(skipped: str) -> Any:
    """The reference's leaf rules (VDC-PKI-022, 023, 030) with the rule `skipped` off."""
    from cryptography import x509

    def check_leaf(cert: Any, purpose: Any) -> None:
        def value(kind: Any) -> Any:
            try:
                return cert.extensions.get_extension_for_class(kind).value
            except x509.ExtensionNotFound:
                return None

        constraints = value(x509.BasicConstraints)
        if skipped != "ca" and constraints is not None and constraints.ca:
            raise BasicConstraintsError("a CA certificate cannot be a leaf")
        usage = value(x509.KeyUsage)
        if skipped != "usage" and (
            usage is None or not usage.digital_signature or usage.key_cert_sign
        ):
            raise KeyUsageError("key usage")
        purposes = value(x509.ExtendedKeyUsage)
        if skipped != "purpose" and (purposes is None or purpose.value not in purposes):
            raise KeyUsageError("extended key usage")
        reader_authorisation(cert)

    return check_leaf


@fault(
    "holder-reader-any-purpose",
    "the reader leaf's extended key usage is not checked",
    "VDC-PKI-023",
    ("TC-SM-012",),
)
def _any_purpose() -> None:
    _while_validating_readers(_chain, _check_leaf=_check_leaf_without("purpose"))


@fault(
    "holder-reader-key-usage-unchecked",
    "the reader leaf's key usage (digitalSignature, no keyCertSign) is not checked",
    "VDC-PKI-023",
    ("TC-SM-012",),
)
def _key_usage_unchecked() -> None:
    _while_validating_readers(_chain, _check_leaf=_check_leaf_without("usage"))


@fault(
    "holder-reader-ca-leaf-accepted",
    "a reader leaf asserting cA is accepted",
    "VDC-PKI-022",
    ("TC-SM-012",),
)
def _ca_leaf() -> None:
    _while_validating_readers(_chain, _check_leaf=_check_leaf_without("ca"))


@fault(
    "holder-reader-path-length-ignored",
    "the reader root's path length constraint is not enforced (a sub-CA is accepted)",
    "VDC-PKI-022",
    ("TC-SM-012",),
)
def _path_length() -> None:
    real = _chain._check_ca
    _while_validating_readers(_chain, _check_ca=lambda cert, below: real(cert, 0))


@fault(
    "holder-reader-certificate-signature-unchecked",
    "the signatures on the reader's certificate path are not verified",
    "VDC-PKI-020",
    ("TC-SM-012",),
)
def _signature_unchecked() -> None:
    _while_validating_readers(_chain, _verify_signature=lambda cert, key: None)


@fault(
    "holder-reader-critical-extensions-ignored",
    "an unknown critical extension in a reader certificate is ignored",
    "VDC-PKI-024",
    ("TC-SM-012",),
)
def _critical_ignored() -> None:
    known = _chain._KNOWN_CRITICAL

    class Everything(set[Any]):
        def __contains__(self, item: object) -> bool:
            return True

    _while_validating_readers(_chain, _KNOWN_CRITICAL=Everything(known))


@fault(
    "holder-reader-any-signature-algorithm",
    "a reader certificate signed with another algorithm than ecdsa-with-SHA256 is accepted",
    "VDC-PKI-003",
    ("TC-SM-012",),
)
def _any_algorithm() -> None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    sha384 = "1.2.840.10045.4.3.3"

    def verify_signature(cert: Any, key: Any) -> None:
        digest = hashes.SHA384() if cert.signature_algorithm_oid.dotted_string == sha384 else None
        if digest is None:
            return real_verify(cert, key)
        key.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(digest))
        return None

    real_verify = _chain._verify_signature
    lax = _chain.check_profile

    def check_profile(cert: Any) -> Any:
        if cert.signature_algorithm_oid.dotted_string == sha384:
            return cert.public_key()
        return lax(cert)

    _while_validating_readers(
        _chain, _verify_signature=verify_signature, check_profile=check_profile
    )


@fault(
    "holder-reader-authorisation-optional",
    "a reader certificate without the authorisation extension may read every element",
    "VDC-PKI-030",
    ("TC-SM-012",),
)
def _authorisation_optional() -> None:
    real = _authorisation.reader_authorisation

    def reader_authorisation(cert: Any) -> Any:
        try:
            return real(cert)
        except AuthorisationError as error:
            if "no reader-authorisation" not in str(error):
                raise
            return _authorisation.ReaderAuthorisation(
                rpps="19999999006", profession="10", allowed_elements=tuple(range(1, 33))
            )

    _while_validating_readers(_chain, reader_authorisation=reader_authorisation)
    _while_validating_readers(adapters, reader_authorisation=reader_authorisation)


@fault(
    "holder-reader-critical-authorisation-accepted",
    "a critical reader-authorisation extension is accepted",
    "VDC-PKI-030",
    ("TC-SM-012",),
)
def _critical_authorisation() -> None:
    from cryptography import x509

    def reader_authorisation(cert: Any) -> Any:
        extension = cert.extensions.get_extension_for_oid(ID_READER_AUTHORISATION)
        if not isinstance(extension.value, x509.UnrecognizedExtension):
            raise AuthorisationError("unexpected type")
        return _authorisation.ReaderAuthorisation.decode(extension.value.value)

    known = _chain._KNOWN_CRITICAL | {ID_READER_AUTHORISATION}
    _while_validating_readers(
        _chain, reader_authorisation=reader_authorisation, _KNOWN_CRITICAL=known
    )
    _while_validating_readers(adapters, reader_authorisation=reader_authorisation)


@fault(
    "holder-reader-authorisation-lax",
    "the authorisation's RPPS key, profession code and allowed-element list are not checked",
    "VDC-PKI-033",
    ("TC-SM-012",),
)
def _authorisation_lax() -> None:
    patch(_authorisation.ReaderAuthorisation, "__post_init__", lambda self: None)
    patch(_authorisation, "MAX_ELEMENT_ID", 255)
    patch(_authorisation, "MAX_ALLOWED_ELEMENTS", 64)


def _validity_at(moment: Any) -> None:
    def at_moment(leaf: Any, intermediates: Any, root: Any, now: datetime, purpose: Any) -> Any:
        return validate_chain(leaf, intermediates, root, moment(leaf, root, now), purpose)

    patch(adapters, "validate_chain", at_moment)


@fault(
    "holder-reader-expiry-unchecked",
    "an expired reader certificate is accepted (its validity is checked at its notAfter)",
    "VDC-PKI-021",
    ("TC-SM-013",),
)
def _expiry_unchecked() -> None:
    _validity_at(lambda leaf, root, now: min(now, leaf.not_valid_after_utc))


@fault(
    "holder-reader-not-yet-valid-accepted",
    "a reader certificate is accepted before its notBefore",
    "VDC-PKI-021",
    ("TC-SM-013",),
)
def _not_yet_valid() -> None:
    _validity_at(lambda leaf, root, now: max(now, leaf.not_valid_before_utc))


@fault(
    "holder-reader-validity-exclusive",
    "a reader certificate is refused at the very second of its notAfter",
    "VDC-PKI-021",
    ("TC-SM-013",),
)
def _validity_exclusive() -> None:
    from datetime import timedelta

    _validity_at(
        lambda leaf, root, now: (
            now + timedelta(seconds=1) if now == leaf.not_valid_after_utc else now
        )
    )


@fault(
    "holder-reader-root-expiry-unchecked",
    "the reader root's own validity is not checked",
    "VDC-PKI-021",
    ("TC-SM-013",),
)
def _root_expiry() -> None:
    real = _chain._check_time

    def check_time(cert: Any, now: datetime) -> None:
        if cert.issuer == cert.subject:  # the trust anchor
            return None
        return real(cert, now)

    _while_validating_readers(_chain, _check_time=check_time)


@fault(
    "holder-reader-grant-kept-after-expiry",
    "a remembered reader grant is served after the chain has expired",
    "VDC-PKI-021",
    ("TC-SM-013",),
)
def _grant_kept() -> None:
    cache = adapters.READER_GRANTS
    real = type(cache).get

    def get(key: Any, now: datetime) -> Any:
        entry = cache._entries.get(key)
        if entry is not None and now > entry.not_after:
            return entry.value
        return real(cache, key, now)

    patch(cache, "get", get, create=True)


@fault(
    "holder-reader-intermediates-dropped",
    "the holder validates the reader leaf against its root without the intermediates sent",
    "VDC-PKI-020",
    ("TC-SM-023",),
)
def _intermediates_dropped() -> None:
    def without_intermediates(
        leaf: Any, intermediates: Any, root: Any, now: datetime, purpose: Any
    ) -> Any:
        return validate_chain(leaf, list(intermediates)[1:], root, now, purpose)

    patch(adapters, "validate_chain", without_intermediates)


@fault(
    "holder-reader-grants-shared-across-roots",
    "remembered reader grants are keyed by the chain alone, not by the trusted root",
    "VDC-SM-012",
    ("TC-SM-024",),
)
def _grants_shared() -> None:
    real = adapters.PkiReaderAuthority.__init__

    def init(self: Any, reader_root: Any, **options: Any) -> None:
        real(self, reader_root, **options)
        self._root_der = b""

    patch(adapters.PkiReaderAuthority, "__init__", init)
