"""Loader of the Wycheproof-style vector files, independent of their generators.

A vector file is validated against the JSON Schema its header names (vectors/schemas/)
before any test reads it, so a malformed file fails loudly instead of testing nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

VECTORS_DIR = Path(__file__).resolve().parent.parent / "vectors"


@dataclass(frozen=True, kw_only=True)
class VectorCase:
    """One test of a vector file with the parameters of its group."""

    file: str
    tc_id: int
    comment: str
    flags: tuple[str, ...]
    result: str
    group: dict[str, Any]
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{self.file}#{self.tc_id}"


def vectors_dir() -> Path:
    """$VDC_VECTORS_DIR, the source tree's vectors/, or the copy shipped in the wheel."""
    override = os.environ.get("VDC_VECTORS_DIR")
    if override:
        return Path(override)
    packaged = Path(__file__).resolve().parent / "_vectors"
    if not VECTORS_DIR.is_dir() and packaged.is_dir():
        return packaged
    return VECTORS_DIR


def flag_requirements(relative: str) -> dict[str, str]:
    """Flag name -> the requirement its note names, for one vector file (unvalidated read)."""
    path = vectors_dir() / relative
    if not path.is_file():
        return {}
    notes = json.loads(path.read_text(encoding="utf-8")).get("notes", {})
    return {name: str(note.get("requirement", "")) for name, note in notes.items()}


def load_document(path: Path) -> dict[str, Any]:
    """Read a vector file and validate it against the schema it names."""
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    schema_path = vectors_dir() / "schemas" / document["schema"]
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    return document


def iter_cases(relative: str) -> Iterator[VectorCase]:
    """Every test of vectors/<relative>, in file order."""
    document = load_document(vectors_dir() / relative)
    for group in document["testGroups"]:
        shared = {key: value for key, value in group.items() if key != "tests"}
        for test in group["tests"]:
            data = {
                key: value
                for key, value in test.items()
                if key not in ("tcId", "comment", "flags", "result")
            }
            yield VectorCase(
                file=relative,
                tc_id=test["tcId"],
                comment=test["comment"],
                flags=tuple(test["flags"]),
                result=test["result"],
                group=shared,
                data=data,
            )
