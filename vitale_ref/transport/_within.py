"""One exchange with a card, bounded in time (VDC-TRN-023).

pyscard's `SCardTransmit` and nfcpy's `transceive` wait as long as the card, the reader
driver or the PC/SC service keep them waiting: a card that stops answering holds the
caller for ever. The exchange therefore runs in a daemon thread and the caller waits at
most its timeout; the session is then over, and the thread is left to end whenever the
lost exchange does (the PC/SC context it holds is not touched again).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from vitale_ref.transport._errors import CardTimeoutError

T = TypeVar("T")

DEFAULT_TIMEOUT = 10.0
"""Seconds one APDU may take, as the conformance harness allows one request."""


def within(seconds: float, work: Callable[[], T], what: str) -> T:
    """`work()`, or CardTimeoutError naming `what` when it takes longer than `seconds`."""
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(work())
        except BaseException as error:  # handed over to the caller's thread below
            errors.append(error)

    worker = threading.Thread(target=run, name="card-exchange", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise CardTimeoutError(f"{what}: no answer within {seconds:g} s (the card hangs)")
    if errors:
        raise errors[0]
    return results[0]
