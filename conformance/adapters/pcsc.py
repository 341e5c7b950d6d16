"""`pcsc:READER`: implementations reached through PC/SC readers (VDC-TRN-020, 021, 040-042).

Holder profile: the holder under test sits in READER and every APDU goes through pcscd;
set-up operations use the emulator's control socket when there is one
(conformance.adapters._controlled).

Reader profile: the reference reader reads the suite's simulated holders through pcscd:
the suite plugs each of them as a vpcd card into `$VDC_SUITE_READER` (default
`Virtual PCD 00 01`), and the reader's APDUs travel pyscard, pcscd, vpcd, the suite
(conformance.adapters._suite_reader).
"""

from __future__ import annotations

import os
import re

from conformance.adapters._base import request_timeout
from conformance.adapters._controlled import ControlledApduIut, control_path
from conformance.adapters._suite_reader import ReaderProfileIut, SuiteCard
from conformance.outcomes import IutFailure, NotApplicable
from vitale_ref.transport import (
    PcscReaderTransport,
    TransportError,
    VirtualCard,
    VpcdCardClient,
    list_readers,
    tcp_connector,
    wait_for_card,
)
from vitale_ref.transport._netns import default_netns_path, netns_connector

__all__ = ["ControlledApduIut", "PcscIut", "SuiteCardSlot", "control_path", "open_adapter"]

SUITE_READER = "Virtual PCD 00 01"
_VPCD_READER = re.compile(r"^Virtual PCD 00 0(\d)$")
_VPCD_FIRST_PORT = 35963


class SuiteCardSlot:
    """The suite's simulated holder, connected to vpcd as the card of one reader."""

    def __init__(self, reader: str) -> None:
        match = _VPCD_READER.match(reader)
        if match is None:
            raise NotApplicable(
                f"the suite can play the holder only in a vpcd reader, not {reader!r}"
            )
        port = _VPCD_FIRST_PORT + int(match.group(1))
        namespace = default_netns_path()
        connector = (
            netns_connector(namespace, "127.0.0.1", port)
            if namespace.exists()
            else tcp_connector("127.0.0.1", port)
        )
        self.reader = reader
        self.card = SuiteCard()
        self.client = VpcdCardClient(
            VirtualCard(self.card), connector, status=lambda _message: None
        ).start()
        if not wait_for_card(reader, 5.0):
            self.client.stop()
            raise IutFailure(f"the suite's card did not appear in {reader!r}")

    def open_session(self) -> PcscReaderTransport:
        return PcscReaderTransport(self.reader, timeout=request_timeout())

    def close(self) -> None:
        self.client.stop()


class PcscIut(ReaderProfileIut):
    """Holders in READER; the reference reader reading the suite's holders via pcscd."""

    binding = "pcsc"

    def __init__(self, reader: str) -> None:
        self.reader = reader or None
        self.suite_reader = os.environ.get("VDC_SUITE_READER", SUITE_READER)
        super().__init__(target=f"pcsc:{reader}", opener=self._open_holder)

    def _open_holder(self) -> PcscReaderTransport:
        return PcscReaderTransport(self.reader, timeout=request_timeout())

    def plug_suite_card(self) -> SuiteCardSlot:
        return SuiteCardSlot(self.suite_reader)


def open_adapter(target: str) -> PcscIut:
    try:
        known = list_readers()
    except TransportError as error:
        raise ValueError(str(error)) from None
    if target and target not in known:
        raise ValueError(f"no reader named {target!r}; readers: {', '.join(known) or 'none'}")
    try:
        return PcscIut(target)
    except IutFailure as failure:
        raise ValueError(str(failure)) from None
