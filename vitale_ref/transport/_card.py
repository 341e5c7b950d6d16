"""The emulated card behind any card-side binding, free of I/O (VDC-TRN-010 to 012).

`VirtualCard` wraps a card handler (the holder core, or any object with the same
`respond(command, now)` and `reset()`) and applies the reader's events to it: power and
reset events restart the handler's session, GET ATR returns the ATR, a command APDU
returns the handler's answer. It never raises on what the reader sends.
"""

from __future__ import annotations

import logging
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

log = logging.getLogger(__name__)


class CardHandler(Protocol):
    """What a binding needs from the card it carries (the holder core's shape)."""

    def respond(self, command: bytes, now: datetime) -> bytes: ...

    def reset(self) -> None: ...


class VirtualCard:
    """Card-side state of one vpcd connection: power, ATR and the handler."""

    def __init__(
        self,
        handler: CardHandler,
        *,
        atr: bytes | None = None,
        max_payload: int = DEFAULT_MAX_PAYLOAD,
    ) -> None:
        self.handler = handler
        self.atr = build_atr() if atr is None else atr
        self.max_payload = max_payload
        self._decoder = VpcdDecoder(max_payload)

    def new_connection(self) -> None:
        """A new stream to the reader: forget partial input, the session restarts."""
        self._decoder = VpcdDecoder(self.max_payload)
        self.handler.reset()

    def receive(self, data: bytes, now: datetime) -> bytes:
        """Bytes from the reader in, framed answers out.

        Raises FramingError when the stream is corrupt or over the size bound; the
        binding then closes the connection (VDC-TRN-005).
        """
        out = bytearray()
        for event in self._decoder.feed(data):
            answer = self.handle(event, now)
            if answer is not None:
                out += encode_message(answer)
        return bytes(out)

    def handle(self, event: VpcdEvent, now: datetime) -> bytes | None:
        """Apply one event; return the payload to send back, if any."""
        if isinstance(event, ControlEvent):
            return self._control(event.code)
        assert isinstance(event, ApduEvent)
        return self._apdu(event.apdu, now)

    def _control(self, code: Control) -> bytes | None:
        if code is Control.GET_ATR:
            return self.atr
        if code in (Control.POWER_OFF, Control.POWER_ON, Control.RESET):
            # VDC-TRN-011: power off, a cold or a warm reset ends any session of the handler.
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


__all__ = ["CardHandler", "FramingError", "VirtualCard"]
