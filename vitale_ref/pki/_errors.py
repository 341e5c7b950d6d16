"""Typed errors of certificate parsing and path validation (VDC-PKI)."""

from __future__ import annotations

from cryptography import x509

from vitale_ref.errors import VitaleError

MALFORMED_EXTENSIONS = (ValueError, x509.DuplicateExtension, x509.UnsupportedGeneralNameType)
"""What cryptography raises while parsing a certificate's extensions; only ValueError is a
ValueError, so every caller catches the three (RFC 5280 4.2 allows one instance of each
extension)."""
MALFORMED_NAME = (ValueError, TypeError)
"""What cryptography raises while parsing an issuer or subject name: ValueError, or
TypeError for an attribute whose string type its Name model does not allow (a BIT STRING
under any identifier but x500UniqueIdentifier)."""


class PKIError(VitaleError, ValueError):
    """A certificate or a certification path is not acceptable."""


class CertificateFormatError(PKIError):
    """The bytes are not a well-formed certificate of the VDC profile."""


class AlgorithmError(PKIError):
    """A key is not on P-256 or a signature is not ecdsa-with-SHA256 (VDC-PKI-003)."""


class PathError(PKIError):
    """No path from the certificate to the trust anchor (VDC-PKI-020)."""


class SignatureError(PKIError):
    """A certificate signature does not verify with its issuer's key (VDC-PKI-020)."""


class ValidityError(PKIError):
    """A certificate of the path is expired or not yet valid at `now` (VDC-PKI-021)."""


class BasicConstraintsError(PKIError):
    """A CA lacks cA=TRUE, a leaf claims it, or a path length is exceeded (VDC-PKI-022)."""


class KeyUsageError(PKIError):
    """Key usage or extended key usage does not allow the purpose (VDC-PKI-023)."""


class CriticalExtensionError(PKIError):
    """A critical extension the profile does not know (VDC-PKI-024)."""


class AuthorisationError(PKIError):
    """The reader-authorisation extension is missing or malformed (VDC-PKI-030)."""
