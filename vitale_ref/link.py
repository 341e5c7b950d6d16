"""InMemoryLink: a reader's transmit function wired straight to a HolderCore.

Every command and response is recorded in order, so a run can be written as a trace
file, exported as pcap and costed with the on-air model (vitale_ref.trace).
"""

from __future__ import annotations

from datetime import datetime

from vitale_ref.holder import HolderCore
from vitale_ref.trace import Exchange, Trace


class InMemoryLink:
    """Deliver C-APDUs to `holder` at a fixed `now` and record the exchanges."""

    def __init__(self, holder: HolderCore, now: datetime) -> None:
        self.holder = holder
        self.now = now
        self.exchanges: list[Exchange] = []

    def transmit(self, command: bytes) -> bytes:
        response = self.holder.respond(command, self.now)
        self.exchanges.append(Exchange(command=command, response=response))
        return response

    @property
    def trace(self) -> Trace:
        return Trace(exchanges=tuple(self.exchanges))
