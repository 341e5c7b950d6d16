"""The holder behind a reader, with its set-up operations on a side channel.

Through a reader the suite can only exchange APDUs. When the emulated holder serves a
control socket (`vitale emulate --control`; VDC-TRN-041), the adapter sends the driver
protocol's set-up operations and the instant of each APDU there and declares them;
otherwise it offers `holder.transmit` alone. The socket is `$VDC_IUT_CONTROL`, else the
default one if it exists. Each case starts from a reset card (VDC-TRN-040).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conformance.adapters._base import Hello, OperationError, Transmit
from conformance.adapters.apdu import ApduIut, ApduTransport
from conformance.outcomes import IutFailure, NotApplicable
from vitale_ref.transport import TransportError
from vitale_ref.transport._control import ControlClient, ControlError, default_control_path

HOLDER_SIDE = ("holder.", "pin.", "history.")
"""Operations of the holder device app, offered through the control socket."""


def _holder_side(operation: str) -> bool:
    return operation == "reset" or operation.startswith(HOLDER_SIDE)


def control_path() -> Path | None:
    """The emulator's control socket, if one is configured or present."""
    configured = os.environ.get("VDC_IUT_CONTROL")
    if configured:
        return Path(configured)
    default = default_control_path()
    return default if default.exists() else None


class LazyTransport:
    """Opens the reader session at the first APDU, so a case that sends none needs no card."""

    def __init__(self, opener: Callable[[], ApduTransport]) -> None:
        self._opener = opener
        self._open: ApduTransport | None = None

    def current(self) -> ApduTransport:
        """The open reader session, opened now if there is none."""
        if self._open is None:
            self._open = self._opener()
        return self._open

    def transmit(self, command: bytes) -> bytes:
        return self.current().transmit(command)

    def close(self) -> None:
        if self._open is not None:
            self._open.close()
            self._open = None


class ControlledApduIut(ApduIut):
    """An APDU IUT whose set-up operations travel on the emulator's control socket.

    The transport cases (profile `transport`) also use `binding`, `reader_session()`,
    `new_session()` and `control_socket` to reach the binding itself.
    """

    binding = "reader"

    def __init__(self, *, target: str, opener: Callable[[], ApduTransport]) -> None:
        self._lazy = LazyTransport(opener)
        super().__init__(target=target, transport=self._lazy)
        self._control: ControlClient | None = None
        self._now: str | None = None
        path = control_path()
        self.control_socket = path
        if path is None:
            return
        try:
            self._control = ControlClient(path)
            answer = self._control.call("hello")
        except TransportError as error:
            raise IutFailure(f"control socket: {error}") from None
        operations = [op for op in answer["operations"] if _holder_side(op)]
        self._hello = Hello(
            name=f"{answer['implementation']['name']} via {target}",
            version=str(answer["implementation"]["version"]),
            profiles=("holder", "transport"),
            operations=tuple(sorted({*operations, "holder.transmit"})),
        )

    def call(
        self, operation: str, params: dict[str, Any], *, transmit: Transmit | None = None
    ) -> dict[str, Any]:
        if self._control is None or operation == "holder.transmit":
            now = params.get("now")
            if self._control is not None and now is not None and now != self._now:
                self._side("transport.now", {"now": now})
                self._now = now
            return super().call(operation, params, transmit=transmit)
        if not _holder_side(operation):
            raise NotApplicable(f"{operation}: not offered by a holder behind a reader")
        return self._side(operation, params)

    def _side(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        assert self._control is not None
        self.note(">", {"op": operation, "params": params, "via": "control"})
        try:
            answer = self._control.call(operation, params)
        except ControlError as error:
            self.note("<", {"error": {"kind": error.kind, "message": error.message}})
            if error.kind == "unsupported":
                raise NotApplicable(
                    f"{operation}: {error.message}", unsupported=operation
                ) from None
            raise OperationError(error.kind, error.message) from None
        except TransportError as error:
            raise IutFailure(f"control socket: {error}", evidence=list(self.trace)) from None
        self.note("<", {"result": answer})
        return answer

    def reader_session(self) -> ApduTransport:
        """The reader session the next APDU of the case travels in (opened if needed)."""
        return self._lazy.current()

    def new_session(self) -> None:
        """End the reader session (card reset or field off); the next APDU opens another."""
        self.note("=", "reader session closed")
        self._lazy.close()

    def begin_case(self) -> None:
        self.trace.clear()
        self._now = None
        if self._control is not None:
            self._side("reset", {})
        self._transport.close()  # VDC-TRN-040: the next APDU opens a session on a reset card

    def close(self) -> None:
        super().close()
        if self._control is not None:
            self._control.close()
