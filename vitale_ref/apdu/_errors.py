"""Errors of the APDU layer: each carries the status word the holder answers with."""

from __future__ import annotations

from vitale_ref.errors import VitaleError


class ApduError(VitaleError, ValueError):
    """A malformed or refused APDU; `sw` is the status word that reports it (VDC-NFC-040)."""

    def __init__(self, message: str, sw: int) -> None:
        super().__init__(message)
        self.sw = sw


class TlvError(VitaleError, ValueError):
    """A BER-TLV string that is not in the strict form VDC-NFC-030 requires."""
