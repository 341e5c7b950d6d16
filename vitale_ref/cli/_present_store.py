"""`vitale present --store`: the enrolled holder of a device store, read by a reader.

The holder app (`vitale_ref.app`) opens the store saved by `vitale enrol`: presence is
the window `vitale holder unlock` armed, and the read and the receipt are filed in the
store's history. The reader is one of the enrolment issuer's test PKI; it checks the
status list the issuer publishes from the enrolment service database when there is one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import click

from vitale_ref.app import AppLink, HolderApp, WorldReader, enrolment_pki, published_status_list
from vitale_ref.errors import VitaleError
from vitale_ref.randomness import system_random
from vitale_ref.reader import ReaderError, ReadResult
from vitale_ref.trace import Trace


@dataclass(frozen=True, kw_only=True)
class EnrolledRead:
    """What the command prints: the trace, the result or the error, and the context."""

    trace: Trace
    result: ReadResult | None
    error: ReaderError | None
    revocation: str
    filed: int


def _status_list(store: Path, service_db: Path | None, now: datetime) -> tuple[bytes | None, str]:
    path = service_db or store.with_name(store.name + ".service.db")
    if service_db is None and not path.is_file():
        return None, "not checked (no enrolment service database next to the store)"
    status = published_status_list(path, now)
    return status, f"checked against the status list published from {path}"


def read_enrolled(
    store: Path,
    *,
    service_db: Path | None,
    reader_name: str,
    requested: Sequence[int],
    receipt: bool,
    extended: bool,
    now: datetime,
) -> EnrolledRead:
    """One read of the holder in `store` at `now`; typed errors become ClickException."""
    try:
        pki = enrolment_pki()
        status, revocation = _status_list(store, service_db, now)
        app = HolderApp.open(store, random=system_random, reader_root=pki.reader_root.certificate)
    except VitaleError as error:
        raise click.ClickException(str(error)) from None
    with app:
        before = app.device.history_count(now)
        link = AppLink(app, now)
        reader = WorldReader(pki=pki, name=reader_name, status_list=status)
        result: ReadResult | None = None
        failure: ReaderError | None = None
        try:
            result = reader.read(
                link.transmit,
                now=now,
                random=system_random,
                requested=requested,
                receipt=receipt,
                extended=extended,
            )
        except ReaderError as failed:
            failure = failed
        filed = app.device.history_count(now) - before
    return EnrolledRead(
        trace=link.trace, result=result, error=failure, revocation=revocation, filed=filed
    )
