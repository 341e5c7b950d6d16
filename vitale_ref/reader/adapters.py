"""The reader's presentation verifier over the credential module (VDC-SM-051)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime

from cryptography import x509

from vitale_ref.credential import SignedStatusList, signer_reference, verify_presentation
from vitale_ref.reader._ports import VerifiedPresentation

MAX_SIGNERS = 16
"""Document-signer chains a verifier keeps: an issuer has a few signers at a time."""


class CredentialVerifier:
    """Verifies presentations against the issuing root and, when given, a status list;
    keeps the issuer's document-signer chains by reference (VDC-CRED-071)."""

    def __init__(
        self,
        trust_anchor: x509.Certificate,
        status_list: bytes | SignedStatusList | None = None,
        *,
        signers: Iterable[tuple[bytes, ...]] = (),
    ) -> None:
        self._anchor = trust_anchor
        self._status = status_list
        self._signers: OrderedDict[bytes, tuple[bytes, ...]] = OrderedDict()
        for chain in signers:
            self.remember_signer(chain)

    def signer_chain(self, reference: bytes) -> tuple[bytes, ...] | None:
        return self._signers.get(bytes(reference))

    def remember_signer(self, chain: tuple[bytes, ...]) -> None:
        """Keep `chain` under its leaf's reference (it is validated at every use anyway,
        VDC-CRED-041); the oldest goes beyond MAX_SIGNERS."""
        reference = signer_reference(chain[0])
        self._signers[reference] = tuple(chain)
        self._signers.move_to_end(reference)
        while len(self._signers) > MAX_SIGNERS:
            self._signers.popitem(last=False)

    def verify(self, presentation: bytes, now: datetime) -> VerifiedPresentation:
        verified = verify_presentation(
            presentation, trust_anchor=self._anchor, now=now, status_list=self._status
        )
        return VerifiedPresentation(
            elements={int(k): v for k, v in verified.elements.items()},
            device_key=verified.device_public_key,
        )
