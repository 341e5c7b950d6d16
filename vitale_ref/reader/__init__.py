"""The reader (practitioner terminal) core of VDC, sans I/O, and a driver over any link."""

from vitale_ref.reader._ports import (
    PresentationVerifier,
    ReaderError,
    ReaderIdentity,
    ReadResult,
    VerifiedPresentation,
)
from vitale_ref.reader._session import ReaderSession, run_read

__all__ = [
    "PresentationVerifier",
    "ReadResult",
    "ReaderError",
    "ReaderIdentity",
    "ReaderSession",
    "VerifiedPresentation",
    "run_read",
]
