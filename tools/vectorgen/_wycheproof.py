"""Builders shared by the generators: the Wycheproof file layout and its JSON Schema.

A vector file is `{algorithm, schema, generatorVersion, numberOfTests, header, notes,
testGroups: [{...shared parameters..., tests: [{tcId, comment, flags, ...inputs...,
result}]}]}`; `notes` maps every flag used to its bug type, description and the
requirement the flagged vectors exercise (VDC-VEC-001).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

GENERATOR_VERSION = "1"


@dataclass(frozen=True, kw_only=True)
class Flag:
    """What a flag on a vector means."""

    bug_type: str
    description: str
    requirement: str

    def as_note(self) -> dict[str, str]:
        return {
            "bugType": self.bug_type,
            "description": self.description,
            "requirement": self.requirement,
        }


def document(
    *,
    algorithm: str,
    schema: str,
    header: Sequence[str],
    notes: Mapping[str, Flag],
    groups: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """A vector file; tcIds are numbered from 1 in file order, flags must all have notes."""
    numbered: list[dict[str, Any]] = []
    tc_id = 0
    for group in groups:
        tests = []
        for test in group["tests"]:
            tc_id += 1
            unknown = set(test["flags"]) - set(notes)
            if unknown:
                raise ValueError(f"flags without a note: {sorted(unknown)}")
            tests.append(
                {
                    "tcId": tc_id,
                    "comment": test["comment"],
                    "flags": list(test["flags"]),
                    **{k: v for k, v in test.items() if k not in ("comment", "flags", "result")},
                    "result": test["result"],
                }
            )
        numbered.append({**{k: v for k, v in group.items() if k != "tests"}, "tests": tests})
    return {
        "algorithm": algorithm,
        "schema": schema,
        "generatorVersion": GENERATOR_VERSION,
        "numberOfTests": tc_id,
        "header": list(header),
        "notes": {name: flag.as_note() for name, flag in sorted(notes.items())},
        "testGroups": numbered,
    }


def schema(
    *,
    title: str,
    group_properties: Mapping[str, Any],
    test_properties: Mapping[str, Any],
) -> dict[str, Any]:
    """The JSON Schema of one vector file kind; every object is closed."""
    test = {
        "type": "object",
        "additionalProperties": False,
        "required": ["tcId", "comment", "flags", "result", *test_properties],
        "properties": {
            "tcId": {"type": "integer", "minimum": 1},
            "comment": {"type": "string"},
            "flags": {"type": "array", "items": {"type": "string"}},
            "result": {"enum": ["valid", "invalid", "acceptable"]},
            **test_properties,
        },
    }
    group = {
        "type": "object",
        "additionalProperties": False,
        "required": ["tests", *group_properties],
        "properties": {**group_properties, "tests": {"type": "array", "items": test}},
    }
    note = {
        "type": "object",
        "additionalProperties": False,
        "required": ["bugType", "description", "requirement"],
        "properties": {
            "bugType": {"type": "string"},
            "description": {"type": "string"},
            "requirement": {"type": "string", "pattern": "^VDC-[A-Z]+-[0-9]{3}$"},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "type": "object",
        "additionalProperties": False,
        "required": [
            "algorithm",
            "schema",
            "generatorVersion",
            "numberOfTests",
            "header",
            "notes",
            "testGroups",
        ],
        "properties": {
            "algorithm": {"type": "string"},
            "schema": {"type": "string"},
            "generatorVersion": {"type": "string"},
            "numberOfTests": {"type": "integer", "minimum": 1},
            "header": {"type": "array", "items": {"type": "string"}},
            "notes": {
                "type": "object",
                "propertyNames": {"pattern": "^[A-Za-z][A-Za-z0-9]*$"},
                "additionalProperties": note,
            },
            "testGroups": {"type": "array", "minItems": 1, "items": group},
        },
    }


HEX = {"type": "string", "pattern": "^([0-9a-f]{2})*$"}
"""Schema of a byte string written as lower-case hexadecimal."""
