"""`vitale emulate` and `vitale read` end to end through pcscd (VDC-TRN-003, 010, 021)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from tests.readers._sample_read import sample_read_lines
from tools.pcsc import service
from tools.pcsc.cards import READER, Pcscd
from vitale_ref.cli import main
from vitale_ref.transport import PcscReaderTransport, TransportError, build_atr, wait_for_card
from vitale_ref.transport._test_card import SELECT_VDC, echo_command


@pytest.fixture
def emulator(pcscd: Pcscd) -> Iterator[service.Layout]:
    service.start_emulator(pcscd.layout, extra=("--historical", "564443"))
    try:
        yield pcscd.layout
    finally:
        service.stop_process(pcscd.layout, "emulator")
        wait_for_card(READER, 3.0, present=False)


def test_read_through_pcsc_prints_verified_data(emulator: service.Layout) -> None:
    """VDC-TRN-003: the full authenticated read through pcscd gives the verified elements."""
    result = CliRunner().invoke(main, ["read", "--pcsc", READER, "--receipt"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"reader: {READER}; ATR {build_atr(b'VDC').hex(' ').upper()}"
    expected = sample_read_lines([1, 2, 3, 4])
    assert len(expected) == 5
    assert lines[1:6] == expected
    assert lines[6] == "revocation: checked against the sample status list"
    assert lines[7] == "receipt acknowledged: yes"
    assert "connected to vpcd" in emulator.log("emulator").read_text()


def test_read_with_short_apdus_and_default_reader(emulator: service.Layout) -> None:
    """VDC-TRN-020: without a reader name the reader holding the card is used."""
    result = CliRunner().invoke(main, ["read", "--pcsc", "--short", "--elements", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:3] == sample_read_lines([2])


def test_read_without_card_is_one_clear_line(pcscd: Pcscd) -> None:
    """VDC-TRN-021: an empty reader gives exit 1 and a one-line message."""
    result = CliRunner().invoke(main, ["read", "--pcsc", "Virtual PCD 00 01"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: no card in reader 'Virtual PCD 00 01', or it was removed; connecting to the "
        "card: No smart card inserted (0x8010000C)\n"
    )


def test_emulator_holder_refuses_when_not_presented(pcscd: Pcscd) -> None:
    """VDC-TRN-012: the holder's refusal (6982, not armed) reaches the reader as an error."""
    service.start_emulator(pcscd.layout, extra=("--no-presence",))
    try:
        result = CliRunner().invoke(main, ["read", "--pcsc", READER])
        assert result.exit_code == 1
        assert result.output.splitlines()[1] == (
            "Error: read failed: READ answered 6982 (holder presence not armed)"
        )
        with PcscReaderTransport(READER) as transport:
            assert transport.atr == build_atr()
    finally:
        service.stop_process(pcscd.layout, "emulator")
        wait_for_card(READER, 3.0, present=False)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--vpcd", "host:99999"], "Error: port 99999 is outside 1..65535"),
        (["--vpcd", "1", "--historical", "00" * 16], "historical bytes: 16 bytes"),
        (["--vpcd", "1", "--historical", "zz"], "not hexadecimal: 'zz'"),
        (["--vpcd", "1", "--card", "test", "--reader-root", "r.pem"], "need --card holder"),
        (["--vpcd", "1", "--store", "h.db", "--reader-root", "r.pem"], "not --store"),
        (["--vpcd", "1", "--reader-root", "no-such.pem"], "cannot read no-such.pem"),
    ],
)
def test_emulate_refuses_bad_options(arguments: list[str], message: str) -> None:
    """VDC-TRN-010: bad endpoints, ATR bytes and reader roots are refused before anything
    starts."""
    result = CliRunner().invoke(main, ["emulate", *arguments])
    assert result.exit_code in (1, 2)
    assert message in result.output


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--pki", "enrolment", "--trust", "root.pem"], "--trust goes with --pki sample"),
        (["--trust", "no-such.pem"], "Error: cannot read no-such.pem: No such file or directory"),
    ],
)
def test_read_refuses_a_trust_it_cannot_use(arguments: list[str], message: str) -> None:
    """A `--trust` root is checked before any reader is opened."""
    result = CliRunner().invoke(main, ["read", "--pcsc", "no-such-reader", *arguments])
    assert result.exit_code in (1, 2)
    assert message in result.output


def test_frame_above_the_emulator_limit_ends_the_session_cleanly(pcscd: Pcscd) -> None:
    """VDC-TRN-004, VDC-TRN-007: a frame over --max-frame closes the stream; the card comes
    back and the next session works."""
    service.start_emulator(pcscd.layout, extra=("--card", "test", "--max-frame", "300"))
    try:
        with PcscReaderTransport(READER) as transport:
            assert transport.transmit(SELECT_VDC) == b"\x90\x00"
            with pytest.raises(TransportError, match="answered 0 bytes, no status word"):
                transport.transmit(echo_command(bytes(400)))
        # vpcd takes the reconnected card at its next poll (about 400 ms).
        deadline = time.monotonic() + 5.0
        while True:
            try:
                with PcscReaderTransport(READER) as transport:
                    assert transport.transmit(SELECT_VDC) == b"\x90\x00"
                    echoed = transport.transmit(echo_command(bytes(200)))
                    assert echoed == bytes(200) + b"\x90\x00"
                break
            except TransportError:
                assert time.monotonic() < deadline, "no working session after the drop"
                time.sleep(0.1)
        log = pcscd.layout.log("emulator").read_text()
        assert "refused frame: vpcd message of 407 bytes exceeds the limit 300" in log
    finally:
        service.stop_process(pcscd.layout, "emulator")
        wait_for_card(READER, 3.0, present=False)
