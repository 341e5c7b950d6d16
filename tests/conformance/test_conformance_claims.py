"""VDC-HARN-020: a claimed profile is implemented whole, or the run fails naming what lacks.

The hollow implementation of the issue that found this: it claims `verifier`, implements
`nir.validate` alone and used to pass (16 of 40 cases not applicable, no credential ever
verified). It is the reference driver with every other operation answered unsupported.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.claims import MANDATORY_OPERATIONS, OPTIONAL_OPERATIONS, claim_failures
from conformance.driver import Driver
from conformance.reports._results import run_verdict

ROOT = Path(__file__).resolve().parents[2]
VITALE = str(Path(sys.executable).parent / "vitale")
HOLLOW = """
import json, sys
from conformance.driver import Driver, Unsupported
from conformance.driver.__main__ import serve

LISTED, SERVED = json.loads(sys.argv[1]), json.loads(sys.argv[2])

class Hollow(Driver):
    def handle(self, operation, params, transmit):
        if operation == "hello":
            return {**self.hello(), "profiles": ["verifier"], "operations": LISTED}
        if operation not in SERVED:
            raise Unsupported("hollow")
        return super().handle(operation, params, transmit)

serve(sys.stdin.buffer, sys.stdout, Hollow())
"""


def _run_hollow(tmp_path: Path, listed: list[str], served: list[str]) -> dict[str, object]:
    script = tmp_path / "hollow.py"
    script.write_text(HOLLOW, encoding="utf-8")
    command = shlex.join([sys.executable, str(script), json.dumps(listed), json.dumps(served)])
    report = tmp_path / "report"
    run = [VITALE, "conformance", "run", "--iut", f"stdio:{command}", "--profile", "verifier"]
    done = subprocess.run(
        [*run, "--report", str(report)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={
            **os.environ,
            "VDC_IUT": "",
            "VDC_PROFILE": "",
            "VDC_REPORT": "",
            "PYTHONPATH": str(ROOT),
        },
        check=False,
    )
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-2000:]
    assert re.search(r"^verdict: FAILED \(stdio:", done.stdout, re.MULTILINE), done.stdout[-2000:]
    results: dict[str, object] = json.loads((report / "results.json").read_text("utf-8"))
    return results


def test_a_verifier_implementing_nir_alone_fails(tmp_path: Path) -> None:
    results = _run_hollow(tmp_path, ["hello", "reset", "nir.validate"], ["reset", "nir.validate"])
    summary = results["summary"]
    assert isinstance(summary, dict)
    assert summary["verdict"] == "failed"
    cases = results["testCases"]
    assert isinstance(cases, list)
    assert [case["id"] for case in cases if case["verdict"] == "fail"] == ["TC-HARN-020"]
    assert summary["reasons"] == [
        "profile verifier is claimed but credential.verify, credential.status_list, "
        "pki.validate, pki.reader_authorisation are not implemented (VDC-HARN-020)"
    ]


def test_a_listed_operation_answered_unsupported_fails(tmp_path: Path) -> None:
    listed = ["hello", "reset", *MANDATORY_OPERATIONS["verifier"]]
    served = [op for op in listed if op != "credential.verify"]
    results = _run_hollow(tmp_path, listed, served)
    summary = results["summary"]
    assert isinstance(summary, dict)
    assert summary["testCases"]["fail"] == 0  # every case that could run passed...
    assert summary["verdict"] == "failed"  # ...and still the run does not pass
    assert summary["reasons"] == [
        "profile verifier is claimed but credential.verify answered unsupported (VDC-HARN-020)"
    ]


def test_the_reference_claims_each_profile_whole() -> None:
    hello = Driver().hello()
    assert set(hello["profiles"]) == {"verifier", "holder", "reader", "enrolment"}
    assert claim_failures(hello) == []


@pytest.mark.parametrize("profile", sorted(MANDATORY_OPERATIONS))
def test_one_missing_operation_is_named(profile: str) -> None:
    operations = list(MANDATORY_OPERATIONS[profile])
    dropped = operations.pop()
    hello = {"profiles": [profile], "operations": ["hello", *operations]}
    assert claim_failures(hello) == [
        f"profile {profile} is claimed but {dropped} is not implemented (VDC-HARN-020)"
    ]
    counts = {"pass": 5, "fail": 0, "not_applicable": 0, "not_tested": 0}
    verdict, reasons = run_verdict(
        hello, counts, {profile: counts}, [profile], claims=claim_failures(hello)
    )
    assert (verdict, reasons) == ("failed", claim_failures(hello))


def test_a_named_profile_not_claimed_is_inconclusive() -> None:
    hello = {"profiles": [], "operations": ["hello", "nir.validate"]}
    counts = {"pass": 5, "fail": 0, "not_applicable": 3, "not_tested": 0}
    assert run_verdict(hello, counts, {"verifier": counts}, ["verifier"]) == (
        "inconclusive",
        ["the implementation does not claim the named profile verifier"],
    )
    assert run_verdict(hello, counts, {"verifier": counts}, ["all"]) == ("passed", [])


def test_the_spec_table_is_the_code_table() -> None:
    """spec/harness.md lists the same mandatory operations as conformance.claims."""
    text = (ROOT / "spec" / "harness.md").read_text("utf-8")
    section = text.split("### Profiles and their mandatory operations", 1)[1].split("```", 1)[0]
    rows = re.findall(r"^\| `([a-z]+)` \| (.+) \|$", section, re.MULTILINE)
    table = {profile: tuple(re.findall(r"`([a-z_.]+)`", ops)) for profile, ops in rows}
    assert table == MANDATORY_OPERATIONS
    optional = re.findall(r"`([a-z_.]+)`", section.split("Only", 1)[1].split("stay optional")[0])
    assert tuple(optional) == OPTIONAL_OPERATIONS
