"""The interface every implementation-under-test adapter offers to the test cases.

An adapter turns one operation of the driver protocol (spec/harness.md, VDC-HARN) into
whatever reaches the implementation: a function call (`ref`), a JSON line on a pipe
(`stdio:`), APDUs through a reader (`pcsc:`, `nfc:`). Cases see only `call()`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from conformance.outcomes import NotApplicable

Transmit = Callable[[bytes], bytes]
"""A callback serving one APDU: the suite plays the card for a reader under test."""

TIMEOUT_VARIABLE = "VDC_IUT_TIMEOUT"
DEFAULT_TIMEOUT = 10.0


def request_timeout() -> float:
    """Seconds one request (or one APDU behind a reader) may take: $VDC_IUT_TIMEOUT or 10."""
    return float(os.environ.get(TIMEOUT_VARIABLE) or DEFAULT_TIMEOUT)


TRACE_LIMIT = 400
"""Longest trace line kept as evidence, in characters."""


class OperationError(Exception):
    """The implementation answered an operation with a typed error (a normal answer)."""

    def __init__(self, kind: str, message: str = "") -> None:
        super().__init__(f"{kind}: {message}" if message else kind)
        self.kind = kind
        self.message = message


@dataclass(frozen=True, kw_only=True)
class Hello:
    """What the implementation declares about itself (VDC-HARN-002)."""

    name: str
    version: str
    profiles: tuple[str, ...]
    operations: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "profiles": list(self.profiles),
            "operations": list(self.operations),
        }


@dataclass(kw_only=True)
class IutBase:
    """Shared bookkeeping: the exchange trace kept as evidence for the running case."""

    target: str
    trace: list[str] = field(default_factory=list)
    operator_confirmed: bool = False
    """Set while a case runs when an outcome came from what an operator reported."""

    def note(self, direction: str, message: object) -> None:
        text = message if isinstance(message, str) else json.dumps(message, sort_keys=True)
        if len(text) > TRACE_LIMIT:
            text = text[:TRACE_LIMIT] + f"... ({len(text)} characters)"
        self.trace.append(f"{direction} {text}")

    def hello(self) -> Hello:
        raise NotImplementedError

    def call(
        self, operation: str, params: dict[str, Any], *, transmit: Transmit | None = None
    ) -> dict[str, Any]:
        """Run one operation; raise OperationError, NotApplicable or IutFailure."""
        raise NotImplementedError

    def require(self, *operations: str) -> None:
        """Not applicable unless the implementation declared every operation."""
        declared = set(self.hello().operations)
        missing = [operation for operation in operations if operation not in declared]
        if missing:
            raise NotApplicable(f"operation not supported: {', '.join(missing)}")

    def restart(self, operation: str = "holder.restart") -> None:
        """The app or service ends as a killed process does and starts again (VDC-HARN-007).

        In process and behind a reader this is `operation` (`holder.restart`,
        `enrolment.restart`); an adapter that owns the process kills it instead.
        """
        self.require(operation)
        self.call(operation, {})

    def interrupt(
        self, operation: str, params: dict[str, Any], after: float, *, restart: str = ""
    ) -> None:
        """Kill the implementation `after` seconds into `operation` (a process only)."""
        raise NotApplicable("the suite can kill only an implementation it runs as a process")

    def begin_case(self) -> None:
        """Start a case from a clean implementation state (operation `reset`)."""
        self.trace.clear()
        self.operator_confirmed = False
        if "reset" in self.hello().operations:
            self.call("reset", {})

    def close(self) -> None:
        """Release the implementation (end a process, close a reader)."""
