"""The reference holder as a card provisioned through the control socket (VDC-TRN-040, 041).

The conformance suite provisions and arms the holder with the driver protocol's
operations (`holder.setup`, `holder.arm`, `reset`, ...) on the side channel, sets the
instant the card takes as `now` with `transport.now`, and sends the APDUs through the
reader under test. The reference driver does the provisioning, so the holder behind the
reader is exactly the one the suite tests in memory.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import datetime
from typing import Any

from conformance.driver import Driver, DriverError, Unsupported
from vitale_ref.transport._card import SW_NO_PRECISE_DIAGNOSIS
from vitale_ref.transport._control import ControlError

SW_NOT_FOUND = b"\x6a\x82"
"""SELECT before the holder is set up: the device holds no VDC application yet."""
SW_CONDITIONS = b"\x69\x85"
"""Any other command before the set-up (conditions of use not satisfied)."""

# VDC-TRN-041: the side channel serves the holder app's set-up and nothing else.
_APP_OPERATIONS = ("hello", "reset")
_APP_PREFIXES = ("holder.", "pin.", "history.")


def _is_app_operation(op: str) -> bool:
    return op in _APP_OPERATIONS or (op.startswith(_APP_PREFIXES) and op != "holder.transmit")


class DrivenCard:
    """Card handler and control handler over one reference driver."""

    def __init__(self) -> None:
        self.driver = Driver()
        self.now: datetime | None = None
        self._lock = threading.Lock()

    def control(self, op: str, params: dict[str, Any]) -> dict[str, Any]:
        if op == "transport.now":
            try:
                self.now = datetime.fromisoformat(str(params["now"]))
            except (KeyError, ValueError):
                raise ControlError("bad_request", "now must be an ISO 8601 instant") from None
            return {}
        if op == "holder.transmit":
            raise ControlError("unsupported", "APDUs go through the reader, not this socket")
        if not _is_app_operation(op):
            raise ControlError("unsupported", f"{op} is not a holder app operation")
        with self._lock:
            try:
                answer = self.driver.handle(op, params, None)
            except Unsupported as unsupported:
                raise ControlError("unsupported", unsupported.reason) from None
            except DriverError as error:
                raise ControlError(error.kind, error.message) from None
        if op == "hello":
            offered = [o for o in answer.get("operations", []) if _is_app_operation(str(o))]
            answer = {**answer, "operations": [*offered, "transport.now"]}
        return answer

    def respond(self, command: bytes, now: datetime) -> bytes:
        moment = (self.now or now).isoformat()
        with self._lock:
            try:
                answer = self.driver.handle(
                    "holder.transmit", {"apdu": command.hex(), "now": moment}, None
                )
            except DriverError as error:
                if error.kind == "not_set_up":
                    # VDC-TRN-014: no holder yet, so no application: never 6F00.
                    return SW_NOT_FOUND if command[1:2] == b"\xa4" else SW_CONDITIONS
                return SW_NO_PRECISE_DIAGNOSIS
        return bytes.fromhex(str(answer["response"]))

    def reset(self) -> None:
        """Card reset or field off: the holder core's session ends (VDC-TRN-011)."""
        # The driver's own field-off operation; before any set-up there is nothing to end.
        with self._lock, contextlib.suppress(DriverError):
            self.driver.handle("holder.field_off", {}, None)
