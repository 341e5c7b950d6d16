"""The vpcd codec and the virtual card, without sockets (VDC-TRN-001 to 005, 010 to 012)."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vitale_ref.transport import (
    ApduEvent,
    ApduTooLongError,
    Control,
    ControlEvent,
    FramingError,
    VirtualCard,
    VpcdDecoder,
    build_atr,
    encode_message,
    historical_bytes,
)
from vitale_ref.transport._test_card import SELECT_VDC, LoopbackTestCard, echo_command

NOW = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def test_decoder_splits_messages_fed_byte_by_byte() -> None:
    """VDC-TRN-001, VDC-TRN-002: length-prefixed messages, 1-byte controls, APDUs."""
    stream = encode_message(b"\x04") + encode_message(SELECT_VDC) + encode_message(b"\x00")
    decoder = VpcdDecoder()
    events = [event for byte in stream for event in decoder.feed(bytes([byte]))]
    assert events == [
        ControlEvent(code=Control.GET_ATR),
        ApduEvent(apdu=SELECT_VDC),
        ControlEvent(code=Control.POWER_OFF),
    ]
    assert decoder.pending == 0


def test_length_above_limit_is_refused_before_buffering() -> None:
    """VDC-TRN-004: an announced length above the bound ends the stream at once."""
    decoder = VpcdDecoder(max_payload=261)
    with pytest.raises(FramingError, match="vpcd message of 262 bytes exceeds the limit 261"):
        decoder.feed(b"\x01\x06")


@pytest.mark.parametrize(
    ("stream", "message"),
    [
        (b"\x00\x00", "vpcd message of length 0"),
        (b"\x00\x01\x03", "unknown vpcd control code 03"),
    ],
)
def test_malformed_frames_are_refused(stream: bytes, message: str) -> None:
    """VDC-TRN-005: empty messages and unknown control codes are framing errors."""
    with pytest.raises(FramingError, match=message):
        VpcdDecoder().feed(stream)


@given(st.binary(max_size=300))
def test_decoder_never_raises_anything_but_framing_error(data: bytes) -> None:
    """VDC-TRN-005: any input decodes or raises FramingError."""
    with contextlib.suppress(FramingError):
        VpcdDecoder(max_payload=300).feed(data)


def test_encode_refuses_payload_over_65535() -> None:
    """VDC-TRN-022: 70 KB cannot be framed with a 2-byte length."""
    with pytest.raises(ApduTooLongError, match="70000 bytes exceeds 65535"):
        encode_message(bytes(70_000))


def test_atr_carries_historical_bytes_and_check_byte() -> None:
    """VDC-TRN-010: TS 3B, T0 8K, TD1 80, TD2 01, historical bytes, TCK."""
    atr = build_atr(b"VDC")
    assert atr == bytes.fromhex("3B838001564443") + bytes([0x83 ^ 0x80 ^ 0x01 ^ 0x56 ^ 0x44 ^ 0x43])
    assert historical_bytes(atr) == b"VDC"


def test_virtual_card_answers_atr_apdu_and_resets_on_power() -> None:
    """VDC-TRN-002, VDC-TRN-011: only GET ATR and APDUs are answered; power resets."""
    handler = LoopbackTestCard()
    card = VirtualCard(handler, atr=build_atr(b"T"))
    card.new_connection()
    assert card.receive(encode_message(b"\x04"), NOW) == encode_message(build_atr(b"T"))
    assert card.receive(encode_message(b"\x01"), NOW) == b""
    assert card.receive(encode_message(SELECT_VDC), NOW) == encode_message(b"\x90\x00")
    answer = card.receive(encode_message(echo_command(b"abc")), NOW)
    assert answer == encode_message(b"abc\x90\x00")
    resets = handler.resets
    assert card.receive(encode_message(b"\x02"), NOW) == b""
    assert handler.resets == resets + 1
    assert card.receive(encode_message(echo_command(b"x")), NOW) == encode_message(b"\x69\x85")


class _Broken:
    def respond(self, command: bytes, now: datetime) -> bytes:
        raise RuntimeError("defect")

    def reset(self) -> None:
        return None


def test_handler_failure_is_answered_6f00() -> None:
    """VDC-TRN-012: every command gets one response, even when the handler fails."""
    card = VirtualCard(_Broken())
    assert card.receive(encode_message(SELECT_VDC), NOW) == encode_message(b"\x6f\x00")
