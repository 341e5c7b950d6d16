"""The reference implementation behind the driver protocol (spec/harness.md).

`Driver.handle(operation, params, transmit)` runs one operation against the reference
(`vitale_ref`). The in-process adapter `ref` calls it directly; `python -m
conformance.driver` serves it as a `stdio:` implementation, optionally with one seeded
fault switched on (`--fault NAME`, see conformance.driver.faults).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conformance import protocol
from conformance.driver._state import DriverError, DriverState, Handler, Unsupported
from vitale_ref import __version__

Transmit = Callable[[bytes], bytes]

_PROFILE_OF_PREFIX = {
    "nir": "verifier",
    "credential": "verifier",
    "holder": "holder",
    "pin": "holder",
    "history": "holder",
    "reader": "reader",
    "enrolment": "enrolment",
    "otp": "enrolment",
    "pki": "verifier",
}


def _operation_table() -> dict[str, Handler]:
    from conformance.driver import ops

    return ops.operations()


class Driver:
    """One reference implementation instance; `reset` forgets every state."""

    def __init__(self) -> None:
        self._operations = _operation_table()
        self._state = DriverState()

    def hello(self) -> dict[str, Any]:
        operations = ["hello", "reset", *sorted(self._operations)]
        profiles = sorted(
            {_PROFILE_OF_PREFIX[name.split(".")[0]] for name in self._operations}
            & set(_PROFILE_OF_PREFIX.values())
        )
        return {
            "protocol": protocol.PROTOCOL,
            "implementation": {"name": "vitale-ref", "version": __version__},
            "profiles": profiles,
            "operations": operations,
        }

    def handle(
        self, operation: str, params: dict[str, Any], transmit: Transmit | None
    ) -> dict[str, Any]:
        if operation == "hello":
            return self.hello()
        if operation == "reset":
            from conformance.driver import _ops_enrolment, _ops_pin

            device = self._state.objects.get("device")
            if device is not None:
                device.close()
            self._state = DriverState()
            _ops_pin.forget_store()
            _ops_enrolment.forget_store()
            return {}
        handler = self._operations.get(operation)
        if handler is None:
            raise Unsupported(f"operation {operation!r} is not implemented")
        from conformance.driver._wire import check_params

        check_params(operation, params)
        return handler(self._state, params, transmit)


__all__ = ["Driver", "DriverError", "DriverState", "Unsupported"]
