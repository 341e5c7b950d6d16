"""Seeded faults in certificate path validation and reader authorisations (VDC-PKI)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from conformance.driver.faults import fault, patch
from vitale_ref.pki import _authorisation, _build, _chain, _testpki
from vitale_ref.pki._errors import ValidityError


@fault(
    "pki-not-after-excluded",
    "a certificate is refused at exactly its notAfter",
    "VDC-PKI-021",
    ("TC-PKI-001",),
)
def _not_after_excluded() -> None:
    real = _chain._check_time

    def check_time(cert: Any, now: datetime) -> None:
        real(cert, now)
        if now == cert.not_valid_after_utc:
            raise ValidityError("expired at notAfter")

    patch(_chain, "_check_time", check_time)


@fault(
    "pki-31-allowed-elements",
    "a reader authorisation may list at most 31 elements",
    "VDC-PKI-033",
    ("TC-PKI-002",),
)
def _31_elements() -> None:
    patch(_authorisation, "MAX_ALLOWED_ELEMENTS", 31)


@fault(
    "pki-element-ids-to-255",
    "allowed element identifiers up to 255 are accepted",
    "VDC-PKI-033",
    ("TC-PKI-002",),
)
def _ids_to_255() -> None:
    patch(_authorisation, "MAX_ELEMENT_ID", 255)


@fault(
    "pki-any-profession",
    "any two-digit profession code is accepted",
    "VDC-PKI-032",
    ("TC-PKI-002",),
)
def _any_profession() -> None:
    class Everything(dict[str, str]):
        def __contains__(self, key: object) -> bool:
            return True

    patch(_authorisation, "PROFESSIONS", Everything(_authorisation.PROFESSIONS))


@fault(
    "pki-path-of-five",
    "a path of five certificates (three CAs between the leaf and the anchor) is accepted",
    "VDC-PKI-020",
    ("TC-PKI-004",),
)
def _path_of_five() -> None:
    patch(_chain, "MAX_PATH_CERTIFICATES", 5)


def _issue_with(change: Callable[[Any, Any], tuple[Any, Any]]) -> None:
    """The test PKI built with `change(template, issuer)` applied to every certificate."""
    real = _build.build_certificate

    def build(template: Any, issuer_key: Any, issuer: Any = None) -> Any:
        template, issuer = change(template, issuer)
        return real(template, issuer_key, issuer)

    patch(_testpki, "build_certificate", build)


@fault(
    "pki-root-without-path-length",
    "the issuing root carries no path-length constraint",
    "VDC-PKI-004",
    ("TC-PKI-003",),
)
def _root_unconstrained() -> None:
    def change(template: Any, issuer: Any) -> tuple[Any, Any]:
        if template.ca and issuer is None:
            template = dataclasses.replace(template, path_length=None)
        return template, issuer

    _issue_with(change)


@fault(
    "pki-signer-extra-key-usage",
    "document signers also assert nonRepudiation",
    "VDC-PKI-005",
    ("TC-PKI-003",),
)
def _signer_extra_usage() -> None:
    usage = x509.KeyUsage(True, True, False, False, False, False, False, False, False)

    def change(template: Any, issuer: Any) -> tuple[Any, Any]:
        if not template.ca:
            template = dataclasses.replace(template, key_usage=usage)
        return template, issuer

    _issue_with(change)


@fault(
    "pki-signer-without-authority-key-id",
    "document signers carry no authorityKeyIdentifier",
    "VDC-PKI-006",
    ("TC-PKI-003",),
)
def _no_authority_key_id() -> None:
    real = _build.build_certificate

    def build(template: Any, issuer_key: Any, issuer: Any = None) -> Any:
        built = real(template, issuer_key, issuer)
        if issuer is None:
            return built
        builder = (
            x509.CertificateBuilder()
            .subject_name(built.subject)
            .issuer_name(built.issuer)
            .public_key(built.public_key())
            .serial_number(built.serial_number)
            .not_valid_before(built.not_valid_before_utc)
            .not_valid_after(built.not_valid_after_utc)
        )
        for extension in built.extensions:
            if not isinstance(extension.value, x509.AuthorityKeyIdentifier):
                builder = builder.add_extension(extension.value, extension.critical)
        return builder.sign(issuer_key, hashes.SHA256(), ecdsa_deterministic=True)

    patch(_testpki, "build_certificate", build)
