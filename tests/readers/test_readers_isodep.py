"""ISO-DEP card side without I/O: RATS, blocks, chaining, retransmission (VDC-TRN-030-035)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from vitale_ref.transport import FramingError
from vitale_ref.transport._isodep import IsoDepCard, build_ats
from vitale_ref.transport._test_card import SELECT_VDC, LoopbackTestCard, echo_command

NOW = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def _card() -> tuple[LoopbackTestCard, IsoDepCard]:
    handler = LoopbackTestCard()
    card = IsoDepCard(handler)
    assert card.activate(bytes.fromhex("E080")) == build_ats()
    return handler, card


def test_rats_answered_with_ats_and_reset() -> None:
    """VDC-TRN-030: ATS with FSCI 8 and FWI 11; activation resets the handler."""
    handler, card = _card()
    assert build_ats() == bytes.fromhex("057800B000")
    assert handler.resets == 1
    assert card.fsd == 256
    with pytest.raises(FramingError, match="expected RATS"):
        card.activate(b"\x26")


def test_i_blocks_alternate_block_numbers() -> None:
    """VDC-TRN-031: the response I-block carries the command's block number."""
    _, card = _card()
    assert card.receive(b"\x02" + SELECT_VDC, NOW) == b"\x02\x90\x00"
    assert card.receive(b"\x03" + echo_command(b"A"), NOW) == b"\x03A\x90\x00"


def test_command_chaining_is_acknowledged_and_joined() -> None:
    """VDC-TRN-032: chained parts get R(ACK); the joined APDU goes to the handler."""
    _, card = _card()
    card.receive(b"\x02" + SELECT_VDC, NOW)
    command = echo_command(b"xyz")
    assert card.receive(b"\x13" + command[:4], NOW) == b"\xa3"
    assert card.receive(b"\x02" + command[4:], NOW) == b"\x02xyz\x90\x00"


def test_long_response_is_chained_in_frames_of_fsd() -> None:
    """VDC-TRN-032: a response longer than FSD-3 is sent in chained I-blocks."""
    _, card = _card()
    card.receive(b"\x02" + SELECT_VDC, NOW)
    data = bytes(300)
    first = card.receive(b"\x03" + echo_command(data[:250]), NOW)
    assert first == b"\x03" + data[:250] + b"\x90\x00"
    small = IsoDepCard(LoopbackTestCard())
    small.activate(bytes.fromhex("E000"))  # FSD 16: 13 bytes per frame
    small.receive(b"\x02" + SELECT_VDC, NOW)
    part = small.receive(b"\x03" + echo_command(b"0123456789ABCDEF"), NOW)
    assert part == b"\x13" + b"0123456789ABC"
    assert small.receive(b"\xa2", NOW) == b"\x02DEF\x90\x00"


def test_r_nak_with_our_number_repeats_the_last_block() -> None:
    """VDC-TRN-033: R(NAK) or R(ACK) with the card's number asks for the last block."""
    _, card = _card()
    last = card.receive(b"\x02" + SELECT_VDC, NOW)
    assert card.receive(b"\xb2", NOW) == last
    assert card.receive(b"\xa2", NOW) == last
    assert card.receive(b"\xb3", NOW) == b"\xa2"


def test_deselect_ends_the_activation() -> None:
    """VDC-TRN-034: S(DESELECT) is answered, then the card is silent until RATS."""
    handler, card = _card()
    card.receive(b"\x02" + SELECT_VDC, NOW)
    assert card.receive(b"\xc2", NOW) == b"\xc2"
    assert handler.resets == 2
    assert card.receive(b"\x03" + echo_command(b"x"), NOW) is None


def test_oversized_chain_is_answered_6700() -> None:
    """VDC-TRN-035: a chained command beyond the limit is dropped and answered 6700."""
    _, card = _card()
    block = bytes(250)
    for index in range(300):
        assert card.receive(bytes([0x12 | (index & 1)]) + block, NOW) is not None
    assert card.receive(b"\x02\x00", NOW) == b"\x02\x67\x00"
