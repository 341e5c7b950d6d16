"""The attended mode: an operator drives a terminal with no automation interface
(spec/harness.md, Readers under test).

The test plays the operator and the terminal: it reads the suite's prompts, installs
the trust material in its terminal (the reference reader over nfcpy's udp link), reads
the card when asked and reports what the terminal showed. An honest operator of an
honest terminal passes, every verdict marked operator-confirmed; an operator reporting
"accepted" whatever happened fails, because the suite judges what the card saw too.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from conformance.driver._ops_reader import _pki
from tests._support import require_module
from vitale_ref.credential import ElementId
from vitale_ref.randomness import system_random
from vitale_ref.reader import ReaderError, ReaderIdentity, run_read
from vitale_ref.reader.adapters import CredentialVerifier
from vitale_ref.transport._nfc import NfcReaderTransport

VITALE = str(Path(sys.executable).with_name("vitale"))
CASES = "test_honest_holder or test_tc_nfc_011 or test_tc_cred_014"


def _terminal_read(line: str, folder: Path) -> str:
    """The terminal reads the card the prompt names: `a` when it accepted, else `r`."""
    path = re.search(r"NFC device (udp:\S+)\)", line)
    now = re.search(r"takes (\S+) as the current time", line)
    names = re.search(r"should ask for: (.+)$", line)
    assert path and now and names, line
    requested = [ElementId[name.upper().replace(" ", "_")] for name in names[1].split(", ")]
    anchor = x509.load_der_x509_certificate((folder / "issuing-root.der").read_bytes())
    listed = folder / "status-list.der"
    status = listed.read_bytes() if listed.exists() else None
    doctor = _pki().readers["doctor"]
    try:
        with NfcReaderTransport(path[1]) as reader:
            run_read(
                reader.transmit,
                identity=ReaderIdentity(chain=(doctor.der,), key=doctor.private_key),
                requested=requested,
                verifier=CredentialVerifier(anchor, status),
                random=system_random,
                now=datetime.fromisoformat(now[1]),
            )
    except (ReaderError, ValueError):
        return "r"
    return "a"


def _operate(
    prompts: Path, answers: Path, folder: Path, honest: bool, stop: threading.Event
) -> None:
    """Answer each prompt as it appears, as an operator in front of the terminal would."""
    seen, shown = 0, "n"
    while not stop.is_set():
        lines = prompts.read_text("utf-8").splitlines() if prompts.exists() else []
        for line in lines[seen:]:
            seen += 1
            reply = None
            if "install in the terminal" in line:
                reply = ""
            elif "present the card to the terminal now" in line:
                shown = _terminal_read(line, folder)
            elif "what did the terminal show?" in line:
                reply = shown if honest else "a"
            if reply is not None:
                with answers.open("a", encoding="utf-8") as out:
                    out.write(reply + "\n")
        time.sleep(0.02)


def _attended_run(tmp_path: Path, honest: bool) -> tuple[int, str, dict[str, object]]:
    root = tmp_path / "reader-root.der"
    root.write_bytes(_pki().reader_root.certificate.public_bytes(Encoding.DER))
    prompts, answers, folder = tmp_path / "prompts.txt", tmp_path / "answers.txt", tmp_path / "op"
    answers.write_text("", "utf-8")
    environment = {
        **os.environ,
        "VDC_OPERATOR_INPUT": str(answers),
        "VDC_OPERATOR_OUTPUT": str(prompts),
        "VDC_OPERATOR_DIR": str(folder),
        "VDC_OPERATOR_TIMEOUT": "20",
    }
    stop = threading.Event()
    operator = threading.Thread(
        target=_operate, args=(prompts, answers, folder, honest, stop), daemon=True
    )
    operator.start()
    report = tmp_path / "report"
    try:
        command = [VITALE, "conformance", "run", "--iut", f"attended:{root}"]
        done = subprocess.run(
            [
                *command,
                "--card",
                "nfc:udp",
                "--profile",
                "reader",
                "-k",
                CASES,
                "--report",
                str(report),
            ],
            env=environment,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    finally:
        stop.set()
        operator.join(5)
    results = json.loads((report / "results.json").read_text("utf-8"))
    return done.returncode, done.stdout + done.stderr, results


def test_an_honest_terminal_passes_with_operator_confirmed_verdicts(tmp_path: Path) -> None:
    require_module("nfc", "nfcpy")
    code, output, results = _attended_run(tmp_path, honest=True)
    assert code == 0, output[-4000:]
    assert results["iut"]["mode"] == "attended"  # type: ignore[index]
    runs = [run for case in results["testCases"] for run in case["runs"]]  # type: ignore[attr-defined]
    assert len(runs) == 3
    assert all(run["verdict"] == "pass" and run["operatorConfirmed"] for run in runs)
    assert "3 test cases have operator-confirmed verdicts (attended mode)" in output
    assert "verdict: PASSED (attended:" in output and ", card nfc:udp, attended)" in output
    junit = (tmp_path / "report" / "junit.xml").read_text("utf-8")
    assert junit.count('name="operator_confirmed" value="true"') == 3
    html = (tmp_path / "report" / "report.html").read_text("utf-8")
    assert html.count("operator-confirmed</b>") == 3
    assert "Driven by</th><td>an operator (attended)" in html


def test_an_operator_reporting_accepted_whatever_happened_fails(tmp_path: Path) -> None:
    require_module("nfc", "nfcpy")
    code, output, results = _attended_run(tmp_path, honest=False)
    assert code == 1, output[-4000:]
    verdicts = {case["id"]: case["verdict"] for case in results["testCases"]}  # type: ignore[attr-defined]
    # The terminal refused the excess and the revoked holder, and the operator said it
    # accepted them: the cases judge the reported outcome, as for any reader.
    assert verdicts["TC-NFC-010"] == "pass"
    assert verdicts["TC-NFC-011"] == "fail"
    assert verdicts["TC-CRED-014"] == "fail"


@pytest.mark.parametrize("designation", ["attended:", "attended:/nonexistent/root.der"])
def test_attended_needs_a_readable_reader_root(designation: str, tmp_path: Path) -> None:
    command = [VITALE, "conformance", "run", "--iut", designation, "--card", "nfc:udp"]
    done = subprocess.run(
        [*command, "--report", str(tmp_path)],
        env={**os.environ, "VDC_OPERATOR_INPUT": str(tmp_path / "none")},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "Error: cannot open" in done.stderr
