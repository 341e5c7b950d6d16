"""The card the suite plays for a reader under test, on a real transport (VDC-TRN-042, 043).

`--card pcsc[:READER]` puts it in a vpcd reader behind pcscd; `--card nfc:PATH` emulates
it as an ISO-DEP card with nfcpy. The card stays in place for the whole run; for each
read the adapter hands it the running case's holder (`PlayedCard.present`) and takes it
back afterwards, so that between reads it answers every command with 6985. Everything
that reaches the card is recorded for the judge (conformance.adapters._card_judge).
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from conformance.adapters._base import Transmit
from vitale_ref.transport import TransportError

SW_CONDITIONS_NOT_SATISFIED = b"\x69\x85"
"""The answer of the card between reads: no holder is being presented."""

MAX_COMMANDS = 256
"""Commands one read may send the card (VDC-HARN-001); more are answered 6F00 unseen by the
holder, so that a reader looping for ever ends (and is judged) instead of hanging."""
DEFAULT_READER = "Virtual PCD 00 01"
_VPCD_READER = re.compile(r"^Virtual PCD 00 0(\d)$")
_VPCD_FIRST_PORT = 35963


@dataclass
class Exchange:
    """What the card saw: command and response, and the card session they belong to."""

    command: bytes
    response: bytes
    session: int


@dataclass
class Presentation:
    """The card's record of one read: every exchange, sessions, and the holder's errors."""

    exchanges: list[Exchange] = field(default_factory=list)
    sessions: int = 0
    errors: list[str] = field(default_factory=list)
    overflow: bool = False
    first: float | None = None
    last: float | None = None


class PlayedCard:
    """Card handler forwarding to the holder of the running case (any card thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holder: Transmit | None = None
        self._record: Presentation | None = None
        self._session = 0
        self._in_session = False
        self.activity = threading.Condition(self._lock)

    def present(self, holder: Transmit) -> Presentation:
        """From now on the card is `holder`; returns the record being written."""
        with self._lock:
            self._holder = holder
            self._record = Presentation()
            return self._record

    def current(self) -> Presentation | None:
        """The record of the read in progress, if any."""
        with self._lock:
            return self._record

    def withdraw(self) -> None:
        """The read is over: the card answers 6985 again."""
        with self._lock:
            self._holder = None
            self._record = None

    def respond(self, command: bytes, now: datetime) -> bytes:
        with self._lock:
            holder, record = self._holder, self._record
            if holder is None or record is None:
                return SW_CONDITIONS_NOT_SATISFIED
            if len(record.exchanges) >= MAX_COMMANDS:
                record.overflow = True
                return b"\x6f\x00"
            if not self._in_session:
                self._in_session = True
                self._session += 1
                record.sessions += 1
            try:
                response = holder(command)
            except Exception as error:  # the suite's holder failed: evidence, never a crash
                record.errors.append(f"{type(error).__name__}: {error}")
                response = b"\x6f\x00"
            record.exchanges.append(Exchange(command, response, self._session))
            record.first = record.first or time.monotonic()
            record.last = time.monotonic()
            self.activity.notify_all()
            return response

    def reset(self) -> None:
        """Power off, reset, deselection or a new activation: the card session ends."""
        with self._lock:
            self._in_session = False
            self.activity.notify_all()


class CardSlot(Protocol):
    """Where the suite's card sits for the run."""

    card: PlayedCard

    def describe(self) -> dict[str, Any]:
        """The `card` parameter of reader.read: where the reader finds the card."""
        ...

    def where(self) -> str:
        """The same, in words for the operator and the reports."""
        ...

    def close(self) -> None: ...


class PcscCardSlot:
    """The card connected to vpcd as the card of one vpcd reader (VDC-TRN-042)."""

    binding = "pcsc"

    def __init__(self, reader: str) -> None:
        from vitale_ref.transport import VirtualCard, VpcdCardClient, tcp_connector, wait_for_card
        from vitale_ref.transport._netns import default_netns_path, netns_connector

        match = _VPCD_READER.match(reader)
        if match is None:
            raise ValueError(f"the suite can play the card only in a vpcd reader, not {reader!r}")
        port = _VPCD_FIRST_PORT + int(match.group(1))
        namespace = default_netns_path()
        connector = (
            netns_connector(namespace, "127.0.0.1", port)
            if namespace.exists()
            else tcp_connector("127.0.0.1", port)
        )
        self.reader = reader
        self.card = PlayedCard()
        self.client = VpcdCardClient(
            VirtualCard(self.card), connector, status=lambda _message: None
        ).start()
        try:
            appeared = wait_for_card(reader, 5.0)
        except TransportError as error:
            self.client.stop()
            raise ValueError(f"PC/SC: {error}") from None
        if not appeared:
            self.client.stop()
            raise ValueError(f"the suite's card did not appear in the PC/SC reader {reader!r}")

    def describe(self) -> dict[str, Any]:
        return {"transport": "pcsc", "reader": self.reader}

    def where(self) -> str:
        return f"the card in the PC/SC reader {self.reader!r}"

    def close(self) -> None:
        self.client.stop()


class NfcCardSlot:
    """The card emulated as ISO-DEP on an nfcpy device (VDC-TRN-043)."""

    binding = "nfc"

    def __init__(self, path: str) -> None:
        from vitale_ref.transport._nfc import free_udp_port
        from vitale_ref.transport._nfc_card import NfcCardEmulator

        if path in ("udp", "udp:127.0.0.1", "udp:localhost"):
            path = f"udp:127.0.0.1:{free_udp_port()}"
        self.path = path
        self.card = PlayedCard()
        try:
            self.emulator = NfcCardEmulator(self.card, path).start()
        except (TransportError, OSError) as error:
            raise ValueError(f"cannot emulate the card on nfc {path}: {error}") from None
        if not self.emulator.listening.is_set():
            self.emulator.stop()
            raise ValueError(f"the suite's card did not listen on nfc {path}")

    def describe(self) -> dict[str, Any]:
        return {"transport": "nfc", "path": self.path}

    def where(self) -> str:
        return f"the card emulated on the NFC device {self.path}"

    def close(self) -> None:
        self.emulator.stop()


def open_card(spec: str) -> PcscCardSlot | NfcCardSlot:
    """`pcsc[:READER]` or `nfc:PATH` (the `--card` option); ValueError when unusable."""
    transport, _, target = spec.partition(":")
    if transport == "pcsc":
        return PcscCardSlot(target or DEFAULT_READER)
    if transport == "nfc" and target:
        return NfcCardSlot(target)
    raise ValueError(f"--card must be pcsc[:READER] or nfc:PATH, got {spec!r}")


def check_card(spec: str) -> None:
    """Refuse an unusable `--card` before a run starts (ValueError naming the cause): the
    PC/SC service and the vpcd reader must exist, the NFC device must emulate a card."""
    transport, _, target = spec.partition(":")
    if transport == "pcsc":
        from vitale_ref.transport import list_readers

        reader = target or DEFAULT_READER
        if _VPCD_READER.match(reader) is None:
            raise ValueError(f"the suite can play the card only in a vpcd reader, not {reader!r}")
        try:
            readers = list_readers()
        except TransportError as error:
            raise ValueError(f"PC/SC: {error}") from None
        if reader not in readers:
            raise ValueError(f"no PC/SC reader {reader!r}; readers: {', '.join(readers) or 'none'}")
        return
    open_card(spec).close()


def wait_for_presentation(
    card: PlayedCard, record: Presentation, *, until: float, done: threading.Event
) -> bool:
    """Wait until the card sees a command of this read, `done` is set, or `until`
    (monotonic) passes; True when a command arrived."""
    with card.activity:
        while not record.exchanges and not done.is_set():
            left = until - time.monotonic()
            if left <= 0:
                break
            card.activity.wait(min(left, 0.05))
        return bool(record.exchanges)


def wait_until_quiet(card: PlayedCard, record: Presentation, *, quiet: float, until: float) -> bool:
    """Wait until the card has had commands of this read and then none for `quiet`
    seconds, or `until` (monotonic) passes; True when it went quiet."""
    with card.activity:
        while True:
            now = time.monotonic()
            if record.last is not None and now - record.last >= quiet:
                return True
            if now >= until:
                return False
            card.activity.wait(min(until - now, 0.05))
