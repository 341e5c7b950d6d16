"""Reader-side PC/SC binding through pyscard (VDC-TRN-020 to VDC-TRN-022).

`PcscReaderTransport(reader)` opens a shared T=1 (or T=0) connection to the card in one
PC/SC reader and offers `transmit(command) -> response` and `close()`, the shape every
reader transport of the project has. Each PC/SC failure becomes one typed error with a
one-line message: the service is not running, no such reader, no card, the card left.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from vitale_ref.transport._errors import (
    ApduTooLongError,
    CardAbsentError,
    CardTimeoutError,
    ReaderNotFoundError,
    ServiceUnavailableError,
    TransportError,
)
from vitale_ref.transport._within import DEFAULT_TIMEOUT, within

T = TypeVar("T")

MAX_COMMAND = 0xFFFF
"""The longest command APDU carried (the vpcd frame limit; VDC-TRN-022)."""

_NO_SERVICE = {0x8010001D, 0x8010001E}
_NO_READER = {0x8010002E, 0x80100009, 0x80100017}
_NO_CARD = {0x8010000C, 0x80100069, 0x80100068, 0x80100067, 0x80100066}
_COMM = {0x80100013, 0x80100016, 0x80100003}

SERVICE_HINT = "the PC/SC service (pcscd) is not running: start it (tools/pcsc/start.sh)"


def _scard() -> Any:
    try:
        from smartcard import scard
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise TransportError("pyscard is not installed: pip install 'vitale-ref[pcsc]'") from error
    return scard


def _code(hresult: int) -> int:
    return hresult & 0xFFFFFFFF


def _check(scard: Any, hresult: int, doing: str, reader: str = "") -> None:
    code = _code(hresult)
    if code == 0:
        return
    text = f"{doing}: {scard.SCardGetErrorMessage(hresult).rstrip('.')} (0x{code:08X})"
    if code in _NO_SERVICE:
        raise ServiceUnavailableError(f"{SERVICE_HINT}; {text}")
    if code in _NO_READER:
        raise ReaderNotFoundError(f"reader {reader!r} is not available; {text}")
    if code in _NO_CARD:
        raise CardAbsentError(f"no card in reader {reader!r}, or it was removed; {text}")
    raise TransportError(text)


def list_readers() -> list[str]:
    """Names of the readers pcscd knows (an empty list when there are none)."""
    scard = _scard()
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    _check(scard, hresult, "connecting to the PC/SC service")
    try:
        hresult, names = scard.SCardListReaders(context, [])
        if _code(hresult) == 0x8010002E:
            return []
        _check(scard, hresult, "listing readers")
        return [str(name) for name in names]
    finally:
        scard.SCardReleaseContext(context)


def wait_for_card(reader: str, timeout: float, *, present: bool = True) -> bool:
    """Wait until `reader` holds a card (or none, with present=False); False on timeout."""
    scard = _scard()
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    _check(scard, hresult, "connecting to the PC/SC service")
    try:
        deadline = time.monotonic() + timeout
        state = scard.SCARD_STATE_UNAWARE
        while True:
            left = max(0, int((deadline - time.monotonic()) * 1000))
            hresult, states = scard.SCardGetStatusChange(context, left, [(reader, state)])
            if _code(hresult) == 0x8010000A:
                return False
            _check(scard, hresult, "waiting for a card", reader)
            state = states[0][1] & ~scard.SCARD_STATE_CHANGED
            if bool(state & scard.SCARD_STATE_PRESENT) == present:
                return True
            if left == 0:
                return False
    finally:
        scard.SCardReleaseContext(context)


class PcscReaderTransport:
    """One card session through one PC/SC reader.

    `reader` is the exact reader name; None takes the first reader holding a card.
    `wait` is how long to wait for a card to appear (vpcd notices a card within ~0.4 s).
    `timeout` bounds each exchange with the card, the connection included (VDC-TRN-023).
    """

    def __init__(
        self, reader: str | None = None, *, wait: float = 3.0, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        self._scard = scard = _scard()
        self.timeout = timeout
        self._hung = False
        hresult, self._context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        _check(scard, hresult, "connecting to the PC/SC service")
        self._card: int | None = None
        try:
            self.reader = self._choose(reader, wait)
            self._connect(wait)
        except BaseException:
            self.close()
            raise

    def _choose(self, reader: str | None, wait: float) -> str:
        scard = self._scard
        hresult, found = scard.SCardListReaders(self._context, [])
        if _code(hresult) == 0x8010002E:
            raise ReaderNotFoundError("no PC/SC reader is connected")
        _check(scard, hresult, "listing readers")
        names: list[str] = [str(name) for name in found]
        if reader is not None:
            if reader not in names:
                raise ReaderNotFoundError(
                    f"no reader named {reader!r}; readers: {', '.join(names)}"
                )
            return str(reader)
        deadline = time.monotonic() + wait
        while True:
            for name in names:
                if self._present(name):
                    return name
            if time.monotonic() >= deadline:
                raise CardAbsentError(f"no card in any reader ({', '.join(names)})")
            time.sleep(0.05)

    def _present(self, name: str) -> bool:
        scard = self._scard
        hresult, states = scard.SCardGetStatusChange(
            self._context, 0, [(name, scard.SCARD_STATE_UNAWARE)]
        )
        return _code(hresult) == 0 and bool(states[0][1] & scard.SCARD_STATE_PRESENT)

    def _connect(self, wait: float) -> None:
        scard = self._scard
        deadline = time.monotonic() + wait
        protocols = scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1

        def connect() -> Any:
            return scard.SCardConnect(
                self._context, self.reader, scard.SCARD_SHARE_SHARED, protocols
            )

        while True:
            hresult, card, protocol = self._bounded(connect, "connecting to the card")
            if _code(hresult) not in _NO_CARD or time.monotonic() >= deadline:
                break
            time.sleep(0.05)
        _check(scard, hresult, "connecting to the card", self.reader)
        self._card, self._protocol = card, protocol

    @property
    def atr(self) -> bytes:
        """The ATR of the connected card."""
        scard = self._scard
        hresult, _name, _state, _protocol, atr = scard.SCardStatus(self._require())
        _check(scard, hresult, "reading the card status", self.reader)
        return bytes(atr)

    def _require(self) -> int:
        if self._card is None:
            raise CardAbsentError("the card session is closed")
        return self._card

    def transmit(self, command: bytes) -> bytes:
        """Send one command APDU, return the response APDU (data and status word)."""
        if len(command) > MAX_COMMAND:
            raise ApduTooLongError(
                f"command APDU of {len(command)} bytes exceeds the {MAX_COMMAND} bytes "
                "a PC/SC reader and the vpcd frame can carry"
            )
        scard = self._scard
        handle = self._require()

        def exchange() -> Any:
            return scard.SCardTransmit(handle, self._protocol, list(command))

        hresult, response = self._bounded(exchange, "exchanging an APDU")
        if _code(hresult) != 0:
            # VDC-TRN-021: after a failure the session is over; the next one starts clean.
            self._disconnect(scard.SCARD_LEAVE_CARD)
            _check(scard, hresult, "exchanging an APDU", self.reader)
        if len(response) < 2:
            # vpcd reports a card that dropped the stream as an empty answer, not an error.
            self._disconnect(scard.SCARD_LEAVE_CARD)
            raise CardAbsentError(
                f"the card in reader {self.reader!r} answered {len(response)} bytes, no status "
                "word: it left or failed during the exchange"
            )
        return bytes(response)

    def _bounded(self, work: Callable[[], T], doing: str) -> T:
        """`work()` within the timeout; past it the session is over (VDC-TRN-023)."""
        try:
            return within(self.timeout, work, f"reader {self.reader!r}, {doing}")
        except CardTimeoutError:
            # The lost call still holds the PC/SC context: nothing may touch it again.
            self._hung, self._card, self._context = True, None, None
            raise

    def _disconnect(self, disposition: int) -> None:
        if self._card is not None:
            self._scard.SCardDisconnect(self._card, disposition)
            self._card = None

    def close(self) -> None:
        """End the session (the card is reset, so its session state is gone) and release."""
        self._disconnect(self._scard.SCARD_RESET_CARD)
        if self._context is not None:
            self._scard.SCardReleaseContext(self._context)
            self._context = None

    def __enter__(self) -> PcscReaderTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
