"""Small assertions shared by the test cases; each failure carries expected and got."""

from __future__ import annotations

from typing import Any

from conformance.adapters import IutBase, OperationError
from conformance.outcomes import CaseFailure


def accepted(
    iut: IutBase, operation: str, params: dict[str, Any], *, note: str = ""
) -> dict[str, Any]:
    """Run the operation and require a result (not an error); `note` says what the
    input holds that an implementation may have misread."""
    try:
        return iut.call(operation, params)
    except OperationError as error:
        raise CaseFailure(
            f"{operation} refused a valid input: the answer is an error, not a result"
            + (f" ({note})" if note else ""),
            expected="a result of the operation's result schema",
            got=f"error kind {error.kind}: {error.message}",
        ) from None


def refused(
    iut: IutBase, operation: str, params: dict[str, Any], kind: str, *, note: str = ""
) -> OperationError:
    """Run the operation and require an error of exactly `kind`."""
    why = f" ({note})" if note else ""
    try:
        result = iut.call(operation, params)
    except OperationError as error:
        if error.kind != kind:
            raise CaseFailure(
                f"{operation} error.kind differs: refused for another reason{why}",
                expected=f"error kind {kind}",
                got=f"error kind {error.kind}: {error.message}",
            ) from None
        return error
    raise CaseFailure(
        f"{operation} accepted an invalid input: the answer is a result, not an error{why}",
        expected=f"error kind {kind}",
        got=f"result {result}"[:300],
    )
