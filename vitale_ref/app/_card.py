"""StoreCard: the holder app as a transport's card, one store connection per thread.

Transports (vpcd, nfcpy) call the card from their own thread, and a SQLite connection
belongs to the thread that opened it; so each thread opens its own `HolderApp` on its
first command. The store is opened once at construction to report a bad store early.
"""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

from cryptography import x509

from vitale_ref.apdu import SW, status
from vitale_ref.app._app import HolderApp
from vitale_ref.app._errors import AppError
from vitale_ref.randomness import RandomSource


class StoreCard:
    """A transport `CardHandler` presenting the holder enrolled in `store_path`."""

    def __init__(
        self, store_path: str | Path, *, random: RandomSource, reader_root: x509.Certificate
    ) -> None:
        self._path = Path(store_path)
        self._random = random
        self._root = reader_root
        self._local = threading.local()
        self._app()  # AppError here rather than at the first command

    def _app(self) -> HolderApp:
        app: HolderApp | None = getattr(self._local, "app", None)
        if app is None:
            app = HolderApp.open(self._path, random=self._random, reader_root=self._root)
            self._local.app = app
        return app

    def respond(self, command: bytes, now: datetime) -> bytes:
        try:
            app = self._app()
        except AppError:  # the store went away while emulating: fail closed
            return status(SW.NO_DIAGNOSIS)
        return app.respond(command, now)

    def reset(self) -> None:
        app: HolderApp | None = getattr(self._local, "app", None)
        if app is not None:
            app.reset()
