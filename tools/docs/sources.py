"""Where the matrix gets its facts: code citations, the catalogue, vectors, run results.

Every loader tolerates a part of the project that has not landed yet (no catalogue,
no results file): it returns nothing rather than failing, and the pages say so.
"""

from __future__ import annotations

import importlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from tools.docs.model import Citation, TestCase, VectorFlag

ROOT = Path(__file__).resolve().parents[2]
CODE_ROOTS = ("vitale_ref", "conformance", "tools", "tests")
# The documentation tooling and its tests name IDs only as examples; they implement none.
SKIPPED = ("tools/docs/", "tests/docs/")
_CITED = re.compile(r"\bVDC-([A-Z]+)-(\d{3})(?:\.\.(\d{3}))?\b")


def cited_ids(text: str) -> Iterator[str]:
    """Requirement IDs in a line; a range such as `VDC-<AREA>-001..003` names all three."""
    for match in _CITED.finditer(text):
        first = int(match[2])
        last = int(match[3]) if match[3] else first
        for number in range(first, max(first, last) + 1):
            yield f"VDC-{match[1]}-{number:03d}"


def scan_citations(
    root: Path = ROOT, folders: Iterable[str] = CODE_ROOTS
) -> dict[str, list[Citation]]:
    """Every citation of a requirement ID in the Python files under `folders`."""
    found: dict[str, list[Citation]] = {}
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if relative.startswith(SKIPPED):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for number, line in enumerate(text.splitlines(), start=1):
                for rid in dict.fromkeys(cited_ids(line)):
                    found.setdefault(rid, []).append(Citation(path=relative, line=number))
    return found


def _as_case(entry: dict[str, Any]) -> TestCase:
    verifies = entry.get("verifies", ())
    if isinstance(verifies, str):
        verifies = [part.strip() for part in verifies.split(",") if part.strip()]
    return TestCase(
        id=str(entry["id"]),
        title=str(entry.get("title", "")),
        verifies=tuple(str(v) for v in verifies),
        profile=str(entry.get("profile", "")),
        purpose=str(entry.get("purpose", "")),
        preconditions=str(entry.get("preconditions", "")),
        expected=str(entry.get("expected", "")),
        source=str(entry.get("location", entry.get("source", ""))),
    )


def load_catalogue(path: Path | None = None) -> list[TestCase] | None:
    """The conformance test cases, or None while the suite exports no catalogue.

    `path` (or $VDC_CATALOGUE) names a JSON file as `vitale conformance catalogue --json`
    writes it (an object with a `testCases` list, or the bare list); each case has `id`,
    `title`, `verifies` and optional fields. Without it the declarations are read from
    the conformance package itself.
    """
    override = path
    if override is None and os.environ.get("VDC_CATALOGUE"):
        override = Path(os.environ["VDC_CATALOGUE"])
    if override is not None:
        data: Any = json.loads(override.read_text(encoding="utf-8"))
    else:
        data = _catalogue_from_suite()
        if data is None:
            return None
    if isinstance(data, dict):
        data = data.get("testCases", data.get("test_cases", []))
    cases = [_as_case(entry) for entry in data]
    return sorted(cases, key=lambda case: case.id)


def _catalogue_from_suite() -> Any:
    """The suite's own declarations (`conformance.catalogue`), as plain dictionaries."""
    try:
        catalogue = importlib.import_module("conformance.catalogue")
    except ModuleNotFoundError as error:
        if error.name in ("conformance.catalogue", "conformance.cases"):
            return None
        raise
    return [case.as_dict() for case in catalogue.load_catalogue()]


def vector_documents(vectors: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each vector file (not the schemas) with its parsed JSON, in path order."""
    for path in sorted(vectors.rglob("*.json")):
        relative = path.relative_to(vectors).as_posix()
        if relative.startswith("schemas/"):
            continue
        yield relative, json.loads(path.read_text(encoding="utf-8"))


def vector_flags(vectors: Path) -> list[VectorFlag]:
    """Every flag of every vector file, with the requirement its note names."""
    flags: list[VectorFlag] = []
    for relative, document in vector_documents(vectors):
        counts: Counter[str] = Counter(
            flag
            for group in document.get("testGroups", [])
            for test in group.get("tests", [])
            for flag in test.get("flags", [])
        )
        for name, note in sorted(document.get("notes", {}).items()):
            flags.append(
                VectorFlag(
                    file=relative,
                    flag=name,
                    bug_type=str(note.get("bugType", "")),
                    description=str(note.get("description", "")),
                    requirement=str(note.get("requirement", "")),
                    count=counts[name],
                )
            )
    return flags


def results_path() -> Path:
    """$VDC_RESULTS, or the JSON results of the last `vitale conformance run`."""
    override = os.environ.get("VDC_RESULTS")
    return Path(override) if override else ROOT / "build" / "conformance-report" / "results.json"


def load_run(path: Path) -> dict[str, Any] | None:
    """The results document of the latest conformance run, or None when there is none."""
    if not path.is_file():
        return None
    data: Any = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else None


def run_summary(run: dict[str, Any]) -> str:
    """One line: what was tested, when, and the overall verdict."""
    iut = run.get("iut", {})
    designation = iut.get("designation", "?") if isinstance(iut, dict) else "?"
    verdict = run.get("summary", {}).get("verdict", "no verdict")
    profiles = ", ".join(run.get("profiles", [])) or "no profile"
    return f"{designation} ({profiles}) on {run.get('generated', '?')}: {verdict}"


def case_verdicts(run: dict[str, Any] | None) -> dict[str, str]:
    """Verdict per test case ID in a results document (empty without a run)."""
    if run is None:
        return {}
    return {
        str(entry.get("id")): str(entry.get("verdict", ""))
        for entry in run.get("testCases", [])
        if isinstance(entry, dict)
    }


def load_verdicts(path: Path) -> dict[str, str] | None:
    """Verdict per requirement ID from a results file, or None when there is no run."""
    if not path.is_file():
        return None
    data: Any = json.loads(path.read_text(encoding="utf-8"))
    requirements = data.get("requirements", {}) if isinstance(data, dict) else {}
    if isinstance(requirements, list):
        requirements = {
            str(item.get("id")): item.get("verdict", item.get("outcome", ""))
            for item in requirements
        }
    verdicts: dict[str, str] = {}
    for rid, value in requirements.items():
        verdict = (
            value.get("verdict", value.get("outcome", "")) if isinstance(value, dict) else value
        )
        verdicts[str(rid)] = str(verdict)
    return verdicts
