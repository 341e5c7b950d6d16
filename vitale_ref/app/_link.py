"""AppLink: a reader's transmit function wired to a HolderApp, with the APDU trace.

The app-level twin of `vitale_ref.link.InMemoryLink`: every command goes through the
app, so presence comes from the store and events are filed in its history.
"""

from __future__ import annotations

from datetime import datetime

from vitale_ref.app._app import HolderApp
from vitale_ref.trace import Exchange, Trace


class AppLink:
    """Deliver C-APDUs to `app` at a fixed `now` and record the exchanges."""

    def __init__(self, app: HolderApp, now: datetime) -> None:
        self.app = app
        self.now = now
        self.exchanges: list[Exchange] = []

    def transmit(self, command: bytes) -> bytes:
        response = self.app.respond(command, self.now)
        self.exchanges.append(Exchange(command=command, response=response))
        return response

    @property
    def trace(self) -> Trace:
        return Trace(exchanges=tuple(self.exchanges))
