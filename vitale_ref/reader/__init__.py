"""The reader (practitioner terminal) core of VDC, sans I/O, and a driver over any link."""

from vitale_ref.reader._handshake import Handshake, handshake, signed_receipt
from vitale_ref.reader._ports import (
    PresentationVerifier,
    ReaderError,
    ReaderIdentity,
    ReadResult,
    VerifiedPresentation,
)
from vitale_ref.reader._session import ReaderSession, run_read

__all__ = [
    "Handshake",
    "PresentationVerifier",
    "ReadResult",
    "ReaderError",
    "ReaderIdentity",
    "ReaderSession",
    "VerifiedPresentation",
    "handshake",
    "run_read",
    "signed_receipt",
]
