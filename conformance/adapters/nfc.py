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
from vitale_ref.transport._nfc import NfcReaderTransport, udp_endpoint


class NfcIut(ControlledApduIut):
    """The holder reached through nfcpy."""

    binding = "nfc"

    def __init__(self, path: str) -> None:
        self.path = path or "udp"
        udp_endpoint(self.path)  # refuse a bad or non-loopback path at once
        super().__init__(target=f"nfc:{self.path}", opener=self._open_holder)

    def _open_holder(self) -> NfcReaderTransport:
        return NfcReaderTransport(self.path)


def open_adapter(target: str) -> NfcIut:
    try:
        return NfcIut(target)
    except (IutFailure, TransportError) as failure:
        raise ValueError(str(failure)) from None
