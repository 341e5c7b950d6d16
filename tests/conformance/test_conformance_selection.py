"""Test-case IDs are first-class on the command line: --case, -k, -v, faults, --help."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VITALE = [str(Path(sys.executable).parent / "vitale"), "conformance"]
ENV = {**os.environ, "VDC_IUT": "", "VDC_PROFILE": "", "VDC_REPORT": ""}


def _vitale(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*VITALE, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=ENV,
        check=False,
    )


def _ran(report: Path) -> set[str]:
    results = json.loads((report / "results.json").read_text("utf-8"))
    return {case["id"] for case in results["testCases"] if case["runs"]}


def test_case_option_globs_and_repeats(tmp_path: Path) -> None:
    report = tmp_path / "report"
    done = _vitale(
        "run", "--profile", "verifier", "--case", "tc-nir-01[67]", "--case", "TC-PKI-001",
        "--report", str(report), "-v",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
    assert _ran(report) == {"TC-NIR-016", "TC-NIR-017", "TC-PKI-001"}
    # -v names each run by its test case and verdict.
    assert "TC-NIR-016 PASS (" in done.stdout


def test_keyword_selects_a_test_case_by_its_id(tmp_path: Path) -> None:
    """`-k TC-NIR-016` selected nothing: the ID was a keyword only after -k had run."""
    report = tmp_path / "report"
    done = _vitale("run", "--profile", "verifier", "-k", "TC-NIR-016", "--report", str(report))
    assert done.returncode == 0, done.stdout[-3000:]
    assert _ran(report) == {"TC-NIR-016"}


def test_faults_name_profile_cases_and_command() -> None:
    done = _vitale("faults", "--json")
    assert done.returncode == 0
    rows = {row["name"]: row for row in json.loads(done.stdout)}
    nir = rows["nir-no-key-check"]
    assert nir["profile"] == "verifier"
    assert "TC-NIR-016" in nir["cases"]
    assert nir["command"].startswith(
        "vitale conformance run --iut 'stdio:python -m conformance.driver --fault "
        "nir-no-key-check' --profile verifier --case TC-NIR-016"
    )
    text = _vitale("faults").stdout
    line = next(line for line in text.splitlines() if line.startswith("nir-no-key-check "))
    assert " verifier " in line and "TC-NIR-016" in line


def test_help_names_every_profile_and_the_list_form() -> None:
    text = " ".join(_vitale("run", "--help").stdout.split())
    assert "holder, reader, verifier, enrolment, transport or all" in text
    assert "comma-separated list" in text
    assert "--case TC" in text
    assert "7 when it could not run" in text
