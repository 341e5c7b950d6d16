"""The holder profile through PC/SC and through nfcpy (VDC-TRN-040, 041).

The emulated reference holder serves its set-up operations on a control socket; the
APDUs of every case go through pcscd and vpcd, or through nfcpy's udp link. `pcsc:` and
`nfc:` put a holder under test: the reader profile is never credited to them (the suite
does not run a reader of its own in their name); readers are tested with `--card`
(test_readers_reader_under_test.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from conformance.catalogue import load_catalogue
from tools.pcsc import service
from tools.pcsc.cards import READER, Pcscd
from vitale_ref.transport import wait_for_card
from vitale_ref.transport._nfc import free_udp_port

VITALE = str(Path(sys.executable).with_name("vitale"))


def _run_profile(
    iut: str, control: Path, report: Path, profile: str = "holder", *, check: bool = True
) -> list[str]:
    environment = dict(os.environ, VDC_IUT_CONTROL=str(control))
    done = subprocess.run(
        [
            VITALE,
            "conformance",
            "run",
            "--iut",
            iut,
            "--profile",
            profile,
            "--report",
            str(report),
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # A named profile with nothing applicable makes the run inconclusive (exit status 6).
    assert done.returncode in ((0,) if check else (0, 6)), done.stdout[-3000:] + done.stderr[-2000:]
    return done.stdout.splitlines()


def _assert_all_passed(
    lines: list[str], iut: str, profile: str = "holder", *, verdict: str = "PASSED"
) -> None:
    rows = [line.split() for line in lines if line.startswith(f"{profile} ")]
    assert len(rows) == 1, "\n".join(lines[-30:])
    (row,) = rows
    passed, failed, not_applicable, not_tested = (int(value) for value in row[1:5])
    assert passed >= 9
    assert (failed, not_applicable, not_tested) == (0, 0, 0)
    assert f"verdict: {verdict} ({iut})" in lines


def _reader_not_credited(report: Path) -> None:
    """The reader profile is not applicable: nothing of it is credited to a holder."""
    results = json.loads((report / "results.json").read_text("utf-8"))
    assert "reader" not in results["iut"]["declared"]["profiles"]
    assert "reader.read" not in results["iut"]["declared"]["operations"]
    reader = results["profileSummary"]["reader"]
    assert reader["pass"] == 0 and reader["fail"] == 0
    assert reader["not_applicable"] >= 9


def test_holder_profile_passes_through_pcscd(pcscd: Pcscd, tmp_path: Path) -> None:
    """VDC-TRN-040 to 041: every holder case passes over pcsc: (reference); the reader
    profile asked for in the same run is not applicable, never credited."""
    control = tmp_path / "control.sock"
    report = tmp_path / "report"
    service.start_emulator(pcscd.layout, extra=("--control", str(control)))
    try:
        lines = _run_profile(f"pcsc:{READER}", control, report, "holder,reader", check=False)
    finally:
        service.stop_process(pcscd.layout, "emulator")
        wait_for_card(READER, 3.0, present=False)
    _assert_all_passed(lines, f"pcsc:{READER}", "holder", verdict="INCONCLUSIVE")
    _reader_not_credited(report)


def test_holder_profile_passes_through_nfcpy(tmp_path: Path) -> None:
    """VDC-TRN-040, 041: every holder case passes over nfc:udp against the reference."""
    control = tmp_path / "control.sock"
    path = f"udp:127.0.0.1:{free_udp_port()}"
    emulator = subprocess.Popen(
        [VITALE, "conformance", "emulate", "--nfc", path, "--control", str(control), "-q"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while not control.exists() and time.monotonic() < deadline:
            assert emulator.poll() is None, emulator.stderr.read() if emulator.stderr else ""
            time.sleep(0.05)
        report = tmp_path / "report"
        lines = _run_profile(f"nfc:{path}", control, report, "holder,reader,transport", check=False)
    finally:
        emulator.terminate()
        emulator.wait(10)
    _assert_all_passed(lines, f"nfc:{path}", "holder", verdict="INCONCLUSIVE")
    _reader_not_credited(report)
    results = json.loads((report / "results.json").read_text("utf-8"))
    verdicts = {case["id"]: case["verdict"] for case in results["testCases"]}
    assert verdicts["TC-TRN-007"] == "pass"
    assert verdicts["TC-TRN-011"] == "not_applicable"  # the card for a reader under test
    assert verdicts["TC-TRN-006"] == "not_applicable"


def test_holder_without_side_channel_runs_the_apdu_level_cases(
    pcscd: Pcscd, tmp_path: Path
) -> None:
    """Through a reader alone (no control socket) the APDU-level holder cases run against
    the holder as it is and pass; every case that needs provisioning is not applicable,
    and since the device is claimed for the binding only, the holder run is inconclusive
    (VDC-HARN-020), never passed."""
    service.start_emulator(pcscd.layout)
    report = tmp_path / "report"
    command = [VITALE, "conformance", "run", "--iut", f"pcsc:{READER}", "--profile", "holder"]
    try:
        done = subprocess.run(
            [*command, "--report", str(report)],
            env=dict(os.environ, VDC_IUT_CONTROL=""),  # none: the reader alone
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        service.stop_process(pcscd.layout, "emulator")
        wait_for_card(READER, 3.0, present=False)
    assert done.returncode == 6, done.stdout[-3000:] + done.stderr[-2000:]
    results = json.loads((report / "results.json").read_text("utf-8"))
    verdicts = {case["id"]: case["verdict"] for case in results["testCases"]}
    passed = {case for case, verdict in verdicts.items() if verdict == "pass"}
    assert passed >= {"TC-NFC-005", "TC-NFC-009", "TC-NFC-014", "TC-NFC-017"}
    # Every case that passed needs nothing but APDUs (no provisioning through a side channel).
    catalogue = {case.id: case for case in load_catalogue()}
    assert all(set(catalogue[case].operations) <= {"holder.transmit"} for case in passed)
    assert set(verdicts.values()) == {"pass", "not_applicable"}
    assert results["summary"]["verdict"] == "inconclusive"
    assert results["summary"]["reasons"] == [
        "the implementation does not claim the named profile holder"
    ]
