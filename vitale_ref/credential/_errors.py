"""Typed errors of credential decoding and verification (VDC-CRED).

Each error carries the requirement it enforces in `requirement`, so a verdict can name
the rule that failed; vector files name the error class.
"""

from __future__ import annotations

from vitale_ref.errors import VitaleError
from vitale_ref.pki.der import ConstraintError


class CredentialError(VitaleError, ValueError):
    """A credential, presentation or status list is not acceptable."""

    requirement = "VDC-CRED-001"

    def __init__(self, message: str, *, requirement: str | None = None) -> None:
        super().__init__(message)
        if requirement is not None:
            self.requirement = requirement


class CredentialEncodingError(CredentialError):
    """Not DER, truncated, oversized, too deep, wrong tag or trailing bytes."""

    requirement = "VDC-CRED-030"


class CredentialFormatError(CredentialError):
    """Well-formed DER whose field values the specification does not allow."""

    requirement = "VDC-CRED-031"


class UnsupportedVersionError(CredentialFormatError):
    """A version this implementation does not know."""

    requirement = "VDC-CRED-010"


class UnsupportedAlgorithmError(CredentialFormatError):
    """A digest algorithm other than SHA-256."""

    requirement = "VDC-CRED-015"


class DeviceKeyError(CredentialFormatError):
    """The device public key is not an uncompressed P-256 point on the curve."""

    requirement = "VDC-CRED-013"


class ElementOrderError(CredentialFormatError):
    """Element identifiers duplicated or not in ascending order."""

    requirement = "VDC-CRED-016"


class MissingElementError(CredentialError):
    """A mandatory element has no digest, or a requested element was not disclosed."""

    requirement = "VDC-CRED-017"


class CertificateChainError(CredentialError):
    """The signer's chain does not validate to the trust anchor for its purpose."""

    requirement = "VDC-CRED-041"


class IssuerSignatureError(CredentialError):
    """The issuer's signature does not verify."""

    requirement = "VDC-CRED-042"


class CredentialValidityError(CredentialError):
    """The credential is not valid at `now`."""

    requirement = "VDC-CRED-043"


class CredentialExpiredError(CredentialValidityError):
    """`now` is after validUntil."""


class CredentialNotYetValidError(CredentialValidityError):
    """`now` is before validFrom."""


class DisclosureError(CredentialError):
    """A disclosed element that the issuer's digests do not cover."""

    requirement = "VDC-CRED-044"


class DigestMismatchError(DisclosureError):
    """A disclosed element whose salted digest differs from the signed one."""

    requirement = "VDC-CRED-045"


class StatusListError(CredentialError):
    """A status list that is malformed, unsigned, out of date or for another list."""

    requirement = "VDC-CRED-052"


class CredentialRevokedError(CredentialError):
    """The status list marks the credential as revoked."""

    requirement = "VDC-CRED-053"


class DeviceBindingError(CredentialError):
    """The device-key binding check supplied by the caller failed."""

    requirement = "VDC-CRED-046"


def from_der(error: Exception) -> CredentialError:
    """The credential error for a DER fault: value constraints are format errors."""
    if isinstance(error, ConstraintError):
        return CredentialFormatError(str(error))
    return CredentialEncodingError(str(error))
