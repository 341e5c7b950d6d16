"""`nfc:PATH`: a holder device reached through nfcpy (VDC-TRN-030 to 037, 040, 041).

PATH is an nfcpy device path; `udp[:HOST[:PORT]]` (loopback) meets an emulated holder
such as `vitale emulate --nfc udp --control`. Set-up operations use the emulator's
control socket as for `pcsc:` (see conformance.adapters.pcsc). Each test case starts
with a new activation (field off, then RATS).
"""

from __future__ import annotations

from conformance.adapters.pcsc import ControlledApduIut
from conformance.outcomes import IutFailure
from vitale_ref.transport import TransportError
from vitale_ref.transport._nfc import NfcReaderTransport


class NfcIut(ControlledApduIut):
    """The holder reached through nfcpy."""

    def __init__(self, path: str) -> None:
        self.path = path or "udp"
        try:
            transport = self.open_transport()
        except TransportError as error:
            raise IutFailure(f"reader error: {error}") from None
        super().__init__(target=f"nfc:{self.path}", transport=transport)

    def open_transport(self) -> NfcReaderTransport:
        return NfcReaderTransport(self.path)


def open_adapter(target: str) -> NfcIut:
    try:
        return NfcIut(target)
    except IutFailure as failure:
        raise ValueError(str(failure)) from None
