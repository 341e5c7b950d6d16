"""Every failure names its evidence; runs that cannot start or finish still report.

spec/harness.md, Verdicts and Reports: the vector (file, tcId, comment, flags), the
requirement and its statement, expected and got and the decoded APDUs, in the console,
JUnit and report.html; COULD NOT RUN (exit 7) with the IUT's stderr; INTERRUPTED (exit
130) with the runs done so far; stale report files never left behind.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jsonschema

from conformance.exchange import decode_exchange
from conformance.protocol import SCHEMA_DIR

ROOT = Path(__file__).resolve().parents[2]
VITALE = [str(Path(sys.executable).parent / "vitale"), "conformance", "run"]
ENV = {**os.environ, "VDC_IUT": "", "VDC_PROFILE": "", "VDC_REPORT": ""}


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*VITALE, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**ENV, **(env or {})},
        check=False,
    )


def _results(report: Path) -> Any:
    results = json.loads((report / "results.json").read_text("utf-8"))
    schema = json.loads((SCHEMA_DIR.parent / "results.schema.json").read_text("utf-8"))
    jsonschema.validate(results, schema)
    return results


def _script(tmp_path: Path, body: str) -> str:
    path = tmp_path / "iut.py"
    path.write_text(body, encoding="utf-8")
    return f"stdio:{shlex.join([sys.executable, str(path)])}"


def test_decoded_exchange_names_commands_and_status_words() -> None:
    trace = [
        '> {"id": 5, "op": "holder.transmit", "params": {"apdu": "00a4040007f0564954414c4500"}}',
        '< {"id": 5, "result": {"response": "6F0184019000"}}',
        '< {"id": 9, "transmit": "80CB0000024142"}',
        '> {"id": 9, "response": "6988"}',
        "> APDU 10DB000000",
        "< APDU 6982",
        '> {"op": "holder.transmit", "params": {"apdu": "00860000FF0102... (900 characters)',
        '< {"result": {"response": "0102... (900 characters)',
    ]
    assert decode_exchange(trace) == [
        "step 1: command SELECT (00 A4 04 00; 13 bytes)",
        "step 1: response 9000 success (4 data bytes)",
        "step 2: command READ ELEMENTS (80 CB 00 00; 7 bytes)",
        "step 2: response 6988 secure messaging integrity failure; session ended (0 data bytes)",
        "step 3: command FILE RECEIPT chained (10 DB 00 00; 5 bytes)",
        "step 3: response 6982 holder presence not armed (0 data bytes)",
        "step 4: command ESTABLISH SESSION (00 86 00 00; 7 bytes shown, cut in the trace)",
        "step 4: response status word cut from the trace (2 bytes shown)",
    ]


def test_a_failed_vector_names_its_file_comment_flags_and_requirement(tmp_path: Path) -> None:
    """The old message was `credential.verify accepted an invalid input` and nothing else."""
    report = tmp_path / "report"
    driver = shlex.join([sys.executable, "-m", "conformance.driver", "--fault", "nir-no-key-check"])
    iut = f"stdio:{driver}"
    result = _run(
        "--iut", iut, "--profile", "verifier", "-k", "TC-CRED-015", "--report", str(report)
    )
    assert result.returncode == 1, result.stdout[-3000:]
    vector = "vector:   vectors/credential/presentations.json tcId 52 (invalid): "
    vector += "NIR with a wrong key; flags InvalidNir"
    statement = "requirement VDC-CRED-020: The holder's NIR and each minor's NIR MUST be valid"
    assert vector in result.stdout
    assert statement in result.stdout
    junit = ElementTree.parse(report / "junit.xml").getroot()
    messages = [f.get("message", "") + (f.text or "") for f in junit.iter("failure")]
    assert any(vector in m and statement in m for m in messages)
    results = _results(report)
    (case,) = [c for c in results["testCases"] if c["runs"]]
    (failed,) = [run for run in case["runs"] if run["param"] == "tc52"]
    assert failed["vector"]["comment"] == "NIR with a wrong key"
    assert failed["vector"]["requirements"] == ["VDC-CRED-020"]
    html = (report / "report.html").read_text("utf-8")
    assert '<h2 id="failures">Failed test cases (1)</h2>' in html
    assert html.index('id="failures"') < html.index("Requirements in the scope")
    assert "tcId 52 (invalid): NIR with a wrong key; flags InvalidNir" in html
    assert '<div class="banner failed" id="verdict">FAILED' in html


def test_a_verifier_run_reports_only_its_scope_and_how_to_reproduce_it(tmp_path: Path) -> None:
    report = tmp_path / "report"
    result = _run("--profile", "verifier", "-k", "TC-NIR-016", "--report", str(report))
    assert result.returncode == 0, result.stdout[-3000:]
    results = _results(report)
    assert {case["id"] for case in results["testCases"] if case["runs"]} == {"TC-NIR-016"}
    areas = {row["area"] for row in results["requirements"]}
    assert "ENR" not in areas and "NIR" in areas
    block = results["reproducibility"]
    assert block["commandLine"].startswith("vitale conformance run --profile verifier")
    digest = __import__("hashlib").sha256((report / "results.json").read_bytes()).hexdigest()
    assert f"results.json SHA-256: {digest}" in result.stdout
    html = (report / "report.html").read_text("utf-8")
    assert block["vectorsDigest"] in html
    junit = ElementTree.parse(report / "junit.xml").getroot()
    properties = {p.get("name"): p.get("value") for p in junit.iter("property")}
    assert properties["specDigest"] == block["specDigest"]
    assert properties["verdict"] == "passed"


CRASHING = """
import sys
sys.stderr.write('Traceback (most recent call last):\\n  File "driver.py", line 3\\n')
sys.stderr.write('ValueError: unknown fault nir-no-such-fault\\n')
sys.exit(2)
"""


def test_an_iut_that_crashes_at_start_could_not_run_with_its_stderr(tmp_path: Path) -> None:
    report = tmp_path / "report"
    report.mkdir()
    (report / "report.html").write_text("an earlier run of another IUT: PASSED")
    (report / "junit.xml").write_text("<testsuites/>")
    result = _run("--iut", _script(tmp_path, CRASHING), "--report", str(report))
    assert result.returncode == 7, result.stdout[-3000:] + result.stderr
    assert "verdict: COULD NOT RUN" in result.stdout
    assert "stderr: ValueError: unknown fault nir-no-such-fault" in result.stdout
    assert "exit status 2" in result.stdout
    results = _results(report)
    assert results["summary"]["verdict"] == "could_not_run"
    html = (report / "report.html").read_text("utf-8")
    assert "another IUT" not in html
    assert '<div class="banner could_not_run" id="verdict">COULD NOT RUN' in html
    assert "unknown fault nir-no-such-fault" in html
    properties = ElementTree.parse(report / "junit.xml").getroot().iter("property")
    assert ("verdict", "could_not_run") in {(p.get("name"), p.get("value")) for p in properties}


SLOW = """
import json, sys, time
for line in sys.stdin:
    request = json.loads(line)
    if request["op"] == "hello":
        result = {"protocol": "vdc-harness/1", "implementation": {"name": "slow", "version": "0"},
                  "profiles": ["verifier"], "operations": ["hello", "nir.validate"]}
    else:
        time.sleep(0.3)
        result = {"nir": request["params"]["nir"]}
    print(json.dumps({"id": request["id"], "result": result}), flush=True)
"""


def test_an_interrupted_run_reports_what_it_did(tmp_path: Path) -> None:
    report = tmp_path / "report"
    iut = _script(tmp_path, SLOW)
    process = subprocess.Popen(
        [*VITALE, "--iut", iut, "--profile", "verifier", "-k", "nir", "--report", str(report)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
        env=ENV,
    )
    journal = report / "runs.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (
        journal.is_file() and journal.read_text("utf-8").count("\n") >= 2
    ):
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 130, output[-3000:]
    assert "verdict: INTERRUPTED" in output
    results = _results(report)
    assert results["summary"]["verdict"] == "interrupted"
    done = sum(len(case["runs"]) for case in results["testCases"])
    assert done >= 2
    assert len(journal.read_text("utf-8").splitlines()) == done
    assert "banner interrupted" in (report / "report.html").read_text("utf-8")


def test_a_reader_path_with_no_card_could_not_run_at_once(tmp_path: Path) -> None:
    """Without the emulator, nfc:udp failed every holder case one timeout after another."""
    from tests._support import require_module

    require_module("nfc", "nfcpy")
    from vitale_ref.transport._nfc import free_udp_port

    report = tmp_path / "report"
    iut = f"nfc:udp:127.0.0.1:{free_udp_port()}"
    started = time.monotonic()
    result = _run("--iut", iut, "--profile", "holder", "--report", str(report))
    assert result.returncode == 7, result.stdout[-3000:]
    assert f"preflight: the holder behind {iut} did not answer SELECT" in result.stdout
    assert time.monotonic() - started < 40
    assert _results(report)["profileSummary"]["holder"]["fail"] == 0
