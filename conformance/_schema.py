"""Building blocks of the driver protocol's JSON Schemas (spec/harness.md, VDC-HARN-005).

Every object is closed (`additionalProperties: false`) and every property carries a
`description`, so that the schema files alone tell an implementer what each member is;
tests/conformance/test_conformance_schemas.py holds the schemas to both rules.
"""

from __future__ import annotations

from typing import Any

from conformance._validator import HEX_PATTERN

Schema = dict[str, Any]

INSTANT_PATTERN = (
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?"
    "(Z|[+-][0-9]{2}:[0-9]{2})$"
)


def described(schema: Schema, description: str) -> Schema:
    """`schema` with its description (a property's meaning, in the spec's words)."""
    return {**schema, "description": description}


def hex_bytes(description: str, *, min_bytes: int = 0, max_bytes: int | None = None) -> Schema:
    """A byte string in hexadecimal, either case, two digits per byte."""
    schema: Schema = {"type": "string", "pattern": HEX_PATTERN}
    if min_bytes:
        schema["minLength"] = 2 * min_bytes
    if max_bytes is not None:
        schema["maxLength"] = 2 * max_bytes
    return described(schema, description)


def instant(description: str) -> Schema:
    """An RFC 3339 instant with its offset, seconds required, at most microseconds."""
    return described({"type": "string", "pattern": INSTANT_PATTERN}, description)


def text(description: str, **constraints: Any) -> Schema:
    return described({"type": "string", **constraints}, description)


def integer(description: str, **constraints: Any) -> Schema:
    return described({"type": "integer", **constraints}, description)


def boolean(description: str) -> Schema:
    return described({"type": "boolean"}, description)


def array(items: Schema, description: str, **constraints: Any) -> Schema:
    return described({"type": "array", "items": items, **constraints}, description)


def closed(
    properties: dict[str, Schema],
    required: list[str] | None = None,
    *,
    description: str | None = None,
) -> Schema:
    """An object with exactly these members (all required unless `required` says)."""
    schema: Schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }
    return schema if description is None else described(schema, description)


def tagged(tag: str, value: str, members: dict[str, Schema], description: str) -> Schema:
    """One alternative of a tagged union: `tag` holds the constant `value`."""
    properties = {tag: described({"const": value}, f"always {value}"), **members}
    optional = [name for name, schema in members.items() if schema.get("optional")]
    cleaned = {
        name: {k: v for k, v in s.items() if k != "optional"} for name, s in properties.items()
    }
    required = [name for name in properties if name not in optional]
    return closed(cleaned, required, description=description)


def optional(schema: Schema) -> Schema:
    """Marks a member of a `tagged` alternative as optional."""
    return {**schema, "optional": True}


RPPS = text("an 11-digit RPPS number of a practitioner (VDC-PKI-031)", pattern="^[0-9]{11}$")
ELEMENT_ID = integer("an element identifier of the VDC-CRED table", minimum=1, maximum=127)
