"""The vpcd wire format as a pure codec (VDC-TRN-001 to VDC-TRN-005).

vpcd (the virtual reader driver of pcscd) and the card exchange messages over one TCP
stream. Every message is a 2-byte big-endian length followed by that many bytes. A
1-byte message is a control code from the reader; a longer one is a command APDU, which
the card answers with exactly one response APDU. Only the GET ATR control is answered.

This module owns no socket and no clock: `VpcdDecoder.feed` turns received bytes into
events and `encode_message` frames an answer.
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass

from vitale_ref.transport._errors import ApduTooLongError, FramingError

HEADER_LENGTH = 2
MAX_FRAME_PAYLOAD = 0xFFFF
"""The largest payload a 2-byte length can announce."""

DEFAULT_MAX_PAYLOAD = 0x10000 - 1
"""The default bound; a card may choose a lower one (VDC-TRN-004)."""


class Control(enum.IntEnum):
    """Control codes of 1-byte messages (vpcd's VPCD_CTRL_* values)."""

    POWER_OFF = 0x00
    POWER_ON = 0x01
    RESET = 0x02
    GET_ATR = 0x04


@dataclass(frozen=True, kw_only=True)
class ControlEvent:
    """The reader sent a control code."""

    code: Control


@dataclass(frozen=True, kw_only=True)
class ApduEvent:
    """The reader sent a command APDU; the card owes one response."""

    apdu: bytes

    def __post_init__(self) -> None:
        if len(self.apdu) < 2:
            raise FramingError(f"command APDU: {len(self.apdu)} bytes, at least 2 needed")


VpcdEvent = ControlEvent | ApduEvent


def encode_message(payload: bytes) -> bytes:
    """Frame one message: the 2-byte big-endian length, then the payload.

    >>> encode_message(bytes.fromhex("9000")).hex()
    '00029000'
    >>> encode_message(bytes(70_000))
    Traceback (most recent call last):
    ...
    vitale_ref.transport._errors.ApduTooLongError: vpcd message of 70000 bytes exceeds 65535
    """
    if len(payload) > MAX_FRAME_PAYLOAD:
        raise ApduTooLongError(f"vpcd message of {len(payload)} bytes exceeds {MAX_FRAME_PAYLOAD}")
    return struct.pack(">H", len(payload)) + payload


class VpcdDecoder:
    """Incremental decoder: bytes in, events out; bounded by `max_payload`.

    A length prefix above the bound, an empty message or an unknown control code raises
    FramingError before any payload byte is buffered, so a peer cannot make the card
    allocate more than `max_payload` bytes (VDC-TRN-004, VDC-TRN-005).
    """

    def __init__(self, max_payload: int = DEFAULT_MAX_PAYLOAD) -> None:
        if not 2 <= max_payload <= MAX_FRAME_PAYLOAD:
            raise ValueError(f"max_payload must be within 2..{MAX_FRAME_PAYLOAD}")
        self._max = max_payload
        self._buffer = bytearray()

    @property
    def pending(self) -> int:
        """Bytes received but not yet part of a complete message."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[VpcdEvent]:
        """Add received bytes; return every complete message as an event, in order."""
        self._buffer += data
        events: list[VpcdEvent] = []
        while len(self._buffer) >= HEADER_LENGTH:
            (length,) = struct.unpack_from(">H", self._buffer)
            if length == 0:
                raise FramingError("vpcd message of length 0")
            if length > self._max:
                raise FramingError(f"vpcd message of {length} bytes exceeds the limit {self._max}")
            if len(self._buffer) < HEADER_LENGTH + length:
                break
            payload = bytes(self._buffer[HEADER_LENGTH : HEADER_LENGTH + length])
            del self._buffer[: HEADER_LENGTH + length]
            events.append(_event(payload))
        return events


def _event(payload: bytes) -> VpcdEvent:
    if len(payload) == 1:
        try:
            return ControlEvent(code=Control(payload[0]))
        except ValueError:
            raise FramingError(f"unknown vpcd control code {payload[0]:02X}") from None
    return ApduEvent(apdu=payload)
