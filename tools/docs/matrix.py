"""Joins requirements with code citations, test cases, vectors and verdicts.

A requirement the conformance self-check demands a test case for (level MUST or MUST
NOT, outside the areas the repository's own tests verify: `conformance.coverage.in_scope`)
and that has none is uncovered; a test case that verifies no known requirement (none at
all, or an unknown ID) is an orphan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from conformance.coverage import in_scope
from conformance.requirements import Requirement
from tools.docs.model import Citation, Matrix, Row, TestCase, VectorFlag

NO_RUN = "no run"
NOT_TESTED = "not tested"


def build_matrix(
    requirements: Sequence[Requirement],
    *,
    citations: Mapping[str, Sequence[Citation]],
    cases: Iterable[TestCase],
    vectors: Iterable[VectorFlag],
    verdicts: Mapping[str, str] | None,
) -> Matrix:
    """The matrix row by row in specification order, and what is wrong with it."""
    known = {r.id for r in requirements}
    tests: dict[str, list[str]] = {}
    orphans: list[tuple[str, str]] = []
    for case in cases:
        unknown = [rid for rid in case.verifies if rid not in known]
        if not case.verifies:
            orphans.append((case.id, "verifies no requirement"))
        elif unknown:
            orphans.append((case.id, f"verifies unknown {', '.join(unknown)}"))
        for rid in case.verifies:
            tests.setdefault(rid, []).append(case.id)
    by_requirement: dict[str, list[VectorFlag]] = {}
    dead: list[tuple[str, str]] = []
    for flag in vectors:
        if flag.requirement not in known:
            dead.append((f"{flag.file}#{flag.flag}", flag.requirement))
        by_requirement.setdefault(flag.requirement, []).append(flag)
    rows = []
    for requirement in requirements:
        rid = requirement.id
        verdict = NO_RUN if verdicts is None else verdicts.get(rid, NOT_TESTED)
        rows.append(
            Row(
                id=rid,
                level=requirement.level,
                title=requirement.title,
                code=tuple(citations.get(rid, ())),
                tests=tuple(sorted(set(tests.get(rid, ())))),
                vectors=tuple(by_requirement.get(rid, ())),
                verdict=verdict,
            )
        )
    scope = {r.id for r in requirements if in_scope(r)}
    uncovered = tuple(row.id for row in rows if row.id in scope and not row.tests)
    return Matrix(
        rows=tuple(rows),
        uncovered=uncovered,
        orphans=tuple(sorted(orphans)),
        dead_vector_links=tuple(sorted(dead)),
    )
