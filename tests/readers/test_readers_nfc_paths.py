"""NFC device paths reach nfcpy; no device is a clear error naming it (VDC-TRN-039).

No NFC device is attached where these tests run: `usb` and `tty` designations must be
accepted, reach nfcpy's device search, and end before any test case with one line
naming the path. Which chips can emulate a Type 4A card is documented in
spec/transport.md (device paths).
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests._support import require_module
from vitale_ref.transport import TransportError
from vitale_ref.transport._nfc import NfcReaderTransport, device_path
from vitale_ref.transport._nfc_card import NfcCardEmulator
from vitale_ref.transport._test_card import LoopbackTestCard

VITALE = str(Path(sys.executable).with_name("vitale"))
DRIVER = shlex.join([sys.executable, "-m", "conformance.driver"])
ABSENT = ["usb", "tty:USB9:pn532"]


def _vitale(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [VITALE, *arguments], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("path", ABSENT)
def test_holder_under_test_on_an_absent_device(path: str, tmp_path: Path) -> None:
    """`--iut nfc:usb…` is accepted and reaches nfcpy, which finds no device."""
    require_module("nfc", "nfcpy")
    done = _vitale("conformance", "run", "--iut", f"nfc:{path}", "--report", str(tmp_path))
    assert done.returncode == 1
    (line,) = [line for line in done.stderr.splitlines() if line.strip()]
    assert line.startswith(f"Error: cannot open 'nfc:{path}': no NFC device at {path}: ")
    assert "No such device" in line


def test_card_for_a_reader_on_an_absent_device(tmp_path: Path) -> None:
    """`--card nfc:usb…` for a reader under test: refused before any case, naming it."""
    require_module("nfc", "nfcpy")
    done = _vitale(
        "conformance",
        "run",
        *("--iut", f"stdio:{DRIVER}", "--card", "nfc:usb:054c:06c1", "--profile", "reader"),
        *("--report", str(tmp_path)),
    )
    assert done.returncode != 0
    assert "cannot emulate the card on nfc usb:054c:06c1: no NFC device at usb:054c:06c1" in (
        done.stdout + done.stderr
    )


def test_the_reader_and_the_card_sides_name_the_device() -> None:
    require_module("nfc", "nfcpy")
    with pytest.raises(TransportError, match=r"^no NFC device at usb:054c:06c1: "):
        NfcReaderTransport("usb:054c:06c1")
    with pytest.raises(TransportError, match=r"^no NFC device at tty:USB9:pn532: "):
        NfcCardEmulator(LoopbackTestCard(), "tty:USB9:pn532").start()


@pytest.mark.parametrize("path", ["com1", "tty", "bluetooth:1", ""])
def test_other_paths_are_refused(path: str) -> None:
    with pytest.raises(TransportError, match=r"nfc path must be udp\[:HOST\[:PORT\]\], usb"):
        device_path(path)
