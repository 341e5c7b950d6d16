"""What the holder core needs from the rest of the device, as small protocols.

The core never touches storage, PKI files or clocks: the app layer gives it a source of
the credential and a reader authority; `vitale_ref.holder.adapters` builds both from the
credential and PKI modules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric import ec


@dataclass(frozen=True, kw_only=True)
class ReaderGrant:
    """An authenticated reader: its practitioner, allowed elements and signing key."""

    rpps: str
    allowed: frozenset[int]
    public_key: ec.EllipticCurvePublicKey


class ReaderAuthority(Protocol):
    """Validates a reader certificate chain (leaf first) at `now` (VDC-NFC-110)."""

    def authorise(self, chain: Sequence[bytes], now: datetime) -> ReaderGrant:
        """The grant of a valid chain; raises a VitaleError for any invalid one."""
        ...

    def remembered(self, reference: bytes, now: datetime) -> ReaderGrant | None:
        """The grant of a chain validated before whose readerRef is `reference`, while
        every certificate of it is valid at `now`; None otherwise (VDC-PKI-060)."""
        ...


class CredentialSource(Protocol):
    """The holder's credential and the key it is bound to (VDC-NFC-120)."""

    @property
    def device_key(self) -> ec.EllipticCurvePrivateKey:
        """Private key whose public half the credential binds."""
        ...

    def available(self) -> frozenset[int]:
        """Identifiers of the elements the credential holds."""
        ...

    def presentation(self, element_ids: Sequence[int]) -> bytes:
        """Encoded presentation disclosing exactly `element_ids`."""
        ...
