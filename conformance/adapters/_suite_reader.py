"""The reader profile through a reader binding (VDC-TRN-042 for `pcsc:`, 043 for `nfc:`).

The reference reader (the one the stdio driver wraps, here in process) reads the suite's
simulated holders through the binding: the suite plugs a card of its own, whose handler
forwards each command APDU to the simulated holder of the running case, and the reader
reaches it through the binding's reader transport, one session per read. A binding
supplies the card slot (`SuiteSlot`) and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from conformance.adapters._base import Hello, OperationError, Transmit
from conformance.adapters._controlled import ControlledApduIut
from conformance.adapters.apdu import ApduTransport
from conformance.outcomes import IutFailure, NotApplicable
from vitale_ref.transport import TransportError


class SuiteCard:
    """The card handler that forwards to the simulated holder of the running case."""

    def __init__(self) -> None:
        self.transmit: Transmit | None = None

    def respond(self, command: bytes, now: datetime) -> bytes:
        return b"\x6f\x00" if self.transmit is None else self.transmit(command)

    def reset(self) -> None:
        return None


class SuiteSlot(Protocol):
    """Where the suite's card sits, and how the reader under test opens a session to it."""

    card: SuiteCard

    def open_session(self) -> ApduTransport: ...

    def close(self) -> None: ...


class ReaderProfileIut(ControlledApduIut):
    """A holder behind the binding, plus the reference reader reading the suite's holders."""

    def __init__(self, *, target: str, opener: Callable[[], ApduTransport]) -> None:
        super().__init__(target=target, opener=opener)
        from conformance.driver import Driver

        self._driver = Driver()
        self._slot: SuiteSlot | None = None
        reader_ops = [op for op in self._driver.hello()["operations"] if op.startswith("reader.")]
        base = self.hello()
        self._hello = Hello(
            name=base.name,
            version=base.version,
            profiles=(*base.profiles, "reader"),
            operations=(*base.operations, *reader_ops),
        )

    def plug_suite_card(self) -> SuiteSlot:
        """Connect the suite's card to the binding (once per run)."""
        raise NotImplementedError

    def call(
        self, operation: str, params: dict[str, Any], *, transmit: Transmit | None = None
    ) -> dict[str, Any]:
        if not operation.startswith("reader."):
            return super().call(operation, params, transmit=transmit)
        self.note(">", {"op": operation, "params": params})
        if transmit is None:
            return self._drive(operation, params, None)
        if self._slot is None:
            self._slot = self.plug_suite_card()
        self._slot.card.transmit = transmit
        try:
            session = self._slot.open_session()
            try:
                return self._drive(operation, params, session.transmit)
            finally:
                session.close()
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
