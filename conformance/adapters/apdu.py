"""Base of the APDU adapters (`pcsc:READER`, `nfc:PATH`): a holder device behind a reader.

Through a real or virtual reader the suite can only exchange APDUs, so such an
implementation offers the one operation `holder.transmit`; every case that needs more
(provisioning, unlocking with the personal code, reading the history) is not applicable.

A transport module supplies an object with `transmit(command: bytes) -> bytes` and
`close()`; the adapter module wraps it, for instance `conformance/adapters/pcsc.py`::

    def open_adapter(target: str) -> ApduIut:
        return ApduIut(target=f"pcsc:{target}", transport=PcscReaderTransport(target))
"""

from __future__ import annotations

from typing import Any, Protocol

from conformance.adapters._base import Hello, IutBase, Transmit
from conformance.outcomes import IutFailure, NotApplicable


class ApduTransport(Protocol):
    """What a reader transport offers."""

    def transmit(self, command: bytes) -> bytes: ...

    def close(self) -> None: ...


class ApduIut(IutBase):
    """An implementation reached only through APDUs."""

    def __init__(self, *, target: str, transport: ApduTransport, name: str = "") -> None:
        super().__init__(target=target)
        self._transport = transport
        self._hello = Hello(
            name=name or target,
            version="unknown",
            # Through a reader alone the holder's operations are out of reach: the device
            # is claimed for the binding only (spec/harness.md, mandatory operations).
            profiles=("transport",),
            operations=("holder.transmit",),
        )

    def hello(self) -> Hello:
        return self._hello

    def call(
        self, operation: str, params: dict[str, Any], *, transmit: Transmit | None = None
    ) -> dict[str, Any]:
        if operation != "holder.transmit":
            raise NotApplicable(f"{operation}: not reachable through a reader")
        command = bytes.fromhex(params["apdu"])
        self.note(">", f"APDU {command.hex().upper()}")
        try:
            response = self._transport.transmit(command)
        except Exception as error:  # a reader error is a failure of the case, not a crash
            raise IutFailure(f"reader error: {error}", evidence=list(self.trace)) from None
        self.note("<", f"APDU {response.hex().upper()}")
        return {"response": response.hex().upper()}

    def close(self) -> None:
        self._transport.close()
