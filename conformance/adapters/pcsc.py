"""`pcsc:READER`: a holder device reached through a PC/SC reader (VDC-TRN-020, 021, 040, 041).

The holder under test sits in READER and every APDU goes through pcscd; set-up
operations use the emulator's control socket when there is one
(conformance.adapters._controlled). This designation puts a holder under test and never
declares the reader profile: a reader is put under test with `--card`
(conformance.adapters._card_reader).
"""

from __future__ import annotations

from conformance.adapters._base import request_timeout
from conformance.adapters._controlled import ControlledApduIut, control_path
from vitale_ref.transport import PcscReaderTransport, TransportError, list_readers

__all__ = ["ControlledApduIut", "PcscIut", "control_path", "open_adapter"]


class PcscIut(ControlledApduIut):
    """The holder in READER, one PC/SC session per case."""

    binding = "pcsc"

    def __init__(self, reader: str) -> None:
        self.reader = reader or None
        super().__init__(target=f"pcsc:{reader}", opener=self._open_holder)

    def _open_holder(self) -> PcscReaderTransport:
        return PcscReaderTransport(self.reader, timeout=request_timeout())


def open_adapter(target: str) -> PcscIut:
    try:
        known = list_readers()
    except TransportError as error:
        raise ValueError(str(error)) from None
    if target and target not in known:
        raise ValueError(f"no reader named {target!r}; readers: {', '.join(known) or 'none'}")
    return PcscIut(target)
