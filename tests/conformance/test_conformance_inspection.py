"""Requirements verified by inspection of the reference (VDC-SPEC-004).

The index parses `:verification:` and `:evidence:`, the coverage self-check accepts an
inspected requirement only while its evidence file exists and cites it, and the reports
list it apart, never as passed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.catalogue import TestCase
from conformance.coverage import check_coverage
from conformance.reports import render_html
from conformance.reports._results import build_results, summary_table
from conformance.requirements import SpecIndexError, index_as_json, load_requirements

SPEC = """# Synthetic chapter

```{req} Tested rule
:id: VDC-PIN-901
:level: MUST

The device MUST count tries.
```

```{req} Crash rule
:id: VDC-PIN-902
:level: MUST
:verification: inspection
:evidence: tests/device/test_synthetic_crash.py

A torn write MUST leave the previous state.
```
"""


def _case(case_id: str, *verifies: str) -> TestCase:
    return TestCase(
        id=case_id,
        title="synthetic",
        purpose="synthetic",
        verifies=verifies,
        profile="holder",
        preconditions="none",
        expected="synthetic",
        kind="negative",  # the self-check also asks each rule for a negative case
    )


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "synthetic.md").write_text(SPEC, encoding="utf-8")
    (tmp_path / "tests" / "device").mkdir(parents=True)
    return tmp_path


def _evidence(root: Path, text: str) -> None:
    (root / "tests" / "device" / "test_synthetic_crash.py").write_text(text, encoding="utf-8")


def test_fields_are_parsed(repository: Path) -> None:
    tested, inspected = load_requirements(repository / "spec")
    assert (tested.verification, tested.evidence, tested.by_inspection) == ("test", "", False)
    assert inspected.verification == "inspection"
    assert inspected.evidence == "tests/device/test_synthetic_crash.py"
    assert inspected.by_inspection
    exported = index_as_json([tested, inspected])
    assert exported.count('"verification"') == 1
    assert '"evidence": "tests/device/test_synthetic_crash.py"' in exported


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        (":verification: review", "verification 'review' is not one of ('test', 'inspection')"),
        (":verification: inspection", "verification by inspection names no :evidence:"),
        (":evidence: tests/x.py", ":evidence: is only for verification by inspection"),
        (
            ":verification: inspection\n:evidence: ../outside.py",
            "evidence '../outside.py' must be a path inside the repository",
        ),
    ],
)
def test_malformed_fields_are_refused(tmp_path: Path, options: str, problem: str) -> None:
    text = f"```{{req}} Rule\n:id: VDC-PIN-903\n:level: MUST\n{options}\n\nIt MUST hold.\n```\n"
    (tmp_path / "bad.md").write_text(text, encoding="utf-8")
    with pytest.raises(SpecIndexError) as raised:
        load_requirements(tmp_path)
    assert raised.value.problems == [f"bad.md:1: VDC-PIN-903: {problem}"]


def test_inspection_accepted_only_with_citing_evidence(repository: Path) -> None:
    requirements = load_requirements(repository / "spec")
    cases = [_case("TC-PIN-901", "VDC-PIN-901")]
    missing = check_coverage(cases, requirements, root=repository)
    assert not missing.ok
    assert missing.problems() == [
        "evidence: VDC-PIN-902 (MUST) Crash rule [synthetic.md:10]: evidence file "
        "tests/device/test_synthetic_crash.py does not exist"
    ]
    _evidence(repository, '"""Crash tests (VDC-PIN-999)."""\n')
    silent = check_coverage(cases, requirements, root=repository)
    assert silent.problems() == [
        "evidence: VDC-PIN-902 (MUST) Crash rule [synthetic.md:10]: evidence file "
        "tests/device/test_synthetic_crash.py does not cite VDC-PIN-902"
    ]
    _evidence(repository, '"""Crash tests (VDC-PIN-902)."""\n')
    accepted = check_coverage(cases, requirements, root=repository)
    assert accepted.ok
    assert [r.id for r in accepted.inspected] == ["VDC-PIN-902"]
    assert accepted.uncovered == ()


def test_reports_list_inspection_apart_never_as_passed(repository: Path) -> None:
    _evidence(repository, '"""Crash tests (VDC-PIN-902)."""\n')
    requirements = load_requirements(repository / "spec")
    results = build_results(
        designation="ref",
        hello={"name": "x", "version": "1", "profiles": ["holder"], "operations": []},
        profiles=["holder"],
        outcomes=[],
        catalogue=[_case("TC-PIN-901", "VDC-PIN-901")],
        requirements=requirements,
    )
    row = next(r for r in results["requirements"] if r["id"] == "VDC-PIN-902")
    assert (row["verification"], row["verdict"]) == ("inspection", "not_tested")
    assert results["summary"]["inspected"] == 1
    assert results["summary"]["requirements"]["pass"] == 0
    assert results["coverage"]["inspected"] == ["VDC-PIN-902"]
    assert (
        "1 MUST requirements are verified by inspection of the reference, not by this run "
        "(listed in the report)"
    ) in summary_table(results)
    html = render_html(results)
    assert "<h2>Requirements verified by inspection of the reference</h2>" in html
    assert "<code>tests/device/test_synthetic_crash.py</code>" in html
    assert '<td class="inspection">verified by inspection of the reference</td>' in html


def test_real_inspection_evidence_exists_and_cites() -> None:
    """Every requirement the specification marks for inspection has its evidence here."""
    coverage = check_coverage([], load_requirements())
    assert coverage.evidence_checked
    assert coverage.bad_evidence == ()
    assert len(coverage.inspected) >= 1
