"""Hostile clients and silent cards through pcscd and vpcd (VDC-TRN-007, 013, 023).

Any local user can talk to pcscd (its socket is world-writable), so what one client
sends must not wedge the reader for the others:
- a 1-byte command APDU (`00`, `01`, `02`, `04`) gets the status word 6700, and the
  next client works (the card took it for a control code and vpcd waited for ever);
- an APDU longer than vpcd's frame makes vpcd drop the card; the card stays away long
  enough for pcscd to see it leave, and the next client finds it again (it found the
  reader empty in 3 runs of 4).
A card that stops answering ends the exchange after the transport's timeout with a typed
error, in `vitale read` and in the suite's `pcsc:` adapter, instead of a hang.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import pytest
from click.testing import CliRunner

from conformance.adapters.apdu import ApduIut
from conformance.outcomes import IutFailure
from tools.pcsc.cards import READER, EmulatedCard, Pcscd, start_card
from vitale_ref.cli import main
from vitale_ref.transport import CardAbsentError, CardTimeoutError, PcscReaderTransport
from vitale_ref.transport._card import AMBIGUOUS_WAIT
from vitale_ref.transport._nfc import NfcReaderTransport, free_udp_port
from vitale_ref.transport._nfc_card import NfcCardEmulator
from vitale_ref.transport._test_card import SELECT_VDC, LoopbackTestCard, echo_command


def _raw_transmit(transport: PcscReaderTransport, command: bytes) -> tuple[int, bytes]:
    """SCardTransmit as any client may call it, without the transport's own checks."""
    from smartcard import scard

    hresult, response = scard.SCardTransmit(transport._card, transport._protocol, list(command))
    return hresult & 0xFFFFFFFF, bytes(response)


@pytest.mark.parametrize("command", ["00", "01", "02", "04"])
def test_one_byte_command_gets_a_status_word(emulated_card: EmulatedCard, command: str) -> None:
    """VDC-TRN-013: 6700 (within the wait), the session goes on, another client works."""
    with PcscReaderTransport(READER, timeout=AMBIGUOUS_WAIT + 5) as transport:
        assert transport.transmit(SELECT_VDC) == b"\x90\x00"
        started = time.monotonic()
        assert transport.transmit(bytes.fromhex(command)) == b"\x67\x00"
        assert time.monotonic() - started < AMBIGUOUS_WAIT + 1.5
        assert transport.transmit(echo_command(b"same session")) == b"same session\x90\x00"
    with PcscReaderTransport(READER, timeout=5) as other:
        assert other.transmit(SELECT_VDC) == b"\x90\x00"


def test_oversized_apdu_then_the_next_client_finds_the_card(
    emulated_card: EmulatedCard,
) -> None:
    """VDC-TRN-007: vpcd drops the card after an APDU it cannot frame; each time, the
    next session finds the card again (three sizes vpcd refuses and pcscd carries)."""
    for size in (0x10000, 0x10004, 0x1000A):
        with PcscReaderTransport(READER) as transport:
            assert transport.transmit(SELECT_VDC) == b"\x90\x00"
            code, response = _raw_transmit(transport, echo_command(bytes(size - 7)))
            assert code != 0 and response == b""
        with PcscReaderTransport(READER, wait=6.0) as transport:
            assert transport.transmit(SELECT_VDC) == b"\x90\x00", size
    assert emulated_card.client.connections >= 4


class SilentCard(LoopbackTestCard):
    """Answers SELECT; then holds every other command until released."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def respond(self, command: bytes, now: datetime) -> bytes:
        if command != SELECT_VDC:
            self.release.wait(30)
        return super().respond(command, now)


@pytest.fixture
def silent_card(pcscd: Pcscd) -> Iterator[SilentCard]:
    handler = SilentCard()
    emulated = start_card(pcscd.layout, handler=handler)
    try:
        yield handler
    finally:
        handler.release.set()
        emulated.stop()


def test_silent_card_ends_the_exchange_after_the_timeout(silent_card: SilentCard) -> None:
    """VDC-TRN-023: a typed error after the timeout, the session over, no hang."""
    transport = PcscReaderTransport(READER, timeout=1.0)
    assert transport.transmit(SELECT_VDC) == b"\x90\x00"
    started = time.monotonic()
    with pytest.raises(CardTimeoutError, match=r"no answer within 1 s \(the card hangs\)$"):
        transport.transmit(echo_command(b"anyone?"))
    assert time.monotonic() - started < 3
    with pytest.raises(CardAbsentError, match=r"^the card session is closed$"):
        transport.transmit(SELECT_VDC)  # the session is over
    transport.close()  # returns at once: the lost exchange's context is left alone


def test_silent_card_fails_the_case_through_the_suite(silent_card: SilentCard) -> None:
    """VDC-TRN-023: the `pcsc:` adapter's APDU path fails the case instead of hanging."""
    iut = ApduIut(target="pcsc:test", transport=PcscReaderTransport(READER, timeout=1.0))
    assert iut.call("holder.transmit", {"apdu": SELECT_VDC.hex()})["response"] == "9000"
    with pytest.raises(IutFailure, match=r"reader error: .*no answer within 1 s"):
        iut.call("holder.transmit", {"apdu": echo_command(b"x").hex()})


def test_silent_card_ends_vitale_read(silent_card: SilentCard) -> None:
    """VDC-TRN-023: `vitale read --pcsc` ends with one `Error:` line, exit 1."""
    started = time.monotonic()
    result = CliRunner().invoke(main, ["read", "--pcsc", READER, "--timeout", "1"])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: reader 'Virtual PCD 00 00', exchanging an APDU: ")
    assert result.stderr.endswith("no answer within 1 s (the card hangs)\n")
    assert time.monotonic() - started < 5


def test_silent_nfc_card_ends_the_exchange_after_the_timeout() -> None:
    """VDC-TRN-023 over nfcpy: a typed error, and `vitale read --nfc` ends on one line."""
    with _silent_nfc_card() as path, NfcReaderTransport(path, timeout=0.5) as transport:
        assert transport.transmit(SELECT_VDC) == b"\x90\x00"
        with pytest.raises(CardTimeoutError, match=r"no answer within 0.5 s"):
            transport.transmit(echo_command(b"anyone?"))
    with _silent_nfc_card() as path:
        result = CliRunner().invoke(main, ["read", "--nfc", path, "--timeout", "0.5"])
    assert result.exit_code == 1
    assert result.stderr.endswith("no answer within 0.5 s (the card hangs)\n")


@contextmanager
def _silent_nfc_card() -> Iterator[str]:
    path = f"udp:127.0.0.1:{free_udp_port()}"
    handler = SilentCard()
    emulator = NfcCardEmulator(handler, path).start()
    try:
        yield path
    finally:
        handler.release.set()
        emulator.stop()
