"""Seeded faults in certificate path validation and reader authorisations (VDC-PKI)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from conformance.driver.faults import fault, patch
from vitale_ref.pki import _authorisation, _build, _chain, _errors, _testpki
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


@fault(
    "pki-issuer-ca-flag-unread",
    "an issuer whose basicConstraints say cA FALSE is taken as a CA",
    "VDC-PKI-022",
    ("TC-PKI-005",),
)
def _ca_flag_unread() -> None:
    real = _chain._check_ca

    def check_ca(cert: Any, below: int) -> None:
        constraints = _chain._extension(cert, x509.BasicConstraints)
        if isinstance(constraints, x509.BasicConstraints) and not constraints.ca:
            return  # the fault: a present cA FALSE is not looked at
        real(cert, below)

    patch(_chain, "_check_ca", check_ca)


@fault(
    "pki-issuer-without-keycertsign",
    "an issuer without keyCertSign in its key usage is accepted",
    "VDC-PKI-023",
    ("TC-PKI-005",),
)
def _no_keycertsign() -> None:
    real = _chain._check_ca

    def check_ca(cert: Any, below: int) -> None:
        try:
            real(cert, below)
        except _errors.KeyUsageError:
            return

    patch(_chain, "_check_ca", check_ca)


@fault(
    "pki-first-intermediate-taken",
    "the first supplied intermediate is taken as the issuer, whatever its name",
    "VDC-PKI-020",
    ("TC-PKI-004",),
)
def _first_intermediate() -> None:
    def find_issuer(cert: Any, intermediates: Any) -> Any:
        return next((c for c in intermediates if c is not cert), None)

    patch(_chain, "_find_issuer", find_issuer)


@fault(
    "pki-luhn-doubles-4-wrongly",
    "the RPPS key doubles a 4 as a digit above 4 (8 - 9)",
    "VDC-PKI-031",
    ("TC-PKI-002",),
)
def _luhn_off() -> None:
    def rpps_is_valid(rpps: str) -> bool:
        if len(rpps) != 11 or not rpps.isascii() or not rpps.isdigit():
            return False
        total = 0
        for position, char in enumerate(reversed(rpps)):
            digit = int(char)
            if position % 2 == 1:
                digit = digit * 2 - 9 if digit >= 4 else digit * 2
            total += digit
        return total % 10 == 0

    patch(_authorisation, "rpps_is_valid", rpps_is_valid)
