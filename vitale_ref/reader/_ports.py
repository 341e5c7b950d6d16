"""What the reader core needs: its identity and a verifier of presentations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric import ec

from vitale_ref.errors import VitaleError
from vitale_ref.sm import Receipt, SessionKeys


class ReaderError(VitaleError):
    """The read failed; `sw` is the holder's status word when it answered with one."""

    def __init__(self, message: str, sw: int | None = None) -> None:
        super().__init__(message)
        self.sw = sw


@dataclass(frozen=True, kw_only=True)
class ReaderIdentity:
    """The reader's certificate chain (leaf first, DER) and the leaf's private key."""

    chain: tuple[bytes, ...]
    key: ec.EllipticCurvePrivateKey


@dataclass(frozen=True, kw_only=True)
class VerifiedPresentation:
    """A presentation whose issuer signature, digests, validity and status were checked."""

    elements: Mapping[int, object]
    device_key: ec.EllipticCurvePublicKey


class PresentationVerifier(Protocol):
    """Checks a presentation at `now`; raises a VitaleError when it is not valid.

    It also keeps the document-signer chains a version 2 presentation names by
    reference (VDC-CRED-071): those given at set-up, and those fetched with GET SIGNER
    CHAIN once a presentation verified with them."""

    def verify(self, presentation: bytes, now: datetime) -> VerifiedPresentation: ...

    def signer_chain(self, reference: bytes) -> tuple[bytes, ...] | None: ...

    def remember_signer(self, chain: tuple[bytes, ...]) -> None: ...


@dataclass(frozen=True, kw_only=True)
class ReadResult:
    """Outcome of a complete authenticated read."""

    elements: Mapping[int, object]
    presentation: bytes
    keys: SessionKeys
    session_hash: bytes
    receipt: Receipt | None
    receipt_acknowledged: bool
