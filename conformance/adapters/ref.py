"""`ref`: the reference implementation in process (the default IUT).

It runs the very operation handlers of the reference driver (`conformance.driver`), so
`ref` and `stdio:python -m conformance.driver` behave identically; answers are passed
through JSON so that the in-process path cannot rely on anything the wire cannot carry.
"""

from __future__ import annotations

import json
from typing import Any

from conformance.adapters._base import Hello, IutBase, OperationError, Transmit
from conformance.outcomes import NotApplicable


class RefIut(IutBase):
    """The reference implementation, called directly."""

    def __init__(self, target: str = "ref") -> None:
        from conformance.driver import Driver

        super().__init__(target=target)
        self._driver = Driver()
        self._hello: Hello | None = None

    def hello(self) -> Hello:
        if self._hello is None:
            answer = self._driver.hello()
            self._hello = Hello(
                name=answer["implementation"]["name"],
                version=answer["implementation"]["version"],
                profiles=tuple(answer["profiles"]),
                operations=tuple(answer["operations"]),
            )
        return self._hello

    def call(
        self, operation: str, params: dict[str, Any], *, transmit: Transmit | None = None
    ) -> dict[str, Any]:
        from conformance.driver import DriverError, Unsupported

        request = json.loads(json.dumps(params))
        self.note(">", {"op": operation, "params": request})
        try:
            result = self._driver.handle(operation, request, transmit)
        except Unsupported as unsupported:
            self.note("<", {"unsupported": unsupported.reason})
            raise NotApplicable(
                f"{operation}: {unsupported.reason}", unsupported=operation
            ) from None
        except DriverError as error:
            self.note("<", {"error": {"kind": error.kind, "message": error.message}})
            raise OperationError(error.kind, error.message) from None
        answer: dict[str, Any] = json.loads(json.dumps(result))
        self.note("<", {"result": answer})
        return answer


def open_adapter(target: str) -> RefIut:
    """`ref` takes no argument."""
    if target:
        raise ValueError(f"the ref adapter takes no argument, got {target!r}")
    return RefIut()
