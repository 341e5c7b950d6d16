"""APDUs through pcscd, vpcd and pyscard to the emulated card (VDC-TRN-003, 006, 010, 020-022)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tools.pcsc.cards import READER, EmulatedCard, Pcscd
from vitale_ref.transport import (
    ApduTooLongError,
    PcscReaderTransport,
    ReaderNotFoundError,
    build_atr,
    list_readers,
)
from vitale_ref.transport._test_card import SELECT_VDC, echo_command


def test_readers_are_listed(pcscd: Pcscd) -> None:
    """VDC-TRN-003: the private configuration gives vpcd's two readers."""
    assert list_readers() == ["Virtual PCD 00 00", "Virtual PCD 00 01"]


def test_select_and_echo_through_pyscard(emulated_card: EmulatedCard) -> None:
    """VDC-TRN-010, VDC-TRN-020: ATR, SELECT and a short and an extended APDU."""
    with PcscReaderTransport(READER) as transport:
        assert transport.atr == build_atr()
        assert transport.transmit(SELECT_VDC) == b"\x90\x00"
        assert transport.transmit(echo_command(b"\x01\x02")) == b"\x01\x02\x90\x00"
        big = bytes(range(256)) * 16
        assert transport.transmit(echo_command(big)) == big + b"\x90\x00"
    assert emulated_card.card.commands == 3


def test_default_reader_is_the_one_holding_a_card(emulated_card: EmulatedCard) -> None:
    """VDC-TRN-020: without a name, the first reader with a card is used."""
    with PcscReaderTransport() as transport:
        assert transport.reader == READER
        assert transport.transmit(SELECT_VDC) == b"\x90\x00"


def test_a_new_session_starts_from_reset(emulated_card: EmulatedCard) -> None:
    """VDC-TRN-011: closing a session resets the card; the next one must SELECT again."""
    with PcscReaderTransport(READER) as transport:
        assert transport.transmit(SELECT_VDC) == b"\x90\x00"
    with PcscReaderTransport(READER) as transport:
        assert transport.transmit(echo_command(b"x")) == b"\x69\x85"


def test_unknown_reader_names_the_known_ones(pcscd: Pcscd) -> None:
    """VDC-TRN-021: a reader that does not exist is a clear error."""
    with pytest.raises(ReaderNotFoundError, match="no reader named 'Nope'; readers: Virtual PCD"):
        PcscReaderTransport("Nope")


def test_70_kb_apdu_is_refused_and_the_session_goes_on(emulated_card: EmulatedCard) -> None:
    """VDC-TRN-022: a command vpcd cannot carry is refused before sending."""
    with PcscReaderTransport(READER) as transport:
        assert transport.transmit(SELECT_VDC) == b"\x90\x00"
        with pytest.raises(ApduTooLongError, match="command APDU of 70007 bytes exceeds"):
            transport.transmit(echo_command(bytes(70_000)))
        assert transport.transmit(echo_command(b"ok")) == b"ok\x90\x00"


def test_service_not_running_is_reported_in_one_line() -> None:
    """VDC-TRN-021: no pcscd gives ServiceUnavailableError naming the cause."""
    code = (
        "from vitale_ref.transport import PcscReaderTransport, ServiceUnavailableError\n"
        "try:\n    PcscReaderTransport()\n"
        "except ServiceUnavailableError as e:\n    print(e)\n"
    )
    environment = dict(os.environ, PCSCLITE_CSOCK_NAME="/nonexistent/pcscd.comm")
    done = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("the PC/SC service (pcscd) is not running")
    assert "0x8010001D" in done.stdout
