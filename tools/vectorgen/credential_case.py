"""One credential vector case and the flags that describe invalid ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tools.vectorgen._wycheproof import Flag
from vitale_ref.credential import CredentialError
from vitale_ref.pki import TEST_NOW


@dataclass(frozen=True, kw_only=True)
class Case:
    """An invalid presentation, the flag naming its fault, the error it must raise."""

    comment: str
    flag: str
    error: type[CredentialError]
    requirement: str
    presentation: bytes
    now: datetime = TEST_NOW
    requested: tuple[int, ...] = ()
    status_list: bytes = field(default=b"")


FLAGS: dict[str, tuple[str, str, str]] = {
    # name: (bug type, description, requirement)
    "Truncated": ("MALFORMED_ENCODING", "The encoding ends early.", "VDC-CRED-030"),
    "TrailingBytes": ("MALFORMED_ENCODING", "Bytes follow the outer value.", "VDC-CRED-030"),
    "NonMinimalLength": (
        "BER_ENCODING",
        "A long-form length where the short (or a shorter) form is required.",
        "VDC-CRED-030",
    ),
    "IndefiniteLength": ("BER_ENCODING", "Indefinite length (BER only).", "VDC-CRED-030"),
    "OversizedLength": (
        "RESOURCE_EXHAUSTION",
        "A length field claims far more bytes than present (up to 2 GB).",
        "VDC-CRED-030",
    ),
    "ConstructedString": ("BER_ENCODING", "A string in constructed form.", "VDC-CRED-030"),
    "NonMinimalInteger": (
        "BER_ENCODING",
        "An INTEGER with a redundant leading octet.",
        "VDC-CRED-030",
    ),
    "WrongTag": (
        "MALFORMED_ENCODING",
        "A field with a tag the module does not allow.",
        "VDC-CRED-030",
    ),
    "HighTagNumber": ("MALFORMED_ENCODING", "A multi-byte tag.", "VDC-CRED-030"),
    "RandomBytes": ("MALFORMED_ENCODING", "Random bytes, not a presentation.", "VDC-CRED-030"),
    "TooLarge": ("RESOURCE_EXHAUSTION", "Input longer than the 32768-byte limit.", "VDC-CRED-030"),
    "SizeLimit": ("EDGE_CASE", "Exactly 32768 bytes: the largest input accepted.", "VDC-CRED-030"),
    "ErrorClass": (
        "MISCLASSIFIED_ERROR",
        "Where encoding errors end and format errors begin.",
        "VDC-CRED-033",
    ),
    "CheckOrder": (
        "MISCLASSIFIED_ERROR",
        "Two rules broken: the first one read in encoding order is reported.",
        "VDC-CRED-032",
    ),
    "Requested": (
        "MISSING_CHECK",
        "A requested element that is not disclosed.",
        "VDC-CRED-056",
    ),
    "UnknownElement": ("MALFORMED_ENCODING", "An element tag outside the table.", "VDC-CRED-018"),
    "BadTime": (
        "MALFORMED_ENCODING",
        "A GeneralizedTime not in YYYYMMDDHHMMSSZ form.",
        "VDC-CRED-012",
    ),
    "BadCertificate": (
        "MALFORMED_ENCODING",
        "A chain entry that is not a certificate.",
        "VDC-CRED-040",
    ),
    "UnknownVersion": ("UNSUPPORTED", "A version other than 1.", "VDC-CRED-010"),
    "WrongDigestAlgorithm": (
        "UNSUPPORTED",
        "A digest algorithm other than SHA-256.",
        "VDC-CRED-015",
    ),
    "WrongCurve": (
        "WRONG_KEY",
        "The device key is not an uncompressed P-256 point.",
        "VDC-CRED-013",
    ),
    "DuplicateElement": ("CANONICAL_ORDER", "An element identifier appears twice.", "VDC-CRED-016"),
    "UnorderedElements": ("CANONICAL_ORDER", "Element identifiers out of order.", "VDC-CRED-016"),
    "MissingElement": (
        "MISSING_ELEMENT",
        "A mandatory or requested element is absent.",
        "VDC-CRED-017",
    ),
    "FieldConstraint": (
        "FIELD_VALUE",
        "A field value the module or the chapter forbids.",
        "VDC-CRED-031",
    ),
    "InvalidNir": ("FIELD_VALUE", "A NIR that the NIR chapter refuses.", "VDC-CRED-020"),
    "InvalidName": ("FIELD_VALUE", "A name breaking the length or text rules.", "VDC-CRED-021"),
    "InvalidDate": (
        "FIELD_VALUE",
        "A birth date or period date that is not allowed.",
        "VDC-CRED-022",
    ),
    "BadSignature": ("SIGNATURE", "The issuer signature does not verify.", "VDC-CRED-042"),
    "UntrustedChain": (
        "CHAIN",
        "The signer does not chain to the trust anchor for this purpose.",
        "VDC-CRED-041",
    ),
    "WrongKeyUsage": ("CHAIN", "The signer's key usage or key purpose is wrong.", "VDC-PKI-023"),
    "Expired": ("VALIDITY", "`now` is after validUntil.", "VDC-CRED-043"),
    "NotYetValid": ("VALIDITY", "`now` is before validFrom.", "VDC-CRED-043"),
    "WrongDigest": ("DIGEST", "A disclosed element whose digest differs.", "VDC-CRED-045"),
    "TamperedSalt": ("DIGEST", "A disclosed element with a modified salt.", "VDC-CRED-045"),
    "ExtraElement": ("DISCLOSURE", "A disclosed element without a digest.", "VDC-CRED-044"),
    "Revoked": ("REVOCATION", "The status list marks the credential revoked.", "VDC-CRED-053"),
    "BadStatusList": (
        "REVOCATION",
        "The status list is invalid, stale or for another list.",
        "VDC-CRED-052",
    ),
    "LunarDate": ("EDGE_CASE", "A lunar birth date that must round-trip.", "VDC-CRED-022"),
    "MaximalLengths": ("EDGE_CASE", "Every field and list at its maximum.", "VDC-CRED-031"),
    "EdgeValue": (
        "EDGE_CASE",
        "A value at the edge of its range (the last one accepted).",
        "VDC-CRED-031",
    ),
}


EXTRA_FLAGS: dict[str, tuple[str, ...]] = {
    "validUntil with a fraction of a second (valid DER, refused by the profile)": ("ErrorClass",),
    "validUntil as UTCTime": ("ErrorClass",),
    "empty chain (SIZE (1..3))": ("ErrorClass",),
    "family name that is not UTF-8": ("ErrorClass",),
    "birth date with a letter O": ("ErrorClass",),
    "element tag [11] is not in the table": ("ErrorClass",),
    "digest for element 11": ("ErrorClass",),
    "NIR twice in 11 elements: the repeat precedes the size bound": ("CheckOrder",),
    "nir requested, only names disclosed": ("Requested",),
}
"""Second flags of vectors that also settle a rule of the decoding (VDC-CRED-032, 033)
or of the requested elements (VDC-CRED-056)."""


def notes() -> dict[str, Flag]:
    return {
        name: Flag(bug_type=bug, description=text, requirement=req)
        for name, (bug, text, req) in FLAGS.items()
    }
