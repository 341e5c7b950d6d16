"""Small assertions shared by the test cases; each failure carries expected and got."""

from __future__ import annotations

from typing import Any

from conformance.adapters import IutBase, OperationError
from conformance.outcomes import CaseFailure


def accepted(iut: IutBase, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """Run the operation and require a result (not an error)."""
    try:
        return iut.call(operation, params)
    except OperationError as error:
        raise CaseFailure(
            f"{operation} refused a valid input",
            expected="accepted",
            got=f"error {error.kind}: {error.message}",
        ) from None


def refused(iut: IutBase, operation: str, params: dict[str, Any], kind: str) -> OperationError:
    """Run the operation and require an error of exactly `kind`."""
    try:
        result = iut.call(operation, params)
    except OperationError as error:
        if error.kind != kind:
            raise CaseFailure(
                f"{operation} refused with the wrong error kind",
                expected=f"error {kind}",
                got=f"error {error.kind}: {error.message}",
            ) from None
        return error
    raise CaseFailure(
        f"{operation} accepted an invalid input",
        expected=f"error {kind}",
        got=f"result {result}",
    )
