"""The reader's presentation verifier over the credential module (VDC-SM-051)."""

from __future__ import annotations

from datetime import datetime

from cryptography import x509

from vitale_ref.credential import SignedStatusList, verify_presentation
from vitale_ref.reader._ports import VerifiedPresentation


class CredentialVerifier:
    """Verifies presentations against the issuing root and, when given, a status list."""

    def __init__(
        self, trust_anchor: x509.Certificate, status_list: bytes | SignedStatusList | None = None
    ) -> None:
        self._anchor = trust_anchor
        self._status = status_list

    def verify(self, presentation: bytes, now: datetime) -> VerifiedPresentation:
        verified = verify_presentation(
            presentation, trust_anchor=self._anchor, now=now, status_list=self._status
        )
        return VerifiedPresentation(
            elements={int(k): v for k, v in verified.elements.items()},
            device_key=verified.device_public_key,
        )
