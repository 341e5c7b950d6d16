"""A reader program under test reads the suite's card through pcscd+vpcd and through nfcpy
(spec/harness.md, Readers under test; VDC-HARN-050, VDC-TRN-042, VDC-TRN-043).

The reader is the reference reader run as an external program (`python -m
conformance.driver`, which reads over its own PC/SC or nfcpy session when a read names
the card): it is certified over both transports; each reader-kind seeded fault run the
same way fails; a reader that never reaches the card ends the run inconclusive at once.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conformance.adapters._card_reader import with_card
from conformance.adapters.stdio import StdioIut
from conformance.catalogue import load_catalogue
from conformance.driver.faults import Fault, all_faults
from conformance.engine import run_cases
from conformance.outcomes import Verdict
from tests._support import require_module
from tools.pcsc.cards import Pcscd

VITALE = str(Path(sys.executable).with_name("vitale"))
DRIVER = shlex.join([sys.executable, "-m", "conformance.driver"])
CASES = {case.id: case for case in load_catalogue()}
READER_CASES = sorted(case.id for case in CASES.values() if case.profile == "reader")
READER_FAULTS = [fault for fault in all_faults() if fault.name.startswith("reader-")]


def _run(
    iut: str, card: str, report: Path, *extra: str, environment: dict[str, str] | None = None
) -> tuple[int, list[str], float]:
    started = time.monotonic()
    command = [VITALE, "conformance", "run", "--iut", iut, "--card", card]
    done = subprocess.run(
        [*command, "--report", str(report), *extra],
        env={**os.environ, **(environment or {})},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    lines = (done.stdout + done.stderr).splitlines()
    return done.returncode, lines, time.monotonic() - started


def _certified(card: str, report: Path) -> None:
    """Every reader case passes through the card, and so does the card's transport case."""
    code, lines, _ = _run(f"stdio:{DRIVER}", card, report, "--profile", "reader")
    assert code == 0, "\n".join(lines[-40:])
    assert f"verdict: PASSED (stdio:{DRIVER}, card {card})" in lines
    results = json.loads((report / "results.json").read_text("utf-8"))
    verdicts = {case["id"]: case["verdict"] for case in results["testCases"]}
    ours, other = ("TC-TRN-006", "TC-TRN-011") if card == "pcsc" else ("TC-TRN-011", "TC-TRN-006")
    assert {verdicts[case] for case in READER_CASES if case != other} == {"pass"}
    assert verdicts[ours] == "pass"
    assert verdicts[other] == "not_applicable"  # the card is on the other transport
    assert results["iut"]["card"] == card
    assert results["iut"]["mode"] == "automated"


def test_reader_program_is_certified_through_pcscd(pcscd: Pcscd, tmp_path: Path) -> None:
    """VDC-TRN-042: the reader opens `Virtual PCD 00 01` with pyscard and reads the card."""
    _certified("pcsc", tmp_path / "report")


def test_reader_program_is_certified_through_nfcpy(tmp_path: Path) -> None:
    """VDC-TRN-043: the reader senses and activates the card on nfcpy's udp link."""
    require_module("nfc", "nfcpy")
    _certified("nfc:udp", tmp_path / "report")


def _faulty_outcomes(fault: Fault, card: str) -> list[tuple[str, Verdict, str]]:
    iut = with_card(StdioIut(f"{DRIVER} --fault {fault.name}", timeout=10), card, timeout=10)
    try:
        outcomes = run_cases([CASES[case] for case in fault.cases], iut)
    finally:
        iut.close()
    return [(o.case_id, o.verdict, o.message) for o in outcomes]


@pytest.mark.parametrize("card", ["pcsc", "nfc:udp"])
def test_every_reader_fault_fails_through_the_card(
    card: str, request: pytest.FixtureRequest
) -> None:
    """Each reader-kind seeded fault, run as an external reader program reading the card
    over the real transport, fails a case naming the rule it breaks."""
    if card == "pcsc":
        request.getfixturevalue("pcscd")
    else:
        require_module("nfc", "nfcpy")
    assert len(READER_FAULTS) >= 5
    for fault in READER_FAULTS:
        outcomes = _faulty_outcomes(fault, card)
        failed = [case for case, verdict, _ in outcomes if verdict is Verdict.FAIL]
        naming = [case for case in failed if fault.breaks in CASES[case].verifies]
        assert naming, f"{fault.name} over {card}: {outcomes}"


ABSENT_READER = textwrap.dedent(
    """
    import json, sys, time
    OPS = ["hello", "reset", "reader.setup", "reader.read"]
    for line in sys.stdin:
        request = json.loads(line)
        op, answer = request["op"], {"id": request["id"], "result": {}}
        if op == "hello":
            answer["result"] = {"protocol": "vdc-harness/1", "profiles": ["reader"],
                "implementation": {"name": "absent", "version": "0"}, "operations": OPS}
        elif op == "reader.setup":
            answer["result"] = {"readerRoot": request["params"]["trustAnchor"]}
        elif op == "reader.read":
            if sys.argv[1] == "silent":
                time.sleep(600)
            answer = {"id": request["id"], "error": {"kind": "rejected", "message": "no card"}}
            if sys.argv[1] == "relays":  # APDUs as transmit messages, not over the card
                answer = {"id": request["id"], "transmit": "00A4040007F0564954414C4500"}
        print(json.dumps(answer), flush=True)
    """
)


@pytest.mark.parametrize("behaviour", ["silent", "answers-without-reading"])
def test_a_reader_that_does_not_show_up_is_inconclusive_at_once(
    behaviour: str, tmp_path: Path
) -> None:
    """The first read the reader never makes stops the run: INCONCLUSIVE (exit 6), in about
    the reader timeout, whatever the stdio timeout, never a hang."""
    require_module("nfc", "nfcpy")
    program = tmp_path / "absent.py"
    program.write_text(ABSENT_READER, "utf-8")
    iut = f"stdio:{shlex.join([sys.executable, str(program), behaviour])}"
    report = tmp_path / "report"
    code, lines, elapsed = _run(
        iut,
        "nfc:udp",
        report,
        *("--profile", "reader", "--reader-timeout", "1"),
        environment={"VDC_IUT_TIMEOUT": "60"},
    )
    assert code == 6, "\n".join(lines[-30:])
    assert elapsed < 30
    results = json.loads((report / "results.json").read_text("utf-8"))
    assert results["summary"]["verdict"] == "inconclusive"
    (reason,) = results["summary"]["reasons"]
    assert "the card emulated on the NFC device udp:127.0.0.1:" in reason
    ran = [run for case in results["testCases"] for run in case["runs"]]
    assert len(ran) == 1  # the run stopped at the first read


def test_a_reader_relaying_its_apdus_instead_of_reading_the_card_fails(tmp_path: Path) -> None:
    """VDC-HARN-050: with --card, `transmit` messages are a failure, not a missing reader."""
    require_module("nfc", "nfcpy")
    program = tmp_path / "relay.py"
    program.write_text(ABSENT_READER, "utf-8")
    iut = f"stdio:{shlex.join([sys.executable, str(program), 'relays'])}"
    report = tmp_path / "report"
    code, lines, _ = _run(iut, "nfc:udp", report, "--profile", "reader", "--case", "TC-TRN-011")
    assert code == 1, "\n".join(lines[-30:])
    results = json.loads((report / "results.json").read_text("utf-8"))
    (case,) = [case for case in results["testCases"] if case["runs"]]
    assert case["id"] == "TC-TRN-011" and case["verdict"] == "fail"
    assert "may not send APDUs to the suite" in case["runs"][0]["message"]
