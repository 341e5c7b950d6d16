"""Waiting time extension: a slow holder stays within the frame waiting time (VDC-TRN-038).

Real terminals enforce the frame waiting time the ATS announces. The emulated card asks
for S(WTX) extensions while its handler works, so that a holder slower than FWT still
answers; without them the same read fails, which shows the test can fail.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tests._support import require_module
from vitale_ref.transport import CardAbsentError
from vitale_ref.transport._isodep import S_WTX, Command, IsoDepCard, build_ats
from vitale_ref.transport._nfc import NfcReaderTransport, free_udp_port
from vitale_ref.transport._nfc_card import NfcCardEmulator
from vitale_ref.transport._test_card import SELECT_VDC, LoopbackTestCard

NOW = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
FWI = 8
"""About 77 ms of frame waiting time: a slow holder is slow at once, and the test short."""
SLOW = 1.2


class SlowCard(LoopbackTestCard):
    """The loopback test card, taking SLOW seconds for every command."""

    def respond(self, command: bytes, now: datetime) -> bytes:
        time.sleep(SLOW)
        return super().respond(command, now)


def test_waiting_time_extension_frames() -> None:
    """The sans-I/O card hands a command out, asks for at least 200 ms, takes the grant
    silently, and answers with the command's block number."""
    card = IsoDepCard(LoopbackTestCard(), ats=build_ats(fwi=FWI))
    card.activate(bytes.fromhex("E080"))
    assert round(card.fwt, 4) == 0.0773
    command = card.feed(b"\x03" + SELECT_VDC)
    assert command == Command(SELECT_VDC)
    request, window = card.wtx_request(0.2)
    assert request == bytes([S_WTX, 3]) and round(window, 3) == 0.232
    assert card.feed(request) is None  # the reader's S(WTX) response: the grant
    assert card.wtx_granted == 1
    assert card.answer(card.respond(SELECT_VDC, NOW)) == b"\x03\x90\x00"
    assert IsoDepCard(LoopbackTestCard()).wtx_request(0.2)[0] == bytes([S_WTX, 1])
    assert IsoDepCard(LoopbackTestCard()).wtx_request(3600)[0] == bytes([S_WTX, 59])


@pytest.fixture
def slow_card() -> Iterator[tuple[str, NfcCardEmulator]]:
    require_module("nfc", "nfcpy")
    path = f"udp:127.0.0.1:{free_udp_port()}"
    emulator = NfcCardEmulator(SlowCard(), path, fwi=FWI).start()
    try:
        yield path, emulator
    finally:
        emulator.stop()


def test_a_slow_holder_answers_through_extensions(
    slow_card: tuple[str, NfcCardEmulator],
) -> None:
    """A holder 15 times slower than FWT answers a reader enforcing FWT (nfcpy's)."""
    path, emulator = slow_card
    with NfcReaderTransport(path) as reader:
        assert reader.transmit(SELECT_VDC) == b"\x90\x00"
    assert emulator.extensions >= 4  # 1.2 s in windows of about 232 ms


def test_without_extensions_the_slow_holder_fails(
    slow_card: tuple[str, NfcCardEmulator], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same card answering late without S(WTX): the reader gives up (the control)."""
    path, emulator = slow_card

    def late(self: NfcCardEmulator, card: IsoDepCard, frame: bytes) -> bytes | None:
        return card.receive(frame, self.clock())

    monkeypatch.setattr(NfcCardEmulator, "_reply", late)
    with pytest.raises(CardAbsentError), NfcReaderTransport(path) as reader:
        reader.transmit(SELECT_VDC)
    assert emulator.extensions == 0
