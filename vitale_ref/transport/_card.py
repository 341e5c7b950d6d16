"""The emulated card behind any card-side binding, free of I/O (VDC-TRN-010 to 013).

`VirtualCard` wraps a card handler (the holder core, or any object with the same
`respond(command, now)` and `reset()`) and applies the reader's events to it: power and
reset events restart the handler's session, GET ATR returns the ATR, a command APDU
returns the handler's answer. It never raises on what the reader sends.

vpcd's framing cannot tell a 1-byte command APDU from a control code (VDC-TRN-013): a
client of pcscd that sends the command `00` makes vpcd forward the byte `00`, which
reads as "power off", and vpcd then waits for a response that a card taking it for a
control code never sends, holding the reader for every client. The card therefore
follows the power state vpcd drives, and settles a byte that could be either by what
vpcd does next:

- off: `00`, `01`, `02` are control codes; `04` is a presence poll, answered the ATR;
- ATR expected (after `01` or `02`): control codes; `04` is answered the ATR, and the
  card is on;
- on: `04` is answered `6700` (a presence poll takes any answer, a command gets its
  status word); `00`, `01`, `02` wait: a control code if another message follows within
  AMBIGUOUS_WAIT, otherwise a command, answered `6700`.

vpcd follows a real power-on or reset at once with GET ATR, and polls presence (GET ATR)
about every 0.4 s, so after a real control a message always follows quickly; after a
1-byte command vpcd waits for the answer and sends nothing more.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from vitale_ref.transport._atr import build_atr
from vitale_ref.transport._errors import FramingError
from vitale_ref.transport._vpcd_codec import (
    DEFAULT_MAX_PAYLOAD,
    ApduEvent,
    Control,
    ControlEvent,
    VpcdDecoder,
    VpcdEvent,
    encode_message,
)

SW_NO_PRECISE_DIAGNOSIS = b"\x6f\x00"
SW_WRONG_LENGTH = b"\x67\x00"
"""A command of fewer than four bytes (VDC-NFC-010)."""
AMBIGUOUS_WAIT = 1.5
"""Seconds a byte that may be a control code waits for vpcd's next message (VDC-TRN-013):
more than three of pcscd's presence polls."""

log = logging.getLogger(__name__)


class CardHandler(Protocol):
    """What a binding needs from the card it carries (the holder core's shape)."""

    def respond(self, command: bytes, now: datetime) -> bytes: ...

    def reset(self) -> None: ...


class Power(enum.Enum):
    OFF = "off"
    ATR_EXPECTED = "atr-expected"
    ON = "on"


class VirtualCard:
    """Card-side state of one vpcd connection: power, ATR and the handler."""

    def __init__(
        self,
        handler: CardHandler,
        *,
        atr: bytes | None = None,
        max_payload: int = DEFAULT_MAX_PAYLOAD,
        ticks: Callable[[], float] = time.monotonic,
    ) -> None:
        self.handler = handler
        self.atr = build_atr() if atr is None else atr
        self.max_payload = max_payload
        self.ticks = ticks
        self.power = Power.OFF
        self._decoder = VpcdDecoder(max_payload)
        self._pending: tuple[Control, float] | None = None

    def new_connection(self) -> None:
        """A new stream to the reader: forget partial input, the session restarts."""
        self._decoder = VpcdDecoder(self.max_payload)
        self._pending = None
        self.power = Power.OFF
        self.handler.reset()

    def receive(self, data: bytes, now: datetime) -> bytes:
        """Bytes from the reader in, framed answers out.

        Raises FramingError when the stream is corrupt or over the size bound; the
        binding then closes the connection (VDC-TRN-005).
        """
        out = bytearray()
        for event in self._decoder.feed(data):
            if self._pending is not None:  # vpcd sent more: the byte was a control code
                code, _since = self._pending
                self._pending = None
                self._control(code)
            answer = self.handle(event, now)
            if answer is not None:
                out += encode_message(answer)
        return bytes(out)

    def poll(self) -> bytes:
        """The framed answer owed now, if any: a pending byte that nothing followed for
        AMBIGUOUS_WAIT seconds was a 1-byte command (VDC-TRN-013). Call it while idle."""
        if self._pending is None or self.ticks() - self._pending[1] < AMBIGUOUS_WAIT:
            return b""
        code, _since = self._pending
        self._pending = None
        log.info("1-byte command %02X answered 6700", code)
        return encode_message(SW_WRONG_LENGTH)

    def handle(self, event: VpcdEvent, now: datetime) -> bytes | None:
        """Apply one event; return the payload to send back, if any."""
        if isinstance(event, ControlEvent):
            return self._byte(event.code)
        assert isinstance(event, ApduEvent)
        return self._apdu(event.apdu, now)

    def _byte(self, code: Control) -> bytes | None:
        """A 1-byte message: a control code, or, while on, perhaps a command."""
        if self.power is Power.ON:
            if code is Control.GET_ATR:
                return SW_WRONG_LENGTH  # a presence poll takes it; so does a command
            self._pending = (code, self.ticks())
            return None
        return self._control(code)

    def _control(self, code: Control) -> bytes | None:
        if code is Control.GET_ATR:
            if self.power is Power.ATR_EXPECTED:
                self.power = Power.ON
            return self.atr
        # VDC-TRN-011: power off, a cold or a warm reset ends any session of the handler.
        self.power = Power.OFF if code is Control.POWER_OFF else Power.ATR_EXPECTED
        self.handler.reset()
        return None

    def _apdu(self, command: bytes, now: datetime) -> bytes:
        # VDC-TRN-012: a command always gets exactly one response, whatever happens inside.
        try:
            response = self.handler.respond(command, now)
        except Exception:
            log.exception("card handler raised on %s", command[:5].hex())
            return SW_NO_PRECISE_DIAGNOSIS
        if len(response) < 2 or len(response) > self.max_payload:
            log.error("card handler answered %d bytes; sending 6F00", len(response))
            return SW_NO_PRECISE_DIAGNOSIS
        return response


__all__ = ["CardHandler", "FramingError", "Power", "VirtualCard"]
