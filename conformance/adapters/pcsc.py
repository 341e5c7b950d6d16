"""`pcsc:READER`: implementations reached through PC/SC readers (VDC-TRN-020, 021, 040-042).

Holder profile: the holder under test sits in READER and every APDU goes through pcscd.
Provisioning and arming cannot: when the emulated holder serves a control socket
(`vitale emulate --control`), the adapter sends the driver protocol's set-up operations
and the instant of each APDU there and declares them; otherwise it offers
`holder.transmit` alone. The socket is `$VDC_IUT_CONTROL`, else the default one if it
exists. Each case starts from a reset card (a new session closed with a card reset).

Reader profile: the reference reader reads the suite's simulated holders through pcscd:
the suite plugs each of them as a vpcd card into `$VDC_SUITE_READER` (default
`Virtual PCD 00 01`), and the reader's APDUs travel pyscard, pcscd, vpcd, the suite.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from conformance.adapters._base import Hello, OperationError, Transmit
from conformance.adapters.apdu import ApduIut, ApduTransport
from conformance.outcomes import IutFailure, NotApplicable
from vitale_ref.transport import (
    PcscReaderTransport,
    TransportError,
    VirtualCard,
    VpcdCardClient,
    list_readers,
    tcp_connector,
    wait_for_card,
)
from vitale_ref.transport._control import ControlClient, ControlError, default_control_path
from vitale_ref.transport._netns import default_netns_path, netns_connector

HOLDER_SIDE = ("holder.", "pin.", "history.")
"""Operations of the holder device app, offered through the control socket."""

SUITE_READER = "Virtual PCD 00 01"
_VPCD_READER = re.compile(r"^Virtual PCD 00 0(\d)$")
_VPCD_FIRST_PORT = 35963


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
            profiles=("holder",),
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
                raise NotApplicable(f"{operation}: {error.message}") from None
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


class _SuiteCard:
    """The card handler that forwards to the simulated holder of the running case."""

    def __init__(self) -> None:
        self.transmit: Transmit | None = None

    def respond(self, command: bytes, now: datetime) -> bytes:
        return b"\x6f\x00" if self.transmit is None else self.transmit(command)

    def reset(self) -> None:
        return None


class SuiteCardSlot:
    """The suite's simulated holder, connected to vpcd as the card of one reader."""

    def __init__(self, reader: str) -> None:
        match = _VPCD_READER.match(reader)
        if match is None:
            raise NotApplicable(
                f"the suite can play the holder only in a vpcd reader, not {reader!r}"
            )
        port = _VPCD_FIRST_PORT + int(match.group(1))
        namespace = default_netns_path()
        connector = (
            netns_connector(namespace, "127.0.0.1", port)
            if namespace.exists()
            else tcp_connector("127.0.0.1", port)
        )
        self.card = _SuiteCard()
        self.client = VpcdCardClient(
            VirtualCard(self.card), connector, status=lambda _message: None
        ).start()
        if not wait_for_card(reader, 5.0):
            self.client.stop()
            raise IutFailure(f"the suite's card did not appear in {reader!r}")

    def close(self) -> None:
        self.client.stop()


class PcscIut(ControlledApduIut):
    """Holders in READER; the reference reader reading the suite's holders via pcscd."""

    binding = "pcsc"

    def __init__(self, reader: str) -> None:
        self.reader = reader or None
        self.suite_reader = os.environ.get("VDC_SUITE_READER", SUITE_READER)
        super().__init__(target=f"pcsc:{reader}", opener=self._open_holder)
        from conformance.driver import Driver

        self._driver = Driver()
        self._slot: SuiteCardSlot | None = None
        reader_ops = [op for op in self._driver.hello()["operations"] if op.startswith("reader.")]
        base = self.hello()
        self._hello = Hello(
            name=base.name,
            version=base.version,
            profiles=(*base.profiles, "reader"),
            operations=(*base.operations, *reader_ops),
        )

    def _open_holder(self) -> PcscReaderTransport:
        return PcscReaderTransport(self.reader)

    def call(
        self, operation: str, params: dict[str, Any], *, transmit: Transmit | None = None
    ) -> dict[str, Any]:
        if not operation.startswith("reader."):
            return super().call(operation, params, transmit=transmit)
        self.note(">", {"op": operation, "params": params})
        if transmit is None:
            return self._drive(operation, params, None)
        if self._slot is None:
            self._slot = SuiteCardSlot(self.suite_reader)
        self._slot.card.transmit = transmit
        try:
            with PcscReaderTransport(self.suite_reader) as session:
                return self._drive(operation, params, session.transmit)
        except TransportError as error:
            raise IutFailure(f"reader error: {error}", evidence=list(self.trace)) from None
        finally:
            self._slot.card.transmit = None

    def _drive(
        self, operation: str, params: dict[str, Any], transmit: Transmit | None
    ) -> dict[str, Any]:
        from conformance.driver import DriverError, Unsupported

        try:
            answer = self._driver.handle(operation, params, transmit)
        except Unsupported as unsupported:
            raise NotApplicable(f"{operation}: {unsupported.reason}") from None
        except DriverError as error:
            self.note("<", {"error": {"kind": error.kind, "message": error.message}})
            raise OperationError(error.kind, error.message) from None
        self.note("<", {"result": answer})
        return answer

    def begin_case(self) -> None:
        super().begin_case()
        self._driver.handle("reset", {}, None)

    def close(self) -> None:
        super().close()
        if self._slot is not None:
            self._slot.close()


def open_adapter(target: str) -> PcscIut:
    try:
        known = list_readers()
    except TransportError as error:
        raise ValueError(str(error)) from None
    if target and target not in known:
        raise ValueError(f"no reader named {target!r}; readers: {', '.join(known) or 'none'}")
    try:
        return PcscIut(target)
    except IutFailure as failure:
        raise ValueError(str(failure)) from None
