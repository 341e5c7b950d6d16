"""ISO-DEP over nfcpy's udp link, on loopback: test card and reference holder (VDC-TRN-03x)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest

from vitale_ref.holder import PRESENCE_WINDOW_SECONDS
from vitale_ref.holder.samples import sample_world
from vitale_ref.link import InMemoryLink
from vitale_ref.randomness import seeded_random
from vitale_ref.reader import run_read
from vitale_ref.transport import CardAbsentError, TransportError
from vitale_ref.transport._nfc import NfcReaderTransport, free_udp_port, udp_endpoint
from vitale_ref.transport._nfc_card import NfcCardEmulator
from vitale_ref.transport._test_card import SELECT_VDC, LoopbackTestCard, echo_command


@pytest.fixture
def udp_path() -> str:
    return f"udp:127.0.0.1:{free_udp_port()}"


@pytest.fixture
def test_card(udp_path: str) -> Iterator[tuple[LoopbackTestCard, NfcCardEmulator]]:
    card = LoopbackTestCard()
    emulator = NfcCardEmulator(card, udp_path).start()
    try:
        yield card, emulator
    finally:
        emulator.stop()


def test_select_echo_and_chained_response_over_udp(
    udp_path: str, test_card: tuple[LoopbackTestCard, NfcCardEmulator]
) -> None:
    """VDC-TRN-030 to 032: activation, short APDUs, chaining both ways through nfcpy."""
    with NfcReaderTransport(udp_path) as reader:
        assert reader.transmit(SELECT_VDC) == b"\x90\x00"
        assert reader.transmit(echo_command(b"abc")) == b"abc\x90\x00"
        data = bytes(range(256)) * 6
        assert reader.transmit(echo_command(data)) == data + b"\x90\x00"
    assert test_card[1].activations == 1


def test_field_off_ends_the_session_and_a_new_one_starts_clean(
    udp_path: str, test_card: tuple[LoopbackTestCard, NfcCardEmulator]
) -> None:
    """VDC-TRN-034: a new activation resets the card (SELECT needed again)."""
    with NfcReaderTransport(udp_path) as reader:
        assert reader.transmit(SELECT_VDC) == b"\x90\x00"
    with NfcReaderTransport(udp_path) as reader:
        assert reader.transmit(echo_command(b"x")) == b"\x69\x85"
    assert test_card[0].resets >= 2


class ColdCard(LoopbackTestCard):
    """A card whose first reset is slow, as a handler that loads its code on first use."""

    def reset(self) -> None:
        if self.resets == 0:
            time.sleep(1.0)
        super().reset()


def test_first_activation_of_a_cold_card_is_answered(udp_path: str) -> None:
    """VDC-TRN-030: the emulator resets its card before it listens, so the first reader
    to come is answered within the frame waiting time (the first RATS used to go
    unanswered while the card loaded)."""
    emulator = NfcCardEmulator(ColdCard(), udp_path).start()
    try:
        with NfcReaderTransport(udp_path) as reader:
            assert reader.transmit(SELECT_VDC) == b"\x90\x00"
    finally:
        emulator.stop()


def test_no_card_is_a_clear_error(udp_path: str) -> None:
    """VDC-TRN-036: no card in the field gives CardAbsentError."""
    with pytest.raises(CardAbsentError, match=r"no ISO-DEP card answered within 0\.5 s"):
        NfcReaderTransport(udp_path, wait=0.5)


def test_only_loopback_is_accepted() -> None:
    """VDC-TRN-037: the udp link stays on loopback."""
    assert udp_endpoint("udp") == ("127.0.0.1", 54321)
    with pytest.raises(TransportError, match=r"only loopback is allowed, got '192\.0\.2\.7'"):
        udp_endpoint("udp:192.0.2.7:1")


def test_full_authenticated_read_of_the_reference_holder(udp_path: str) -> None:
    """VDC-TRN-030: the reference holder presents over ISO-DEP to the reference reader."""
    world = sample_world()
    holder = world.holder()
    holder.arm(world.now + timedelta(seconds=PRESENCE_WINDOW_SECONDS))
    emulator = NfcCardEmulator(holder, udp_path, clock=lambda: world.now).start()
    try:
        with NfcReaderTransport(udp_path) as reader:
            result = run_read(
                reader.transmit,
                identity=world.reader("doctor"),
                requested=[2, 3],
                verifier=world.verifier,
                random=seeded_random("tests/readers/nfc"),
                now=world.now,
            )
    finally:
        emulator.stop()
    memory = world.holder()
    memory.arm(world.now + timedelta(seconds=PRESENCE_WINDOW_SECONDS))
    expected = run_read(
        InMemoryLink(memory, world.now).transmit,
        identity=world.reader("doctor"),
        requested=[2, 3],
        verifier=world.verifier,
        random=seeded_random("tests/readers/nfc"),
        now=world.now,
    )
    assert sorted(result.elements) == [2, 3]
    assert dict(result.elements) == dict(expected.elements)
    assert result.presentation == expected.presentation
