"""Every JSON form is a closed, described schema (spec/harness.md, VDC-HARN-009, VDC-VEC-002).

The walk visits every node of every schema, nested ones and the alternatives of a
oneOf included: an object node must close itself (`additionalProperties: false`, or a
map whose keys are constrained by `propertyNames`; the envelope's `params` and `result`
say which operation schema closes them), and under conformance/schemas/harness
every property must carry a description. The rendered page spec/harness-forms.md must be
current. A keyword whose subschemas the walk does not enter (`$ref`, `if`, a list of
`items`, ...) is refused, so that "every object" stays every object.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance import protocol
from conformance.vectors import vectors_dir

ROOT = Path(__file__).resolve().parents[2]
HARNESS = ROOT / "conformance" / "schemas" / "harness"
_OBJECT_KEYWORDS = ("properties", "required", "additionalProperties", "propertyNames")


def _nodes(node: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object of a document, with a JSON-pointer-like path."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if key in ("properties", "$defs"):
                for name, child in value.items():
                    yield from _nodes(child, f"{path}/{key}/{name}")
            elif key in ("items", "additionalProperties", "propertyNames", "not"):
                yield from _nodes(value, f"{path}/{key}")
            elif key in ("oneOf", "anyOf", "allOf", "prefixItems"):
                for number, child in enumerate(value):
                    yield from _nodes(child, f"{path}/{key}/{number}")


_UNWALKED_KEYWORDS = frozenset(
    {
        "$ref",
        "$dynamicRef",
        "definitions",
        "dependencies",
        "dependentSchemas",
        "patternProperties",
        "if",
        "then",
        "else",
        "contains",
        "additionalItems",
        "unevaluatedItems",
        "unevaluatedProperties",
    }
)
"""Keywords that hold subschemas the walk does not enter: refused, so no object escapes it."""


def unwalked(document: Any) -> list[str]:
    """The paths of subschemas the walk would not visit (and so could not check)."""
    found = []
    for path, node in _nodes(document):
        found += [f"{path}/{key}" for key in sorted(_UNWALKED_KEYWORDS & set(node))]
        if isinstance(node.get("items"), list):
            found.append(f"{path}/items")
    return found


def _is_object(node: dict[str, Any]) -> bool:
    kind = node.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return "object" in kinds or any(key in node for key in _OBJECT_KEYWORDS)


def open_objects(document: Any) -> list[str]:
    """The paths of object schemas that let an unknown member through."""
    found = []
    for path, node in _nodes(document):
        if not _is_object(node):
            continue
        extra = node.get("additionalProperties", True)
        closed = extra is False or (isinstance(extra, dict) and "propertyNames" in node)
        # The envelope's params and result: each operation's own schema closes them.
        closed = closed or str(node.get("$comment", "")).startswith("closed by op/")
        if not closed:
            found.append(path)
    return found


def undescribed(document: Any) -> list[str]:
    """The paths of properties without a description."""
    missing = []
    for path, node in _nodes(document):
        for name, child in node.get("properties", {}).items() if _is_object(node) else ():
            if not isinstance(child, dict) or not child.get("description"):
                missing.append(f"{path}/properties/{name}")
    return missing


def _schema_files() -> list[Path]:
    folders = (ROOT / "conformance" / "schemas", vectors_dir() / "schemas")
    return sorted(path for folder in folders for path in folder.rglob("*.schema.json"))


@pytest.mark.parametrize("path", _schema_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_object_is_closed(path: Path) -> None:
    """VDC-VEC-002 and VDC-HARN-005: a misspelt member is an error, at any depth."""
    document = json.loads(path.read_text(encoding="utf-8"))
    assert unwalked(document) == []
    assert open_objects(document) == []


@pytest.mark.parametrize(
    "path", sorted(HARNESS.rglob("*.schema.json")), ids=lambda p: p.relative_to(HARNESS).as_posix()
)
def test_every_property_is_described(path: Path) -> None:
    """Every member of every driver message says what it is."""
    assert undescribed(json.loads(path.read_text(encoding="utf-8"))) == []


def test_the_walk_finds_open_nested_objects() -> None:
    """The check itself: open objects inside items, oneOf and maps are found, and a
    subschema the walk cannot enter is refused rather than skipped."""
    document = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "steps": {"type": "array", "items": {"type": "object", "required": ["event"]}},
            "choice": {"oneOf": [{"type": "object", "properties": {"a": {}}}]},
            "map": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    }
    assert open_objects(document) == [
        "#/properties/steps/items",
        "#/properties/choice/oneOf/0",
        "#/properties/map",
    ]
    assert unwalked(document) == []
    hidden = {"if": {"type": "object"}, "items": [{"type": "object"}], "$ref": "#/$defs/x"}
    assert unwalked({"properties": {"a": hidden}}) == [
        "#/properties/a/$ref",
        "#/properties/a/if",
        "#/properties/a/items",
    ]
    assert undescribed(document) == [
        "#/properties/steps",
        "#/properties/choice",
        "#/properties/map",
        "#/properties/choice/oneOf/0/properties/a",
    ]


def test_forms_page_is_current() -> None:
    """spec/harness-forms.md renders the shipped schemas (python -m conformance.protocol)."""
    assert protocol.FORMS_PAGE.read_text(encoding="utf-8") == protocol.forms_page()


def test_every_operation_has_its_error_kinds_and_schemas() -> None:
    """The operations of the error-kind table are operations of the protocol."""
    assert set(protocol.ERROR_KINDS) <= set(protocol.OPERATIONS)
