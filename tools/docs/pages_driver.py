"""The driver-protocol reference, generated from the suite's JSON Schemas.

The schemas under conformance/schemas/ are what the stdio adapter validates every
message against; this page shows them as they are, with a summary of each operation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tools.docs import rst

HEADER = ".. Generated at build time by tools/docs; do not edit.\n"


def _fields(schema: dict[str, Any]) -> str:
    """`name` (type, required) for each top-level property of an object schema."""
    required = set(schema.get("required", []))
    parts = []
    for name, spec in schema.get("properties", {}).items():
        kind = spec.get("type", "any") if isinstance(spec, dict) else "any"
        kind = "/".join(kind) if isinstance(kind, list) else str(kind)
        mark = "" if name in required else ", optional"
        parts.append(f"{rst.literal(name)} ({rst.text(kind)}{mark})")
    return ", ".join(parts) or "none"


def _load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _operations(folder: Path) -> list[list[str]]:
    rows = []
    for params in sorted(folder.glob("*.params.schema.json")):
        op = params.name.removesuffix(".params.schema.json")
        result = folder / f"{op}.result.schema.json"
        rows.append(
            [
                rst.literal(op),
                _fields(_load(params)),
                _fields(_load(result)) if result.is_file() else "no schema",
            ]
        )
    return rows


def _schema_blocks(paths: Iterable[Path], root: Path) -> list[str]:
    parts = []
    for path in paths:
        relative = path.relative_to(root).as_posix()
        parts.append(rst.title(relative, "~"))
        title = _load(path).get("title", "")
        if title:
            parts.append(f"{rst.text(str(title))}\n")
        parts.append(
            rst.directive("code-block", "json", {}, path.read_text(encoding="utf-8").rstrip())
        )
    return parts


def driver_page(schemas: Path, *, chapter: str = "") -> str:
    """The page: envelope, operations table, then every schema in full."""
    parts = [HEADER, rst.title("Driver protocol")]
    intro = (
        "A third-party implementation under test (IUT) is driven through ``--iut "
        "stdio:COMMAND``: the suite starts the program and exchanges one JSON object per "
        "line on its standard input and output. Each request carries an ``id``, an "
        "operation ``op`` and its ``params``; each answer carries the same ``id`` and "
        "either a result or an error. An operation the IUT does not implement is answered "
        "as unsupported, and the test cases that need it are reported not applicable, "
        "never passed."
    )
    parts.append(intro + (f" The normative text is :doc:`{chapter}`." if chapter else "") + "\n")
    harness = schemas / "harness"
    if not harness.is_dir():
        parts.append("The suite ships no driver schemas yet.\n")
        return "\n".join(parts)
    parts.append(rst.title("Operations", "-"))
    parts.append(
        rst.list_table(
            ["operation", "params", "result"], _operations(harness / "op"), widths=[20, 40, 40]
        )
    )
    parts.append(rst.title("Message schemas", "-"))
    parts += _schema_blocks(sorted(harness.glob("*.schema.json")), schemas)
    parts.append(rst.title("Operation schemas", "-"))
    parts += _schema_blocks(sorted((harness / "op").glob("*.schema.json")), schemas)
    others = sorted(schemas.glob("*.schema.json"))
    if others:
        parts.append(rst.title("Catalogue and results schemas", "-"))
        parts.append(
            "The machine-readable test-case catalogue and the results file of a "
            "run, which this site reads for its matrix.\n"
        )
        parts += _schema_blocks(others, schemas)
    return "\n".join(parts)
