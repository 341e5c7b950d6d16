"""`nfc:PATH`: a holder device reached through nfcpy (VDC-TRN-030 to 037, 040, 041, 043).

PATH is an nfcpy device path; `udp[:HOST[:PORT]]` (loopback) meets an emulated holder
such as `vitale emulate --nfc udp --control`. Set-up operations use the emulator's
control socket as for `pcsc:` (see conformance.adapters._controlled). Each test case
starts with a new activation (field off, then RATS).

Reader profile: the reference reader reads the suite's simulated holders through nfcpy:
the suite emulates each of them as an ISO-DEP card on a loopback udp port of its own,
and the reader senses and activates it there (conformance.adapters._suite_reader).

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

from conformance.adapters._suite_reader import ReaderProfileIut, SuiteCard
from conformance.outcomes import IutFailure
from vitale_ref.transport import TransportError
from vitale_ref.transport._nfc import (
    NfcCardEmulator,
    NfcReaderTransport,
    free_udp_port,
    udp_endpoint,
)

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


class SuiteNfcSlot:
    """The suite's simulated holder, emulated as an ISO-DEP card on a loopback udp port."""

    def __init__(self) -> None:
        self.path = f"udp:127.0.0.1:{free_udp_port()}"
        self.card = SuiteCard()
        self.emulator = NfcCardEmulator(self.card, self.path).start()
        if not self.emulator.listening.is_set():
            self.emulator.stop()
            raise IutFailure(f"the suite's card did not listen on {self.path}")

    def open_session(self) -> WatchedTransport:
        return WatchedTransport(NfcReaderTransport(self.path))

    def close(self) -> None:
        self.emulator.stop()


class NfcIut(ReaderProfileIut):
    """The holder reached through nfcpy; the reference reader reading the suite's holders."""

    binding = "nfc"

    def __init__(self, path: str) -> None:
        self.path = path or "udp"
        udp_endpoint(self.path)  # refuse a bad or non-loopback path at once
        super().__init__(target=f"nfc:{self.path}", opener=self._open_holder)

    def _open_holder(self) -> WatchedTransport:
        return WatchedTransport(NfcReaderTransport(self.path))

    def plug_suite_card(self) -> SuiteNfcSlot:
        return SuiteNfcSlot()


def open_adapter(target: str) -> NfcIut:
    try:
        return NfcIut(target)
    except (IutFailure, TransportError) as failure:
        raise ValueError(str(failure)) from None
