"""Per-requirement attribution: a failing run marks the requirements it exercises, no more.

A vector marks the requirement it names and its flags' requirements, a parameter those it
declares with `param()`, a failure those it names; only a run that declares nothing marks
every requirement of its case (spec/harness.md, Verdicts).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from conformance.adapters import IutBase, open_iut
from conformance.catalogue import CatalogueError, TestCase, load_catalogue, param
from conformance.engine import run_case
from conformance.outcomes import CaseFailure, Outcome, Verdict, expect
from conformance.reports import build_results

ROOT = Path(__file__).resolve().parents[2]
VITALE = str(Path(sys.executable).parent / "vitale")
NIR_ELEMENT_RULES = {"VDC-CRED-020", "VDC-CRED-028"}
"""The credential's rules on the NIR elements (the holder's and each minor's)."""


def _case(run: Any, *, verifies: tuple[str, ...], params: Any = None) -> TestCase:
    return TestCase(
        id="TC-NIR-901",
        title="synthetic",
        purpose="synthetic",
        verifies=verifies,
        profile="verifier",
        preconditions="none",
        expected="synthetic",
        params=params,
        run=run,
    )


@pytest.fixture(scope="module")
def reference() -> Any:
    iut = open_iut("ref")
    iut.hello()
    yield iut
    iut.close()


def test_nir_key_fault_fails_only_nir_requirements(tmp_path: Path) -> None:
    """The issue's example: 48 MUST requirements failed before; now NIR ones alone."""
    driver = shlex.join([sys.executable, "-m", "conformance.driver", "--fault", "nir-no-key-check"])
    report = tmp_path / "report"
    command = [VITALE, "conformance", "run", "--iut", f"stdio:{driver}", "--profile", "verifier"]
    done = subprocess.run(
        [*command, "--report", str(report)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "VDC_IUT": "", "VDC_PROFILE": "", "VDC_REPORT": ""},
        check=False,
    )
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads((report / "results.json").read_text("utf-8"))
    failed = {row["id"] for row in results["requirements"] if row["verdict"] == "fail"}
    assert {"VDC-NIR-016", "VDC-CRED-020"} <= failed
    strangers = {r for r in failed if not r.startswith("VDC-NIR-")} - NIR_ELEMENT_RULES
    assert strangers == set(), f"the NIR key fault failed {sorted(strangers)}"
    # The credential vector file's case lists some 30 requirements; they still pass.
    assert {"VDC-CRED-043", "VDC-CRED-051", "VDC-CRED-053"}.isdisjoint(failed)
    rows = {row["id"]: row["verdict"] for row in results["requirements"]}
    assert rows["VDC-CRED-043"] == "pass"
    junit = ElementTree.parse(report / "junit.xml").getroot()
    for testcase in junit.iter("testcase"):
        if testcase.find("failure") is None:
            continue
        marked = {
            p.get("value") for p in testcase.iter("property") if p.get("name") == "requirement"
        }
        assert marked, testcase.get("name")
        assert marked <= failed, testcase.get("name")


def test_a_failing_vector_marks_its_own_requirements(reference: IutBase) -> None:
    (case,) = [c for c in load_catalogue() if c.id == "TC-CRED-015"]
    vectors = {run.name: run for run in case.parameters()}
    wrong_key = vectors["tc70"]  # a minor's NIR with a wrong key, flag InvalidNir
    assert set(wrong_key.verifies) == NIR_ELEMENT_RULES
    assert len(case.verifies) > 10
    outcome = run_case(case, reference, wrong_key)
    assert outcome.verdict is Verdict.PASS
    assert outcome.requirements == wrong_key.verifies


def test_a_parameter_marks_what_it_declares(reference: IutBase) -> None:
    def check(iut: IutBase, value: str) -> None:
        expect(value == "good", "bad parameter", expected="good")

    case = _case(
        check,
        verifies=("VDC-NIR-001", "VDC-NIR-016"),
        params=lambda: [param("good", "good", "VDC-NIR-001"), param("bad", "bad", "VDC-NIR-016")],
    )
    outcomes = [run_case(case, reference, run) for run in case.parameters()]
    assert [(o.verdict, o.requirements) for o in outcomes] == [
        (Verdict.PASS, ("VDC-NIR-001",)),
        (Verdict.FAIL, ("VDC-NIR-016",)),
    ]
    rows = _requirement_verdicts(case, outcomes)
    assert rows["VDC-NIR-001"] == "pass"
    assert rows["VDC-NIR-016"] == "fail"


def test_a_failure_narrows_to_the_requirement_it_names(reference: IutBase) -> None:
    def check(iut: IutBase) -> None:
        expect(False, "broken", expected="unbroken", requirements=["VDC-NIR-016"])

    case = _case(check, verifies=("VDC-NIR-001", "VDC-NIR-016"))
    outcome = run_case(case, reference)
    assert outcome.requirements == ("VDC-NIR-016",)
    rows = _requirement_verdicts(case, [outcome])
    assert rows["VDC-NIR-016"] == "fail"
    assert rows["VDC-NIR-001"] == "not_tested"


def test_an_undeclared_run_marks_every_requirement_of_its_case(reference: IutBase) -> None:
    def check(iut: IutBase) -> None:
        raise CaseFailure("broken", expected="unbroken")

    case = _case(check, verifies=("VDC-NIR-001", "VDC-NIR-016"))
    outcome = run_case(case, reference)
    assert outcome.requirements == ("VDC-NIR-001", "VDC-NIR-016")


def test_a_failure_naming_a_foreign_requirement_is_a_suite_defect(reference: IutBase) -> None:
    def check(iut: IutBase) -> None:
        expect(False, "broken", expected="unbroken", requirements=["VDC-PIN-001"])

    case = _case(check, verifies=("VDC-NIR-001",))
    outcome = run_case(case, reference)
    assert outcome.verdict is Verdict.FAIL
    assert outcome.requirements == ("VDC-NIR-001",)
    assert outcome.message == "broken (suite defect: VDC-PIN-001 is not verified here)"


def test_a_parameter_declaring_a_foreign_requirement_is_refused() -> None:
    case = _case(None, verifies=("VDC-NIR-001",), params=lambda: [param("x", 1, "VDC-PIN-001")])
    with pytest.raises(CatalogueError, match=r"TC-NIR-901\[x\]: exercises VDC-PIN-001"):
        case.parameters()


def test_every_declared_parameter_stays_within_its_case() -> None:
    """Loads every parameter of the catalogue (vector files included)."""
    for case in load_catalogue():
        for run in case.parameters():
            assert set(case.exercised(run)) <= set(case.verifies), f"{case.id}[{run.name}]"


def _requirement_verdicts(case: TestCase, outcomes: list[Outcome]) -> dict[str, str]:
    results = build_results(
        designation="ref",
        hello={"name": "x", "version": "1", "profiles": ["verifier"], "operations": []},
        profiles=["verifier"],
        outcomes=outcomes,
        catalogue=[case],
    )
    return {row["id"]: row["verdict"] for row in results["requirements"]}
