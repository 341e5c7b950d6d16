"""Decoding request parameters and encoding reference values for the wire."""

from __future__ import annotations

import dataclasses
import enum
from datetime import datetime
from functools import cache
from typing import Any

from conformance import protocol
from conformance.driver._state import DriverError


def unhex(params: dict[str, Any], name: str) -> bytes:
    """A hex parameter as bytes; a malformed one is a bad request."""
    try:
        return bytes.fromhex(str(params[name]))
    except (KeyError, ValueError):
        raise DriverError("bad_request", f"parameter {name} must be hexadecimal") from None


def instant(params: dict[str, Any], name: str = "now") -> datetime:
    """An ISO 8601 UTC instant parameter."""
    try:
        value = datetime.fromisoformat(str(params[name]))
    except (KeyError, ValueError):
        raise DriverError("bad_request", f"parameter {name} must be an ISO 8601 instant") from None
    if value.tzinfo is None:
        raise DriverError("bad_request", f"parameter {name} must carry a time zone")
    return value


def jsonable(value: object) -> Any:
    """Plain JSON for a reference value (dataclasses, enums, tuples, bytes)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(jsonable(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return value.hex().upper()
    if isinstance(value, datetime):
        return value.isoformat()
    return value


@cache
def _params_validator(operation: str) -> Any:
    from conformance._validator import validator

    entry = protocol.OPERATIONS.get(operation)
    return None if entry is None else validator(entry[0])


def check_params(operation: str, params: dict[str, Any]) -> None:
    """Parameters outside the operation's schema are a bad request (VDC-HARN-005)."""
    checker = _params_validator(operation)
    if checker is None:
        return
    for error in checker.iter_errors(params):
        where = "/".join(str(part) for part in error.absolute_path) or "params"
        raise DriverError("bad_request", f"{where}: {error.message[:200]}")
