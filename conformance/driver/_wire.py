"""Decoding request parameters and encoding reference values for the wire."""

from __future__ import annotations

from datetime import UTC, datetime
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


def utc(moment: datetime) -> str:
    """An instant as the driver protocol writes it: RFC 3339 in UTC, `Z`, microseconds
    only when not zero (spec/harness.md, VDC-HARN-009)."""
    moment = moment.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}"
    return text + "Z"
