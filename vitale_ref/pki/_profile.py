"""Object identifiers and fixed choices of the VDC certificate profile (VDC-PKI).

The arc 2.25.211403634898987692493873858505084073045 is a UUID-derived arc (ITU-T X.667)
chosen for this open model as a placeholder: nobody owns it, nobody else will collide
with it, and a real deployment would replace it with its own registered arc
(VDC-PKI-002).
"""

from __future__ import annotations

import enum

from cryptography.x509.oid import ObjectIdentifier

VDC_ARC = "2.25.211403634898987692493873858505084073045"
ID_READER_AUTHORISATION = ObjectIdentifier(f"{VDC_ARC}.1")
ID_KP_DOCUMENT_SIGNING = ObjectIdentifier(f"{VDC_ARC}.2.1")
ID_KP_STATUS_LIST_SIGNING = ObjectIdentifier(f"{VDC_ARC}.2.2")
ID_KP_READER_AUTHENTICATION = ObjectIdentifier(f"{VDC_ARC}.2.3")

ID_SHA256 = "2.16.840.1.101.3.4.2.1"
ID_ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2"
ID_EC_PUBLIC_KEY = "1.2.840.10045.2.1"
ID_PRIME256V1 = "1.2.840.10045.3.1.7"

MAX_PATH_CERTIFICATES = 4
"""Leaf plus intermediates beyond which a path is refused (VDC-PKI-020)."""


class Purpose(enum.Enum):
    """What a leaf certificate is validated for; each maps to one extended key usage."""

    DOCUMENT_SIGNING = ID_KP_DOCUMENT_SIGNING
    STATUS_LIST_SIGNING = ID_KP_STATUS_LIST_SIGNING
    READER_AUTHENTICATION = ID_KP_READER_AUTHENTICATION
