"""Third-party PC/SC clients (opensc-tool, scriptor) talk to the emulated card (VDC-TRN-003)."""

from __future__ import annotations

import shutil
import subprocess

from tests._support import unavailable
from tools.pcsc.cards import READER, EmulatedCard


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        unavailable(f"{name} is not installed (Debian packages opensc and pcsc-tools)")
    return path


def test_opensc_tool_sends_select_and_echo(emulated_card: EmulatedCard) -> None:
    """VDC-TRN-003: opensc-tool gets 9000 for SELECT and the echoed bytes."""
    done = subprocess.run(
        [
            _tool("opensc-tool"),
            "--reader",
            "0",
            "--send-apdu",
            "00:A4:04:00:07:F0:56:49:54:41:4C:45",
            "--send-apdu",
            "80:EE:00:00:02:AA:BB",
        ],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = [line.strip() for line in done.stdout.splitlines()]
    assert lines.count("Received (SW1=0x90, SW2=0x00)") == 1
    assert "Received (SW1=0x90, SW2=0x00):" in lines
    assert any(line.startswith("AA BB") for line in lines)


def test_scriptor_sends_select_echo_and_unknown(emulated_card: EmulatedCard) -> None:
    """VDC-TRN-003: scriptor sees 9000, the echo, and 6D00 for an unknown instruction."""
    script = "00 A4 04 00 07 F0 56 49 54 41 4C 45\n80 EE 00 00 03 01 02 03\n00 B0 00 00 00\n"
    done = subprocess.run(
        [_tool("scriptor"), "-r", READER],
        input=script,
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answers = [line for line in done.stdout.splitlines() if line.startswith("<")]
    assert answers == [
        "< 90 00 : Normal processing.",
        "< 01 02 03 90 00 : Normal processing.",
        "< 6D 00 : Instruction code not supported or invalid.",
    ]
