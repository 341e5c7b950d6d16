"""The card side of ISO-DEP over nfcpy: a card handler emulated as a Type 4A card
(VDC-TRN-030 to 039).

`NfcCardEmulator` listens as a Type A target through `ContactlessFrontend.listen` and
runs an `IsoDepCard` over `exchange`. On the udp link nfcpy hands over RATS and the card
answers it; the drivers of real chips answer RATS themselves with the ATS the emulator
gives them and hand over the first block after it. While the handler computes an
answer the emulator asks the reader for waiting time extensions, so that a slow holder
never exceeds the frame waiting time a real terminal enforces (VDC-TRN-038).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as NotYet
from datetime import datetime
from typing import Any

from vitale_ref.transport._card import CardHandler
from vitale_ref.transport._errors import TransportError
from vitale_ref.transport._isodep import DEFAULT_FWI, RATS, Command, IsoDepCard, build_ats
from vitale_ref.transport._nfc import (
    DEFAULT_UDP,
    IDLE_DEACTIVATION,
    UNKNOWN_FSD_RATS,
    WTX_AT_LEAST,
    _nfc,
    open_frontend,
)
from vitale_ref.transport._vpcd_socket import Status, utc_now


class _HandlerThread:
    """The card handler, called on one thread of its own.

    The emulator keeps talking to the reader (S(WTX)) while the handler works, and a
    handler may keep per-thread state (the holder app's SQLite connection): every call,
    reset and respond alike, runs on this one thread.
    """

    def __init__(self, handler: CardHandler) -> None:
        self.handler = handler
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nfc-card-handler")

    def respond(self, command: bytes, now: datetime) -> bytes:
        """Only ever called on the pool's thread (`NfcCardEmulator._reply`)."""
        return self.handler.respond(command, now)

    def reset(self) -> None:
        self.pool.submit(self.handler.reset).result()


class NfcCardEmulator:
    """Serves a card handler as an ISO-DEP Type A card over nfcpy until `stop()`."""

    def __init__(
        self,
        handler: CardHandler,
        path: str = DEFAULT_UDP,
        *,
        clock: Callable[[], datetime] = utc_now,
        status: Status | None = None,
        historical: bytes = b"",
        fwi: int = DEFAULT_FWI,
    ) -> None:
        self.handler = handler
        self._calls = _HandlerThread(handler)
        self.path = path
        self.clock = clock
        self.status = status or (lambda _message: None)
        self.ats = build_ats(fwi=fwi, historical=historical)
        self.activations = 0
        self.extensions = 0
        """S(WTX) requests sent so far (VDC-TRN-038)."""
        self.listening = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._clf: Any = None

    def start(self) -> NfcCardEmulator:
        # The handler's first reset may be slow (a driver loading its schemas): pay it now,
        # not between RATS and the ATS, which the reader awaits for 30 ms (VDC-TRN-030).
        self._calls.reset()
        self._clf = open_frontend(self.path, listen=True)
        if not self.path.startswith("udp"):
            self._check_listening()
        self._thread = threading.Thread(target=self.run, name="nfc-card", daemon=True)
        self._thread.start()
        self.listening.wait(2.0)
        return self

    def _check_listening(self) -> None:
        """VDC-TRN-039: a device that cannot be a Type 4A card is refused at once."""
        nfc = _nfc()
        try:
            self._clf.listen(self._target(), 0.01)
        except nfc.clf.UnsupportedTargetError as error:
            self._clf.close()
            self._clf = None
            raise TransportError(
                f"the NFC device at {self.path} cannot emulate a Type 4A card: {error}"
            ) from None

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._clf is not None:
            self._clf.close()
            self._clf = None
        self._calls.pool.shutdown(wait=False, cancel_futures=True)

    def _target(self) -> Any:
        nfc = _nfc()
        target = nfc.clf.LocalTarget("106A")
        target.sens_res = bytearray.fromhex("4400")
        target.sdd_res = bytearray.fromhex("08564443")
        target.sel_res = bytearray.fromhex("20")  # VDC-TRN-030: ISO 14443-4 compliant
        target.rats_res = bytearray(self.ats)  # for drivers that answer RATS themselves
        return target

    def run(self) -> None:
        target = self._target()
        self.status(f"emulating an ISO-DEP card on nfc {self.path}")
        while not self._stop.is_set():
            self.listening.set()
            activated = self._clf.listen(target, 0.5)
            if activated is None or not getattr(activated, "tt4_cmd", None):
                continue
            self.activations += 1
            self.status("activated by a reader")
            first = bytes(activated.tt4_cmd)
            if first[0] == RATS:
                reason = self._serve(first, None)
            else:  # the driver answered RATS: `first` is the first block after it
                rats = bytes(getattr(activated, "rats_cmd", None) or UNKNOWN_FSD_RATS)
                reason = self._serve(rats, first)
            self.status(f"deactivated: {reason}")

    def _serve(self, rats: bytes, first: bytes | None) -> str:
        nfc = _nfc()
        card = IsoDepCard(self._calls, ats=self.ats)
        try:
            ats = card.activate(rats)
        except TransportError as error:
            return str(error)
        answer: bytes | None = ats if first is None else None
        pending = first
        while not self._stop.is_set():
            try:
                if pending is None:
                    frame = self._clf.exchange(
                        None if answer is None else bytearray(answer), IDLE_DEACTIVATION
                    )
                else:
                    frame, pending = bytearray(pending), None
                if frame is None:
                    return "link broken"
                answer = self._reply(card, bytes(frame))
            except nfc.clf.BrokenLinkError:
                return "field off"
            except nfc.clf.TimeoutError:
                return "reader silent"
            except nfc.clf.CommunicationError as error:
                return f"communication error: {error!r}"
            if not card.active:
                if answer is not None:
                    self._clf.exchange(bytearray(answer), 0)
                return "deselected"
        return "stopped"

    def _reply(self, card: IsoDepCard, frame: bytes) -> bytes | None:
        """The frame answering `frame`; a command is answered by the handler, with waiting
        time extensions while it works (VDC-TRN-038)."""
        received = time.monotonic()
        out = card.feed(frame)
        if not isinstance(out, Command):
            return out
        answer = self._calls.pool.submit(card.respond, out.apdu, self.clock())
        window, started = card.fwt, received
        while True:
            try:
                return card.answer(answer.result(max(0.0, started + window / 2 - time.monotonic())))
            except NotYet:
                pass
            request, window = card.wtx_request(WTX_AT_LEAST)
            self.extensions += 1
            granted = self._clf.exchange(bytearray(request), 1.0)
            started = time.monotonic()
            if granted is None or card.feed(bytes(granted)) is not None:
                raise _nfc().clf.ProtocolError("the reader did not grant the extension")
