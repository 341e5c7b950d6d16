"""Failures mid-session and recovery: card gone, pcscd restarted (VDC-TRN-007, 021)."""

from __future__ import annotations

import pytest

from tools.pcsc import service
from tools.pcsc.cards import READER, Pcscd, start_card
from vitale_ref.transport import (
    CardAbsentError,
    PcscReaderTransport,
    TransportError,
    wait_for_card,
)
from vitale_ref.transport._test_card import SELECT_VDC, echo_command


def test_card_vanishing_mid_session_then_next_session_works(pcscd: Pcscd) -> None:
    """VDC-TRN-021: the card leaves during a session; clear error, then a clean restart."""
    emulated = start_card(pcscd.layout)
    transport = PcscReaderTransport(READER)
    try:
        assert transport.transmit(SELECT_VDC) == b"\x90\x00"
        emulated.client.stop()
        with pytest.raises(TransportError) as raised:
            transport.transmit(echo_command(b"x"))
        assert isinstance(raised.value, CardAbsentError) or "exchanging an APDU" in str(
            raised.value
        )
        with pytest.raises(CardAbsentError, match="the card session is closed"):
            transport.transmit(SELECT_VDC)
    finally:
        transport.close()
    assert wait_for_card(READER, 3.0, present=False)
    again = start_card(pcscd.layout)
    try:
        with PcscReaderTransport(READER) as transport:
            assert transport.transmit(SELECT_VDC) == b"\x90\x00"
    finally:
        again.stop()


def test_pcscd_restart_then_the_card_reconnects(pcscd: Pcscd) -> None:
    """VDC-TRN-007, VDC-TRN-021: pcscd stops mid-session (clear error); after the restart
    the card connects again and the next session works."""
    emulated = start_card(pcscd.layout)
    try:
        first = emulated.client.connections
        transport = PcscReaderTransport(READER)
        assert transport.transmit(SELECT_VDC) == b"\x90\x00"
        service.stop_process(pcscd.layout, "pcscd")
        with pytest.raises(TransportError) as raised:
            transport.transmit(echo_command(b"gone"))
        assert str(raised.value).startswith(
            ("the PC/SC service (pcscd) is not running", "reader 'Virtual PCD 00 00'")
        )
        transport.close()
        service.start_pcscd(pcscd.layout)
        assert wait_for_card(READER, 5.0)
        assert emulated.client.connections > first
        with PcscReaderTransport(READER) as transport:
            assert transport.transmit(SELECT_VDC) == b"\x90\x00"
            assert transport.transmit(echo_command(b"again")) == b"again\x90\x00"
    finally:
        emulated.stop()
