"""JSON Schema validation of what an implementation writes, in bounded memory (VDC-HARN-901).

The schemas write a byte string as the ECMA-262 pattern `^([0-9A-Fa-f]{2})*$`. Python's
`re` runs that repeated group with a backtracking stack that grows with the input: about
300 MiB to accept one 4 MiB `transmit` answer. The validators below check that pattern
with a linear scan instead (an even length and hex digits only, the same language), and
quote only the start of a value that does not match.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

HEX_PATTERN = "^([0-9A-Fa-f]{2})*$"
"""The schemas' pattern of a byte string in hexadecimal."""

_HEX_DIGITS = re.compile("[0-9A-Fa-f]*")  # one class, no group: linear, no stack
EXCERPT = 60
"""Characters of a value quoted in an error message."""


def is_hex(text: str) -> bool:
    """True when `text` matches HEX_PATTERN, in linear time and constant memory.

    >>> is_hex("00A4ff"), is_hex("0"), is_hex("0g"), is_hex("")
    (True, False, False, True)
    """
    return len(text) % 2 == 0 and _HEX_DIGITS.fullmatch(text) is not None


def excerpt(value: object) -> str:
    """A short quotation of a value for an error message.

    >>> excerpt("A" * 100)
    "'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'... (100 characters)"
    """
    if isinstance(value, str) and len(value) > EXCERPT:
        return f"{value[:EXCERPT]!r}... ({len(value)} characters)"
    if isinstance(value, (dict, list)):
        return f"a JSON {'object' if isinstance(value, dict) else 'array'}"
    return repr(value)[: EXCERPT + 20]


def _pattern(validator: Any, pattern: str, instance: object, schema: object) -> Iterator[Any]:
    from jsonschema import ValidationError

    if not isinstance(instance, str):
        return
    matched = is_hex(instance) if pattern == HEX_PATTERN else re.search(pattern, instance)
    if not matched:
        yield ValidationError(f"{excerpt(instance)} does not match {pattern!r}")


@cache
def _validator_class() -> Any:
    import jsonschema

    return jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _pattern})


def validator(schema: dict[str, Any]) -> Any:
    """A Draft 2020-12 validator of `schema` checking HEX_PATTERN by a linear scan."""
    return _validator_class()(schema)
