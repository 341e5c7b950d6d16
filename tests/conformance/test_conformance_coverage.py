"""The coverage self-check on a synthetic specification and on the real one (spec/harness.md)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from conformance.catalogue import TestCase, load_catalogue, param
from conformance.coverage import check_coverage
from conformance.requirements import Requirement, load_requirements

SPEC = """# Synthetic chapter

```{req} Length
:id: VDC-NIR-901
:level: MUST

The number MUST have fifteen characters.
```

```{req} No provisional numbers
:id: VDC-NIR-902
:level: MUST NOT

A credential MUST NOT carry a provisional number.
```

```{req} Display grouping
:id: VDC-NIR-903
:level: SHOULD

A number SHOULD be grouped for display.
```

```{req} Spec rule
:id: VDC-SPEC-901
:level: MUST

Each statement MUST have an identifier.
```
"""


def _case(case_id: str, *verifies: str, kind: str = "negative") -> TestCase:
    return TestCase(
        id=case_id,
        title="synthetic",
        purpose="synthetic",
        verifies=verifies,
        profile="verifier",
        preconditions="none",
        expected="synthetic",
        kind=kind,
    )


@pytest.fixture
def requirements(tmp_path: Path) -> list[Requirement]:
    (tmp_path / "synthetic.md").write_text(SPEC, encoding="utf-8")
    return load_requirements(tmp_path)


def test_full_coverage_passes(requirements: list[Requirement]) -> None:
    """Every MUST and MUST NOT covered; SHOULD and SPEC rules are not demanded."""
    coverage = check_coverage(
        [_case("TC-NIR-901", "VDC-NIR-901"), _case("TC-NIR-902", "VDC-NIR-902")], requirements
    )
    assert coverage.ok
    assert coverage.problems() == []
    assert coverage.covered == {"VDC-NIR-901": ("TC-NIR-901",), "VDC-NIR-902": ("TC-NIR-902",)}


def test_removing_a_link_fails_and_names_the_requirement(
    requirements: list[Requirement],
) -> None:
    """Dropping the only link to VDC-NIR-902 makes the self-check fail with that ID."""
    cases = [_case("TC-NIR-901", "VDC-NIR-901"), _case("TC-NIR-902", "VDC-NIR-902")]
    cases[1] = dataclasses.replace(cases[1], verifies=("VDC-NIR-901",))
    coverage = check_coverage(cases, requirements)
    assert not coverage.ok
    assert coverage.problems() == [
        "uncovered: VDC-NIR-902 (MUST NOT) No provisional numbers [synthetic.md:10]"
    ]


def test_orphan_citation_fails(requirements: list[Requirement]) -> None:
    cases = [_case("TC-NIR-901", "VDC-NIR-901", "VDC-NIR-999"), _case("TC-NIR-902", "VDC-NIR-902")]
    coverage = check_coverage(cases, requirements)
    assert not coverage.ok
    assert coverage.problems() == ["orphan: TC-NIR-901 cites unknown requirement VDC-NIR-999"]


def test_real_catalogue_cites_only_existing_requirements() -> None:
    coverage = check_coverage(load_catalogue(), load_requirements())
    assert coverage.orphans == ()


def test_real_catalogue_link_removal_is_detected() -> None:
    """Removing every link to a covered requirement of the real suite makes it uncovered."""
    cases = load_catalogue()
    requirements = load_requirements()
    before = check_coverage(cases, requirements)
    target = "VDC-NIR-016"
    assert target in before.covered
    stripped = [
        dataclasses.replace(
            c, verifies=tuple(r for r in c.verifies if r != target) or ("VDC-NIR-001",)
        )
        for c in cases
    ]
    # The stripped cases' parameters still name the requirement: no negative search.
    after = check_coverage(stripped, requirements, negative=False)
    assert target in {r.id for r in after.uncovered}
    assert f"uncovered: {target} (MUST)" in "\n".join(after.problems())


def test_every_mandatory_requirement_is_covered() -> None:
    """Strict self-check: every MUST and MUST NOT requirement in scope has a test case,
    or is verified by inspection with an existing evidence file citing it (VDC-SPEC-004).

    The failure message lists each uncovered requirement, as `vitale conformance check`.
    """
    coverage = check_coverage(load_catalogue(), load_requirements())
    assert coverage.problems() == [], "\n".join(coverage.problems())
    assert coverage.ok


def test_a_requirement_with_positive_cases_only_is_a_negative_gap(
    requirements: list[Requirement],
) -> None:
    """Item 2 of the suite's power: a MUST needs a case that fails when it alone breaks."""
    cases = [
        _case("TC-NIR-901", "VDC-NIR-901", kind="boundary"),
        _case("TC-NIR-902", "VDC-NIR-902", kind="positive"),
    ]
    reported = check_coverage(cases, requirements, require_negative=False)
    assert [r.id for r in reported.without_negative] == ["VDC-NIR-902"]
    assert reported.negative_gaps() == [
        "no negative case: VDC-NIR-902 (MUST NOT) No provisional numbers [synthetic.md:10]"
    ]
    assert reported.ok  # reported, not required
    strict = check_coverage(cases, requirements, require_negative=True)
    assert not strict.ok
    assert strict.problems() == reported.negative_gaps()


def test_a_negative_case_counts_for_what_its_parameters_exercise(
    requirements: list[Requirement],
) -> None:
    """A negative case whose parameters declare requirements covers those alone."""
    narrowed = dataclasses.replace(
        _case("TC-NIR-903", "VDC-NIR-901", "VDC-NIR-902"),
        params=lambda: [param("short", "1", "VDC-NIR-901")],
    )
    coverage = check_coverage([narrowed], requirements, require_negative=True)
    assert [r.id for r in coverage.without_negative] == ["VDC-NIR-902"]
    undeclared = dataclasses.replace(narrowed, params=lambda: [("short", "1")])
    assert check_coverage([undeclared], requirements, require_negative=True).ok


def test_check_command_lists_the_negative_gaps() -> None:
    from click.testing import CliRunner

    from conformance.cli import command

    result = CliRunner().invoke(command, ["check"])
    coverage = check_coverage(load_catalogue(), load_requirements())
    for line in coverage.negative_gaps():
        assert line in result.output
    assert (result.exit_code == 0) is coverage.ok
