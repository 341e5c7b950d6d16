"""`vitale conformance run` end to end: exit status, reports, inconclusive runs.

The JavaScript implementation's full run is tests/conformance/test_conformance_js.py.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import jsonschema

from conformance.protocol import SCHEMA_DIR
from tests._support import require_js_iut

ROOT = Path(__file__).resolve().parents[2]
VITALE = [str(Path(sys.executable).parent / "vitale")]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*VITALE, "conformance", "run", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "VDC_IUT": "", "VDC_PROFILE": "", "VDC_REPORT": ""},
        check=False,
    )


def test_reference_passes_and_reports(tmp_path: Path) -> None:
    report = tmp_path / "report"
    result = _run("--profile", "verifier", "-k", "nir", "--report", str(report))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "verdict: PASSED (ref)" in result.stdout
    results = json.loads((report / "results.json").read_text("utf-8"))
    schema = json.loads((SCHEMA_DIR.parent / "results.schema.json").read_text("utf-8"))
    jsonschema.validate(results, schema)
    assert results["summary"]["passed"] is True
    rows = {row["id"]: row for row in results["requirements"]}
    assert rows["VDC-NIR-016"]["verdict"] == "pass"
    html = (report / "report.html").read_text("utf-8")
    assert '<tr id="VDC-NIR-016"><td class="id">VDC-NIR-016</td>' in html
    junit = ElementTree.parse(report / "junit.xml").getroot()
    properties = {(p.get("name"), p.get("value")) for p in junit.iter("property")}
    assert ("requirement", "VDC-NIR-016") in properties
    assert ("test_case", "TC-NIR-016") in properties


def test_seeded_fault_fails_the_run_with_evidence(tmp_path: Path) -> None:
    report = tmp_path / "report"
    driver = shlex.join([sys.executable, "-m", "conformance.driver", "--fault", "nir-no-key-check"])
    result = _run(
        "--iut", f"stdio:{driver}", "--profile", "verifier", "-k", "nir", "--report", str(report)
    )
    assert result.returncode == 1
    assert "verdict: FAILED" in result.stdout
    results = json.loads((report / "results.json").read_text("utf-8"))
    rows = {row["id"]: row for row in results["requirements"]}
    assert rows["VDC-NIR-016"]["verdict"] == "fail"
    (case,) = [c for c in results["testCases"] if c["id"] == "TC-NIR-016"]
    failed = [run for run in case["runs"] if run["verdict"] == "fail"]
    assert failed[0]["expected"] == "error kind checksum"
    assert any('"op": "nir.validate"' in line for line in failed[0]["trace"])


def test_unknown_iut_is_a_one_line_error() -> None:
    result = _run("--iut", "bogus:x")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: no IUT adapter 'bogus' in this installation")
    assert "Traceback" not in result.stderr


def test_named_profile_not_claimed_nor_applicable_is_inconclusive(tmp_path: Path) -> None:
    """VDC-HARN-020: the JavaScript implementation over stdio claims four profiles, not
    transport, none of whose cases applies over stdio. A run naming verifier and transport
    proves nothing about transport: INCONCLUSIVE with both reasons, exit status 6, never
    PASSED, though every verifier case passed."""
    require_js_iut()
    report = tmp_path / "report"
    iut = "stdio:node conformance/samples/iut-js/main.js"
    result = _run("--iut", iut, "--profile", "verifier,transport", "--report", str(report))
    assert result.returncode == 6, result.stdout[-3000:]
    lines = result.stdout.splitlines()
    verdict = lines.index(f"verdict: INCONCLUSIVE ({iut})")
    reasons = [
        "no test case of the named profile transport was applicable",
        "the implementation does not claim the named profile transport",
    ]
    assert lines[verdict + 1 : verdict + 3] == [f"  {reason}" for reason in reasons]
    results = json.loads((report / "results.json").read_text("utf-8"))
    assert results["iut"]["declared"]["name"] == "vdc-iut-js"
    assert results["summary"]["verdict"] == "inconclusive"
    assert results["summary"]["passed"] is False
    assert results["summary"]["reasons"] == reasons
    verifier = results["profileSummary"]["verifier"]
    assert verifier["pass"] > 0 and verifier["fail"] == verifier["not_applicable"] == 0
    assert results["profileSummary"]["transport"]["pass"] == 0
    html = (report / "report.html").read_text("utf-8")
    assert "<th>Overall verdict</th><td>INCONCLUSIVE</td>" in html


def test_selection_without_cases_is_inconclusive(tmp_path: Path) -> None:
    report = tmp_path / "report"
    result = _run("--profile", "verifier", "-k", "no_such_case_anywhere", "--report", str(report))
    assert result.returncode == 6
    assert "verdict: INCONCLUSIVE (ref)\n  the selection left no test case to run" in result.stdout
    assert json.loads((report / "results.json").read_text("utf-8"))["summary"]["reasons"] == [
        "the selection left no test case to run"
    ]
