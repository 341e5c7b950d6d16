"""The reader-authorisation extension: who the reader is and what it may ask for.

ReaderAuthorisation ::= SEQUENCE {
    rpps             NumericString (SIZE (11)),
    profession       NumericString (SIZE (2)),
    allowedElements  SEQUENCE (SIZE (1..32)) OF INTEGER (1..127) }  -- strictly ascending

VDC-PKI-030..033.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from cryptography import x509

from vitale_ref.pki import der
from vitale_ref.pki._errors import MALFORMED_EXTENSIONS, AuthorisationError
from vitale_ref.pki._profile import ID_READER_AUTHORISATION

PROFESSIONS: dict[str, str] = {
    "10": "médecin",
    "21": "pharmacien",
    "40": "chirurgien-dentiste",
    "50": "sage-femme",
    "60": "infirmier",
    "70": "masseur-kinésithérapeute",
}
"""Profession codes the model accepts (VDC-PKI-032), after the RPPS profession table."""

MAX_ALLOWED_ELEMENTS = 32
MAX_ELEMENT_ID = 127


def rpps_is_valid(rpps: str) -> bool:
    """11 ASCII digits whose last digit is the Luhn key of the first ten (VDC-PKI-031)."""
    if len(rpps) != 11 or not rpps.isascii() or not rpps.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(rpps)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


@dataclass(frozen=True, kw_only=True)
class ReaderAuthorisation:
    """The practitioner behind a reader certificate and the elements it may request."""

    rpps: str
    profession: str
    allowed_elements: tuple[int, ...]

    def __post_init__(self) -> None:
        if not rpps_is_valid(self.rpps):
            raise AuthorisationError(f"RPPS number {self.rpps!r} is not 11 digits with Luhn key")
        if self.profession not in PROFESSIONS:
            raise AuthorisationError(f"unknown profession code {self.profession!r}")
        ids = self.allowed_elements
        if not 1 <= len(ids) <= MAX_ALLOWED_ELEMENTS:
            raise AuthorisationError(f"{len(ids)} allowed elements, 1..32 required")
        if any(not 1 <= i <= MAX_ELEMENT_ID for i in ids):
            raise AuthorisationError("an allowed element id is outside 1..127")
        if list(ids) != sorted(set(ids)):
            raise AuthorisationError("allowed element ids are not strictly ascending")

    def encode(self) -> bytes:
        """DER of the extension value."""
        return der.sequence(
            der.numeric(self.rpps),
            der.numeric(self.profession),
            der.sequence(*(der.integer(i) for i in self.allowed_elements)),
        )

    @classmethod
    def decode(cls, data: bytes) -> ReaderAuthorisation:
        """Parse the extension value strictly; any deviation is an AuthorisationError."""
        try:
            outer = der.Reader(der.decode_one(data, "ReaderAuthorisation"), "ReaderAuthorisation")
            rpps = der.parse_numeric(outer.read(der.NUMERIC_STRING, "rpps"), "rpps", 11, 11)
            profession = der.parse_numeric(
                outer.read(der.NUMERIC_STRING, "profession"), "profession", 2, 2
            )
            allowed = outer.nested(der.SEQUENCE, "allowedElements")
            ids = tuple(
                der.parse_integer(item, "allowedElements", 1, MAX_ELEMENT_ID)
                for item in allowed.items(der.INTEGER, "element", MAX_ALLOWED_ELEMENTS)
            )
            outer.finish()
        except der.DerError as error:
            raise AuthorisationError(f"reader authorisation: {error}") from None
        if not ids:  # SIZE (1..32): a module constraint, checked with the decoding (VDC-PKI-051)
            raise AuthorisationError("reader authorisation: allowedElements is empty")
        return cls(rpps=rpps, profession=profession, allowed_elements=ids)


def reader_authorisation(cert: x509.Certificate) -> ReaderAuthorisation:
    """The authorisation a reader certificate carries (VDC-PKI-030), parsed strictly."""
    try:
        extension = cert.extensions.get_extension_for_oid(ID_READER_AUTHORISATION)
    except x509.ExtensionNotFound:
        raise AuthorisationError("certificate has no reader-authorisation extension") from None
    except MALFORMED_EXTENSIONS as error:
        raise AuthorisationError(f"certificate extensions are malformed: {error}") from None
    if extension.critical:
        raise AuthorisationError("reader-authorisation extension must not be critical")
    value = extension.value
    if not isinstance(value, x509.UnrecognizedExtension):
        raise AuthorisationError("reader-authorisation extension has an unexpected type")
    return _decode_once(value.value)


@lru_cache(maxsize=64)
def _decode_once(data: bytes) -> ReaderAuthorisation:
    """Decode of the exact extension bytes, remembered (bounded): path validation and the
    holder's grant both read the same extension of the same certificate. The result is
    immutable and depends on the bytes alone; a refused value is never remembered."""
    return ReaderAuthorisation.decode(data)
