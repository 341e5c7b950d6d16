"""Lint the specification: every error name in use is defined, every chapter orders its checks.

An error name is defined when it appears (in backticks) in the first column of a table of
a spec/ chapter whose first header is `error`, `reason` or `kind`. It is in use when a
vector file names it (`errorType`, `refused`, `reason`, the NIR `error` and `component`),
when the driver protocol lists it as an error kind of an operation, or when the
operations table of spec/harness.md names it. A chapter holding such a table must also
hold a requirement whose title speaks of an order, stating in which order its checks run.
No chapter names a module of the reference implementation: the specification defines,
the reference follows.

Usage: python tools/spec_lint.py   (exit 1 and one line per problem when it fails)
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec"
VECTORS = ROOT / "vectors"
_TABLE_HEADERS = {"error", "reason", "kind"}
_TICKED = re.compile(r"`([^`]+)`")
_REQ_TITLE = re.compile(r"^```\{req\}\s*(.+)$", re.MULTILINE)
GENERAL_KINDS = ("bad_request", "not_set_up", "internal")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def error_tables(text: str) -> Iterator[list[str]]:
    """The first cells of the rows of every error table of a chapter."""
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if not line.startswith("|") or number + 1 >= len(lines):
            continue
        if not lines[number + 1].startswith("| ---"):
            continue
        if number and lines[number - 1].startswith("|"):
            continue  # a row, not a header
        if _cells(line)[0].strip("`").lower() not in _TABLE_HEADERS:
            continue
        rows = []
        for row in lines[number + 2 :]:
            if not row.startswith("|"):
                break
            rows.append(_cells(row)[0])
        yield rows


def defined_names(spec: Path = SPEC) -> dict[str, set[str]]:
    """Error name -> the chapters whose tables define it."""
    found: dict[str, set[str]] = {}
    for chapter in sorted(spec.glob("*.md")):
        for rows in error_tables(chapter.read_text(encoding="utf-8")):
            for cell in rows:
                for name in _TICKED.findall(cell):
                    found.setdefault(name, set()).add(chapter.name)
    return found


def _walk(node: object) -> Iterator[dict[str, object]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def vector_names(vectors: Path = VECTORS) -> dict[str, set[str]]:
    """Error name -> the vector files using it."""
    used: dict[str, set[str]] = {}
    for path in sorted(vectors.rglob("*.json")):
        if "schemas" in path.parts:
            continue
        document = json.loads(path.read_text(encoding="utf-8"))
        for node in _walk(document.get("testGroups", [])):
            names = [node.get(key) for key in ("errorType", "refused")]
            if "outcome" in node:  # a code operation of the OTP vectors
                names.append(node.get("reason"))
            if "nir" in node and node.get("error"):
                component = node.get("component")
                names.append(node["error"])
                if component:
                    names.append(f"component:{component}")
            for name in names:
                if isinstance(name, str) and name:
                    used.setdefault(name, set()).add(path.relative_to(vectors).as_posix())
    return used


def protocol_names() -> dict[str, set[str]]:
    """Error name -> the driver operations that may answer it."""
    from conformance.protocol import ERROR_KINDS

    used: dict[str, set[str]] = {kind: {"every operation"} for kind in GENERAL_KINDS}
    for operation, kinds in ERROR_KINDS.items():
        for kind in kinds:
            used.setdefault(kind, set()).add(operation)
    return used


def harness_table_names(spec: Path = SPEC) -> dict[str, set[str]]:
    """Error name -> the operations whose row of spec/harness.md names it."""
    used: dict[str, set[str]] = {}
    text = (spec / "harness.md").read_text(encoding="utf-8")
    for line in text.splitlines():
        cells = _cells(line) if line.startswith("| `") else []
        if len(cells) != 4:
            continue
        for name in _TICKED.findall(cells[3]):
            if "<" not in name and "." not in name and " " not in name:
                used.setdefault(name, set()).add(cells[0].strip("`"))
    return used


def ordered_chapters(spec: Path = SPEC) -> list[str]:
    """Chapters with an error table but no requirement stating an order of checks."""
    missing = []
    for chapter in sorted(spec.glob("*.md")):
        text = chapter.read_text(encoding="utf-8")
        if not any(error_tables(text)):
            continue
        titles = _REQ_TITLE.findall(text)
        if not any("order" in title.lower() for title in titles):
            missing.append(chapter.name)
    return missing


def problems(spec: Path = SPEC, vectors: Path = VECTORS) -> list[str]:
    defined = defined_names(spec)
    found = []
    for source, used in (
        ("vectors", vector_names(vectors)),
        ("driver protocol", protocol_names()),
        ("spec/harness.md operations table", harness_table_names(spec)),
    ):
        for name, where in sorted(used.items()):
            if name not in defined:
                found.append(
                    f"{source}: error name {name!r} ({', '.join(sorted(where))}) "
                    "is defined in no chapter's error table"
                )
    for chapter in ordered_chapters(spec):
        found.append(f"spec/{chapter}: an error table but no requirement stating the order")
    for path in sorted(spec.glob("*.md")):
        if "vitale_ref" in path.read_text(encoding="utf-8"):
            found.append(f"spec/{path.name}: names a module of the reference implementation")
    return found


def main() -> int:
    found = problems()
    for problem in found:
        print(problem, file=sys.stderr)
    print(f"{len(defined_names())} error names defined; {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
