"""`nfc:PATH`: a holder device reached through nfcpy (VDC-TRN-030 to 037, 040, 041, 043).

PATH is an nfcpy device path: `usb[:…]` or `tty:PORT[:DRIVER]` for a reader attached to
this computer, or `udp[:HOST[:PORT]]` (loopback) to meet an emulated holder such as
`vitale conformance emulate --nfc udp` (VDC-TRN-039). Set-up operations use the emulator's
control socket as for `pcsc:` (see conformance.adapters._controlled). Each test case
starts with a new activation (field off, then RATS).

This designation puts a holder under test and never declares the reader profile: a
reader is put under test with `--card nfc:PATH` (conformance.adapters._card_reader).

nfcpy retries a block for as long as the card answers it out of protocol, so a faulty
card could hold an exchange for ever: every exchange runs under a watchdog
(`$VDC_IUT_TIMEOUT`, 10 s by default) that ends the session and fails the case.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from typing import TypeVar

from conformance.adapters._controlled import ControlledApduIut
from conformance.outcomes import IutFailure
from vitale_ref.transport import TransportError
from vitale_ref.transport._nfc import NfcReaderTransport, open_frontend, udp_endpoint

T = TypeVar("T")


def watchdog_seconds() -> float:
    return float(os.environ.get("VDC_IUT_TIMEOUT") or 10.0)


def within(seconds: float, work: Callable[[], T], stop: Callable[[], None]) -> T:
    """`work()`, or IutFailure after `seconds`, calling `stop()` to end the exchange."""
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(work())
        except BaseException as error:  # handed to the caller's thread below
            errors.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        with contextlib.suppress(Exception):  # the session is being torn down anyway
            stop()
        raise IutFailure(f"no answer within {seconds:g} s: the card holds the exchange (hang)")
    if errors:
        raise errors[0]
    return results[0]


class WatchedTransport:
    """An nfcpy reader session whose exchanges cannot outlive the watchdog."""

    def __init__(self, inner: NfcReaderTransport) -> None:
        self.inner = inner

    @property
    def tag(self) -> object:
        return self.inner.tag

    def transmit(self, command: bytes) -> bytes:
        return within(watchdog_seconds(), lambda: self.inner.transmit(command), self.close)

    def close(self) -> None:
        self.inner.close()


class NfcIut(ControlledApduIut):
    """The holder reached through nfcpy, one activation per case."""

    binding = "nfc"

    def __init__(self, path: str) -> None:
        self.path = path or "udp"
        if self.path.split(":", 1)[0] == "udp":
            udp_endpoint(self.path)  # refuse a bad or non-loopback path at once
        else:  # VDC-TRN-039: a device path reaches nfcpy; no device is refused at once
            open_frontend(self.path, listen=False).close()
        super().__init__(target=f"nfc:{self.path}", opener=self._open_holder)

    def _open_holder(self) -> WatchedTransport:
        return WatchedTransport(NfcReaderTransport(self.path))


def open_adapter(target: str) -> NfcIut:
    try:
        return NfcIut(target)
    except (IutFailure, TransportError) as failure:
        raise ValueError(str(failure)) from None
