"""Coverage self-check: every MUST requirement has a test case, no case cites a ghost.

The suite refuses to certify against a specification it does not cover: a MUST or
MUST NOT requirement that no test case verifies is listed as uncovered (reported
"not tested"), and a case that cites an identifier the index does not know is an orphan.
Requirements on the specification documents and vector files themselves (areas SPEC
and VEC) are checked by the repository's own tests, not against an implementation,
so they are outside this check (spec/harness.md, "Test cases and catalogue").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from conformance.catalogue import TestCase
from conformance.requirements import Requirement

MANDATORY_LEVELS = ("MUST", "MUST NOT")
OUT_OF_SCOPE_AREAS = ("SPEC", "VEC")


@dataclass(frozen=True, kw_only=True)
class Coverage:
    """Result of the self-check."""

    uncovered: tuple[Requirement, ...]
    orphans: tuple[tuple[str, str], ...]  # (test case id, unknown requirement id)
    covered: dict[str, tuple[str, ...]]  # requirement id -> test case ids

    @property
    def ok(self) -> bool:
        return not self.uncovered and not self.orphans

    def problems(self) -> list[str]:
        """One line per problem, for printing."""
        lines = [
            f"uncovered: {r.id} ({r.level}) {r.title} [{r.file}:{r.line}]" for r in self.uncovered
        ]
        lines += [f"orphan: {case} cites unknown requirement {req}" for case, req in self.orphans]
        return lines


def in_scope(requirement: Requirement) -> bool:
    """Whether the self-check demands a test case for this requirement."""
    return requirement.level in MANDATORY_LEVELS and requirement.area not in OUT_OF_SCOPE_AREAS


def check_coverage(cases: Iterable[TestCase], requirements: Sequence[Requirement]) -> Coverage:
    """Compare the catalogue with the requirement index."""
    known = {requirement.id for requirement in requirements}
    covered: dict[str, list[str]] = {}
    orphans: list[tuple[str, str]] = []
    for case in cases:
        for requirement_id in case.verifies:
            if requirement_id in known:
                covered.setdefault(requirement_id, []).append(case.id)
            else:
                orphans.append((case.id, requirement_id))
    uncovered = tuple(r for r in requirements if in_scope(r) and r.id not in covered)
    return Coverage(
        uncovered=uncovered,
        orphans=tuple(orphans),
        covered={key: tuple(value) for key, value in covered.items()},
    )
