"""Trace file, decoding, ISO-DEP framing, on-air model, pcap and the CLIs.

Verifies VDC-NFC-300, 310, 311, 320 and, through `vitale present`, VDC-NFC-200.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests._support import unavailable
from vitale_ref.cli import main
from vitale_ref.holder.samples import SampleWorld
from vitale_ref.link import InMemoryLink
from vitale_ref.randomness import seeded_random
from vitale_ref.reader import ReadResult, run_read
from vitale_ref.sm import Receipt
from vitale_ref.trace import (
    Direction,
    Exchange,
    Trace,
    TraceError,
    crc_a,
    describe,
    estimate,
    frames,
    to_pcap,
)


def _run(world: SampleWorld, extended: bool = True) -> tuple[Trace, ReadResult]:
    holder = world.holder(seeded_random("test/trace/holder"))
    holder.arm(world.now + timedelta(seconds=60))
    link = InMemoryLink(holder, world.now)
    result = run_read(
        link.transmit,
        identity=world.reader(),
        requested=list(range(1, 11)),
        verifier=world.verifier,
        random=seeded_random("test/trace/reader"),
        now=world.now,
        receipt=Receipt(time=world.now, rpps=world.rpps(), act="G", amount_cents=3000),
        extended=extended,
    )
    return link.trace, result


def test_nfc_trace_json_round_trip_and_errors(world: SampleWorld) -> None:
    """VDC-NFC-300: the JSON format round-trips; malformed files are TraceError."""
    trace, _ = _run(world)
    assert Trace.from_json(trace.to_json()) == trace
    for text, message in [
        ("[]", "not a vdc-apdu-trace document"),
        ('{"format": "vdc-apdu-trace", "version": 2}', "unsupported trace version 2"),
        (
            '{"format": "vdc-apdu-trace", "version": 1, "exchanges": [{"command": "zz", '
            '"response": "9000"}]}',
            "exchange 0: not hexadecimal",
        ),
        ("{", "not JSON"),
    ]:
        with pytest.raises(TraceError, match=message):
            Trace.from_json(text)


def test_nfc_trace_describe_with_and_without_keys(world: SampleWorld) -> None:
    """VDC-NFC-300: commands, TLVs and SW meanings; plaintext only with the right keys."""
    trace, result = _run(world, extended=False)
    plain = describe(trace)
    assert plain[0].startswith("#1 SELECT (APDU 1) header 00 a4 04 00")
    assert any(line.startswith("#2 ESTABLISH SESSION (APDU 2-") for line in plain)
    assert not any("plaintext" in line for line in plain)
    opened = describe(trace, result.keys)
    assert any("> plaintext 5c0a0102030405060708090a (5C[10])" in line for line in opened)
    assert any("< plaintext" in line and "53[" in line and "9E[64]" in line for line in opened)


def test_nfc_isodep_framing_and_crc() -> None:
    """VDC-NFC-310: I-blocks of at most 256 bytes with CRC_A, R(ACK) for chained blocks."""
    assert crc_a(bytes([0xE0, 0x80])) == bytes([0x31, 0x73])
    assert crc_a(bytes(2)) == bytes([0xA0, 0x1E])
    trace = Trace(exchanges=(Exchange(command=bytes(600), response=b"\x90\x00"),))
    result = frames(trace)
    sizes = [(f.direction, len(f.data)) for f in result]
    assert sizes == [
        (Direction.READER_TO_CARD, 256),
        (Direction.CARD_TO_READER, 3),
        (Direction.READER_TO_CARD, 256),
        (Direction.CARD_TO_READER, 3),
        (Direction.READER_TO_CARD, 600 - 2 * 253 + 3),
        (Direction.CARD_TO_READER, 5),
    ]
    assert [f.data[0] for f in result] == [0x12, 0xA2, 0x13, 0xA3, 0x02, 0x02]


def test_nfc_on_air_model_figures() -> None:
    """VDC-NFC-310: (2 + 9 n) bit periods per frame plus 1172/fc turnaround."""
    trace = Trace(exchanges=(Exchange(command=bytes(10), response=b"\x90\x00"),))
    slow = estimate(trace, 106)
    # frames of 13 and 5 bytes: 119 + 47 bit periods of 128/fc, two turnarounds of 1172/fc
    assert slow.seconds == pytest.approx((166 * 128 + 2 * 1172) / 13.56e6)
    assert slow.frame_bytes == {Direction.READER_TO_CARD: 13, Direction.CARD_TO_READER: 5}
    assert estimate(trace, 848).seconds == pytest.approx((166 * 16 + 2 * 1172) / 13.56e6)
    with pytest.raises(ValueError, match="bit rate must be one of"):
        estimate(trace, 300)


def test_nfc_typical_read_within_budget(world: SampleWorld) -> None:
    """VDC-NFC-311, VDC-NFC-200: four pairs, under 150 ms on the air at 424 kbit/s."""
    trace, _ = _run(world)
    assert len(trace.exchanges) == 4
    assert estimate(trace, 424).milliseconds < 150


def _tshark() -> str:
    path = shutil.which("tshark")
    if path is None:
        unavailable("tshark is not installed (Debian package: tshark)")
    return path


def test_nfc_pcap_decodes_with_tshark(world: SampleWorld, tmp_path: Path) -> None:
    """VDC-NFC-320: link type 264; tshark decodes the frames as ISO 7816 APDUs."""
    tshark = _tshark()
    trace, _ = _run(world)
    pcap = tmp_path / "read.pcap"
    pcap.write_bytes(to_pcap(trace))
    assert int.from_bytes(pcap.read_bytes()[20:24], "little") == 264
    completed = subprocess.run(
        [
            tshark,
            "-r",
            str(pcap),
            "-d",
            "iso14443.subdissector,iso7816",
            "-T",
            "fields",
            "-e",
            "iso7816.apdu.cla",
            "-e",
            "iso7816.apdu.ins",
            "-e",
            "iso7816.apdu.sw1",
            "-e",
            "iso7816.apdu.sw2",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    rows = [line.split("\t") for line in completed.stdout.splitlines()]
    commands = [(r[0], r[1]) for r in rows if r[0]]
    statuses = [(r[2], r[3]) for r in rows if r[2]]
    assert commands[0] == ("0x00", "0xa4")
    assert [cla for cla, _ in commands] == ["0x00", "0x80", "0x80", "0x80"]
    assert statuses == [("0x90", "0x00")] * 4


def test_nfc_cli_present_and_trace(tmp_path: Path) -> None:
    """`vitale present` prints trace, data, on-air time; `vitale trace` reads the file."""
    runner = CliRunner()
    out = tmp_path / "trace.json"
    result = runner.invoke(main, ["present", "--show-keys", "--trace-out", str(out)])
    assert result.exit_code == 0, result.output
    assert "trace: 4 command/response pairs" in result.output
    assert "receipt acknowledged: yes" in result.output
    assert "424 kbit/s:" in result.output
    keys = next(
        line.split(": ", 1)[1]
        for line in result.output.splitlines()
        if line.startswith("session keys (RD:DR)")
    )
    shown = runner.invoke(main, ["trace", "show", str(out), "--keys", keys])
    assert shown.exit_code == 0 and "> plaintext 5c0a" in shown.output
    pcap = tmp_path / "out.pcap"
    exported = runner.invoke(main, ["trace", "pcap", str(out), "-o", str(pcap)])
    assert exported.output == f"wrote {pcap} (4 APDU pairs)\n"
    assert pcap.read_bytes()[:4] == bytes.fromhex("d4c3b2a1")


def test_nfc_cli_errors(tmp_path: Path) -> None:
    """Bad input is one line and exit 1, never a traceback."""
    runner = CliRunner()
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    result = runner.invoke(main, ["trace", "show", str(bad)])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {bad}: not a vdc-apdu-trace document\n",
    )
    result = runner.invoke(main, ["trace", "show", str(bad), "--keys", "00:11"])
    assert result.exit_code == 1
    result = runner.invoke(main, ["present", "--no-presence"])
    assert result.exit_code == 1
    assert "Error: read failed: READ answered 6982 (holder presence not armed)" in result.output
    missing = runner.invoke(main, ["trace", "show", str(tmp_path / "none.json")])
    assert missing.exit_code == 1 and missing.output.startswith("Error: cannot read")
