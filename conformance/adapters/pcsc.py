"""`pcsc:READER`: a holder device behind a PC/SC reader (VDC-TRN-020, 021, 040, 041).

APDUs go through pcscd and the reader. Provisioning and arming cannot: when the emulated
holder serves a control socket (`vitale emulate --control`; `tools/pcsc/start.sh
--emulator` does), the adapter sends the driver protocol's set-up operations and the
instant of each APDU there, and declares them; otherwise it offers `holder.transmit`
alone. The socket is `$VDC_IUT_CONTROL`, else the default one if it exists.

Each test case starts from a reset card: the previous session is closed with a card
reset (VDC-TRN-011) and a new one opened. An empty READER takes the first reader
holding a card.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from conformance.adapters._base import Hello, OperationError, Transmit
from conformance.adapters.apdu import ApduIut, ApduTransport
from conformance.outcomes import IutFailure, NotApplicable
from vitale_ref.transport import PcscReaderTransport, TransportError
from vitale_ref.transport._control import ControlClient, ControlError, default_control_path


def control_path() -> Path | None:
    """The emulator's control socket, if one is configured or present."""
    configured = os.environ.get("VDC_IUT_CONTROL")
    if configured:
        return Path(configured)
    default = default_control_path()
    return default if default.exists() else None


HOLDER_SIDE = ("holder.", "pin.", "history.")
"""Operations of the holder device app, offered through the control socket."""


def _holder_side(operation: str) -> bool:
    return operation == "reset" or operation.startswith(HOLDER_SIDE)


class ControlledApduIut(ApduIut):
    """An APDU IUT whose set-up operations travel on the emulator's control socket."""

    def __init__(self, *, target: str, transport: ApduTransport) -> None:
        super().__init__(target=target, transport=transport)
        self._control: ControlClient | None = None
        path = control_path()
        if path is not None:
            try:
                self._control = ControlClient(path)
                answer = self._control.call("hello")
            except TransportError as error:
                transport.close()
                raise IutFailure(f"control socket: {error}") from None
            operations = [op for op in answer["operations"] if _holder_side(op)]
            self._hello = Hello(
                name=f"{answer['implementation']['name']} via {target}",
                version=str(answer["implementation"]["version"]),
                profiles=("holder",),
                operations=tuple(sorted({*operations, "holder.transmit"})),
            )
        self._now: str | None = None

    def open_transport(self) -> ApduTransport:
        raise NotImplementedError

    def call(
        self, operation: str, params: dict[str, Any], *, transmit: Transmit | None = None
    ) -> dict[str, Any]:
        if self._control is None:
            return super().call(operation, params, transmit=transmit)
        if operation == "holder.transmit":
            now = params.get("now")
            if now is not None and now != self._now:
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
                raise NotApplicable(f"{operation}: {error.message}") from None
            raise OperationError(error.kind, error.message) from None
        except TransportError as error:
            raise IutFailure(f"control socket: {error}", evidence=list(self.trace)) from None
        self.note("<", {"result": answer})
        return answer

    def begin_case(self) -> None:
        self.trace.clear()
        self._now = None
        if self._control is not None:
            self._side("reset", {})
        self._transport.close()
        try:
            self._transport = self.open_transport()
        except TransportError as error:
            raise IutFailure(f"reader error: {error}") from None

    def close(self) -> None:
        super().close()
        if self._control is not None:
            self._control.close()


class PcscIut(ControlledApduIut):
    """The holder reached through pcscd."""

    def __init__(self, reader: str) -> None:
        self.reader = reader or None
        try:
            transport = self.open_transport()
        except TransportError as error:
            raise IutFailure(f"reader error: {error}") from None
        super().__init__(target=f"pcsc:{reader}", transport=transport)

    def open_transport(self) -> PcscReaderTransport:
        return PcscReaderTransport(self.reader)


def open_adapter(target: str) -> PcscIut:
    try:
        return PcscIut(target)
    except IutFailure as failure:
        raise ValueError(str(failure)) from None
