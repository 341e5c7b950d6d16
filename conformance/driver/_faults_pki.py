"""Seeded faults in certificate path validation and reader authorisations (VDC-PKI)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from conformance.driver.faults import fault, patch
from vitale_ref.pki import _authorisation, _chain
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
