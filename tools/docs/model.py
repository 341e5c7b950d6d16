"""The facts the traceability matrix is made of, as plain frozen records."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class Citation:
    """A requirement ID cited in a source file (comment or docstring)."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, kw_only=True)
class TestCase:
    """One conformance test case as the catalogue declares it."""

    __test__ = False  # not a pytest class

    id: str
    title: str
    verifies: tuple[str, ...]
    profile: str = ""
    purpose: str = ""
    preconditions: str = ""
    expected: str = ""
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class VectorFlag:
    """A flag of a vector file, the requirement it exercises and how many tests carry it."""

    file: str
    flag: str
    bug_type: str
    description: str
    requirement: str
    count: int


@dataclass(frozen=True, kw_only=True)
class Row:
    """One requirement and everything traced to it."""

    id: str
    level: str
    title: str
    code: tuple[Citation, ...]
    tests: tuple[str, ...]
    vectors: tuple[VectorFlag, ...]
    verdict: str


@dataclass(frozen=True, kw_only=True)
class Matrix:
    """The whole traceability matrix and the problems found while building it."""

    rows: tuple[Row, ...]
    uncovered: tuple[str, ...] = ()
    orphans: tuple[tuple[str, str], ...] = ()
    dead_vector_links: tuple[tuple[str, str], ...] = field(default=())

    def problems(self, *, strict_coverage: bool) -> list[str]:
        """What fails the build: orphan tests always, uncovered MUSTs when strict."""
        found = [f"orphan test case {case}: {why}" for case, why in self.orphans]
        found += [
            f"vector flag {name} names unknown requirement {req}"
            for name, req in self.dead_vector_links
        ]
        if strict_coverage:
            found += [f"MUST requirement {rid} has no test case" for rid in self.uncovered]
        return found
