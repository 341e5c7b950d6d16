"""1-byte payloads in the vpcd card, sans I/O (VDC-TRN-002, VDC-TRN-011, VDC-TRN-013).

vpcd frames a 1-byte command APDU exactly as a control code. The card follows the power
state vpcd drives and decides by what vpcd does next: a real control is followed by
another message within moments (GET ATR after a power-on or reset, a presence poll
every 0.4 s otherwise), a 1-byte command by silence. The clock is a fake one here.
"""

from __future__ import annotations

from datetime import UTC, datetime

from vitale_ref.transport import VirtualCard, build_atr, encode_message
from vitale_ref.transport._card import AMBIGUOUS_WAIT, Power
from vitale_ref.transport._test_card import SELECT_VDC, LoopbackTestCard, echo_command

NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
WRONG_LENGTH = encode_message(b"\x67\x00")


class Clock:
    def __init__(self) -> None:
        self.value = 100.0

    def __call__(self) -> float:
        return self.value


def _powered() -> tuple[VirtualCard, LoopbackTestCard, Clock]:
    """A card that vpcd powered on (01, then GET ATR), with the application selected."""
    handler, clock = LoopbackTestCard(), Clock()
    card = VirtualCard(handler, ticks=clock)
    card.new_connection()
    assert card.receive(encode_message(b"\x01"), NOW) == b""
    assert card.receive(encode_message(b"\x04"), NOW) == encode_message(build_atr())
    assert card.power is Power.ON
    assert card.receive(encode_message(SELECT_VDC), NOW) == encode_message(b"\x90\x00")
    return card, handler, clock


def test_get_atr_while_on_is_answered_a_status_word() -> None:
    """VDC-TRN-013: `04` while on answers 6700 (a presence poll takes any answer), not
    the ATR, which a client sending the command 04 took for a response (SW 526F)."""
    card, handler, _ = _powered()
    resets = handler.resets
    assert card.receive(encode_message(b"\x04"), NOW) == WRONG_LENGTH
    assert handler.resets == resets and handler.selected


def test_silence_after_a_byte_makes_it_a_command() -> None:
    """VDC-TRN-013: `00`, `01`, `02` while on, then nothing: answered 6700 after the
    wait, the session untouched (vpcd used to wait for ever for this answer)."""
    for code in (b"\x00", b"\x01", b"\x02"):
        card, handler, clock = _powered()
        resets = handler.resets
        assert card.receive(encode_message(code), NOW) == b""
        clock.value += AMBIGUOUS_WAIT - 0.01
        assert card.poll() == b""
        clock.value += 0.02
        assert card.poll() == WRONG_LENGTH
        assert card.poll() == b""  # answered once
        assert card.power is Power.ON and handler.resets == resets and handler.selected
        answer = card.receive(encode_message(echo_command(b"go on")), NOW)
        assert answer == encode_message(b"go on\x90\x00")


def test_a_message_after_the_byte_makes_it_a_control() -> None:
    """VDC-TRN-011, VDC-TRN-013: power off then a presence poll; reset then GET ATR."""
    card, handler, clock = _powered()
    resets = handler.resets
    assert card.receive(encode_message(b"\x00"), NOW) == b""
    clock.value += 0.4
    assert card.receive(encode_message(b"\x04"), NOW) == encode_message(build_atr())
    assert card.power is Power.OFF and handler.resets == resets + 1
    assert card.poll() == b""
    card, handler, _ = _powered()
    resets = handler.resets
    both = encode_message(b"\x02") + encode_message(b"\x04")  # vpcd's reset, one segment
    assert card.receive(both, NOW) == encode_message(build_atr())
    assert card.power is Power.ON and handler.resets == resets + 1 and not handler.selected


def test_bytes_while_off_are_control_codes() -> None:
    """VDC-TRN-002: no command reaches a card that is off; its bytes are controls."""
    handler, clock = LoopbackTestCard(), Clock()
    card = VirtualCard(handler, ticks=clock)
    card.new_connection()
    assert card.receive(encode_message(b"\x04"), NOW) == encode_message(build_atr())
    assert card.receive(encode_message(b"\x00"), NOW) == b""
    clock.value += 10
    assert card.poll() == b""
    assert card.power is Power.OFF
