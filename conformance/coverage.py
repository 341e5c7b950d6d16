"""Coverage self-check: every MUST requirement has a test case, no case cites a ghost.

The suite refuses to certify against a specification it does not cover: a MUST or
MUST NOT requirement that no test case verifies is listed as uncovered (reported
"not tested"), and a case that cites an identifier the index does not know is an orphan.
Requirements on the specification documents and vector files themselves (areas SPEC
and VEC) are checked by the repository's own tests, not against an implementation,
so they are outside this check (spec/harness.md, "Test cases and catalogue").

A requirement marked `:verification: inspection` (VDC-SPEC-004) needs no test case: it
is accepted when its `:evidence:` file exists in the repository and cites its
identifier, and it is reported apart as verified by inspection of the reference, never
as passed. Its evidence is checked whenever the repository's tests are at hand (a
source checkout); an installed suite without them lists the evidence unchecked.

A requirement in scope also needs a case that fails when that rule alone is broken: a
case of kind `negative` or `boundary` that exercises it (when the case's parameters
declare their requirements, one of them must name it). A requirement without one is
a negative gap and fails the check (`REQUIRE_NEGATIVE`; false only reports the gaps).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from conformance.catalogue import TestCase
from conformance.requirements import Requirement, SpecIndexError, spec_dir

MANDATORY_LEVELS = ("MUST", "MUST NOT")
OUT_OF_SCOPE_AREAS = ("SPEC", "VEC")
CATCHING_KINDS = ("negative", "boundary")
"""Kinds of case that fail when their rule alone is broken (spec/harness.md)."""
REQUIRE_NEGATIVE = True
"""Whether a requirement without a negative or boundary case fails the self-check."""


@dataclass(frozen=True, kw_only=True)
class Coverage:
    """Result of the self-check."""

    uncovered: tuple[Requirement, ...]
    orphans: tuple[tuple[str, str], ...]  # (test case id, unknown requirement id)
    covered: dict[str, tuple[str, ...]]  # requirement id -> test case ids
    inspected: tuple[Requirement, ...] = ()  # accepted by inspection (VDC-SPEC-004)
    bad_evidence: tuple[tuple[Requirement, str], ...] = field(default=())  # (req, why)
    evidence_checked: bool = True
    without_negative: tuple[Requirement, ...] = ()  # in scope, no negative/boundary case
    require_negative: bool = REQUIRE_NEGATIVE

    @property
    def ok(self) -> bool:
        gaps = self.require_negative and bool(self.without_negative)
        return not self.uncovered and not self.orphans and not self.bad_evidence and not gaps

    def negative_gaps(self) -> list[str]:
        """One line per requirement in scope with no negative or boundary case."""
        return [
            f"no negative case: {r.id} ({r.level}) {r.title} [{r.file}:{r.line}]"
            for r in self.without_negative
        ]

    def problems(self) -> list[str]:
        """One line per problem, for printing."""
        lines = [
            f"uncovered: {r.id} ({r.level}) {r.title} [{r.file}:{r.line}]" for r in self.uncovered
        ]
        lines += [f"orphan: {case} cites unknown requirement {req}" for case, req in self.orphans]
        lines += [
            f"evidence: {r.id} ({r.level}) {r.title} [{r.file}:{r.line}]: {why}"
            for r, why in self.bad_evidence
        ]
        if self.require_negative:
            lines += self.negative_gaps()
        return lines


def repository_root() -> Path | None:
    """The source checkout holding the repository's tests, if the suite runs from one."""
    try:
        root = spec_dir().parent
    except SpecIndexError:
        return None
    return root if (root / "tests").is_dir() else None


def evidence_problem(requirement: Requirement, root: Path) -> str | None:
    """Why the inspection evidence of `requirement` is not acceptable, or None."""
    path = root / requirement.evidence
    if not path.is_file():
        return f"evidence file {requirement.evidence} does not exist"
    if requirement.id not in path.read_text(encoding="utf-8", errors="replace"):
        return f"evidence file {requirement.evidence} does not cite {requirement.id}"
    return None


def mandatory(requirement: Requirement) -> bool:
    """A MUST or MUST NOT requirement on implementations (not on documents or vectors)."""
    return requirement.level in MANDATORY_LEVELS and requirement.area not in OUT_OF_SCOPE_AREAS


def in_scope(requirement: Requirement) -> bool:
    """Whether the self-check demands a test case for this requirement.

    A mandatory requirement verified by inspection (VDC-SPEC-004) needs its evidence
    instead, checked apart.
    """
    return mandatory(requirement) and not requirement.by_inspection


def caught_by(cases: Iterable[TestCase]) -> dict[str, list[str]]:
    """Requirement id -> the negative or boundary cases that exercise it.

    A case whose parameters declare their requirements exercises those (loading its
    parameters, vector files included); any other exercises every requirement it lists.
    """
    caught: dict[str, list[str]] = {}
    for case in cases:
        if case.kind not in CATCHING_KINDS:
            continue
        exercised = {r for run in case.parameters() for r in case.exercised(run)}
        for requirement_id in sorted(exercised):
            caught.setdefault(requirement_id, []).append(case.id)
    return caught


def check_coverage(
    cases: Iterable[TestCase],
    requirements: Sequence[Requirement],
    *,
    root: Path | None = None,
    negative: bool = True,
    require_negative: bool = REQUIRE_NEGATIVE,
) -> Coverage:
    """Compare the catalogue with the requirement index.

    `root` is the repository checkout whose files the inspection evidence names
    (default: the checkout the suite runs from, if any; none means unchecked).
    `negative` false skips the search for negative gaps (it loads every parameter).
    """
    cases = list(cases)
    known = {requirement.id for requirement in requirements}
    covered: dict[str, list[str]] = {}
    orphans: list[tuple[str, str]] = []
    for case in cases:
        for requirement_id in case.verifies:
            if requirement_id in known:
                covered.setdefault(requirement_id, []).append(case.id)
            else:
                orphans.append((case.id, requirement_id))
    base = root if root is not None else repository_root()
    inspected = tuple(r for r in requirements if mandatory(r) and r.by_inspection)
    bad: list[tuple[Requirement, str]] = []
    if base is not None:
        for requirement in inspected:
            problem = evidence_problem(requirement, base)
            if problem is not None:
                bad.append((requirement, problem))
    caught = caught_by(cases) if negative else {}
    return Coverage(
        without_negative=tuple(  # an uncovered requirement is reported as such only
            r
            for r in requirements
            if negative and in_scope(r) and r.id in covered and r.id not in caught
        ),
        require_negative=require_negative and negative,
        uncovered=tuple(r for r in requirements if in_scope(r) and r.id not in covered),
        orphans=tuple(orphans),
        covered={key: tuple(value) for key, value in covered.items()},
        inspected=inspected,
        bad_evidence=tuple(bad),
        evidence_checked=base is not None,
    )
