"""The card's socket loop against a stand-in vpcd on loopback (VDC-TRN-004, 005, 007)."""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterator

import pytest

from vitale_ref.transport import VirtualCard, VpcdCardClient, build_atr, encode_message
from vitale_ref.transport._test_card import SELECT_VDC, LoopbackTestCard


@pytest.fixture
def fake_vpcd() -> Iterator[socket.socket]:
    """A listening socket playing vpcd (server side), on loopback only."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(5)
    try:
        yield server
    finally:
        server.close()


def _receive(connection: socket.socket) -> bytes:
    header = connection.recv(2, socket.MSG_WAITALL)
    (length,) = struct.unpack(">H", header)
    return connection.recv(length, socket.MSG_WAITALL)


def test_exchange_then_oversized_frame_closes_and_card_reconnects(
    fake_vpcd: socket.socket,
) -> None:
    """VDC-TRN-004, VDC-TRN-007: ATR and APDU, a refused length, then a new connection."""
    card = LoopbackTestCard()
    statuses: list[str] = []
    client = VpcdCardClient(
        VirtualCard(card, max_payload=4096),
        lambda: socket.create_connection(fake_vpcd.getsockname(), timeout=2),
        status=statuses.append,
        retry_interval=0.05,
    ).start()
    try:
        first, _ = fake_vpcd.accept()
        with first:
            first.settimeout(5)
            # vpcd writes the length and the payload separately; the card must cope.
            first.sendall(b"\x00\x01")
            first.sendall(b"\x04")
            assert _receive(first) == build_atr()
            first.sendall(encode_message(SELECT_VDC))
            assert _receive(first) == b"\x90\x00"
            first.sendall(b"\x10\x01")  # 4097 bytes announced, above the card's limit
            assert first.recv(1) == b""  # the card closed the stream cleanly
        second, _ = fake_vpcd.accept()
        with second:
            second.settimeout(5)
            second.sendall(encode_message(b"\x04"))
            assert _receive(second) == build_atr()
            # Counted while the second connection is open: once it closes, the card may
            # already be connecting a third time before stop() is seen.
            connections = client.connections
    finally:
        client.stop()
    assert connections == 2
    assert (
        "disconnected from vpcd: refused frame: vpcd message of 4097 bytes exceeds the "
        "limit 4096" in statuses
    )
    assert card.resets >= 2


def test_unknown_control_code_ends_the_connection(fake_vpcd: socket.socket) -> None:
    """VDC-TRN-005: an unknown control code is refused without an answer."""
    statuses: list[str] = []
    client = VpcdCardClient(
        VirtualCard(LoopbackTestCard()),
        lambda: socket.create_connection(fake_vpcd.getsockname(), timeout=2),
        status=statuses.append,
    ).start()
    try:
        connection, _ = fake_vpcd.accept()
        with connection:
            connection.settimeout(5)
            connection.sendall(b"\x00\x01\x07")
            assert connection.recv(1) == b""
    finally:
        client.stop()
    assert "disconnected from vpcd: refused frame: unknown vpcd control code 07" in statuses
