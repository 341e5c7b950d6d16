"""Seeded faults in the history the holder device keeps (VDC-HIST)."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import datetime
from typing import Any

from conformance.driver.faults import fault, patch
from vitale_ref.device import _device
from vitale_ref.device._connection import transaction
from vitale_ref.history import _entries, entry_from_detail, from_micros, purge_before, to_micros
from vitale_ref.history._retention import is_visible


def _all_entries(device: Any) -> list[Any]:
    rows = device._db.execute(
        "SELECT kind, at_us, detail FROM history ORDER BY at_us DESC, id DESC"
    ).fetchall()
    return [entry_from_detail(kind, from_micros(at), json.loads(text)) for kind, at, text in rows]


@fault(
    "history-oldest-first",
    "the history is listed oldest first",
    "VDC-HIST-003",
    ("TC-HIST-003",),
)
def _oldest_first() -> None:
    real = _device.HolderDevice.history

    def history(self: Any, now: datetime) -> list[Any]:
        return list(reversed(real(self, now)))

    patch(_device.HolderDevice, "history", history)


@fault(
    "history-hidden-not-purged",
    "entries older than 7 days are hidden from the list but never deleted",
    "VDC-HIST-004",
    ("TC-HIST-004",),
)
def _hidden_not_purged() -> None:
    def record(self: Any, entry: Any, now: datetime) -> None:
        detail = json.dumps(entry.detail(), separators=(",", ":"), sort_keys=True)
        with transaction(self._db) as db:
            db.execute(
                "INSERT INTO history (kind, at_us, detail) VALUES (?, ?, ?)",
                (entry.kind, to_micros(entry.at), detail),
            )

    def history(self: Any, now: datetime) -> list[Any]:
        return [entry for entry in _all_entries(self) if is_visible(entry.at, now)]

    patch(_device.HolderDevice, "record", record)
    patch(_device.HolderDevice, "purge_history", lambda self, now: 0)
    patch(_device.HolderDevice, "history", history)


@fault(
    "history-stores-stale-entries",
    "an entry already older than 7 days when it arrives is stored",
    "VDC-HIST-004",
    ("TC-HIST-004",),
)
def _stores_stale() -> None:
    def record(self: Any, entry: Any, now: datetime) -> None:
        detail = json.dumps(entry.detail(), separators=(",", ":"), sort_keys=True)
        with transaction(self._db) as db:
            db.execute(
                "DELETE FROM history WHERE at_us < ?",
                (to_micros(purge_before(now)),),
            )
            db.execute(
                "INSERT INTO history (kind, at_us, detail) VALUES (?, ?, ?)",
                (entry.kind, to_micros(entry.at), detail),
            )

    patch(_device.HolderDevice, "record", record)


@fault(
    "history-to-the-second",
    "entry times are kept to the second instead of the microsecond",
    "VDC-HIST-001",
    ("TC-HIST-003",),
)
def _to_the_second() -> None:
    real = _device.HolderDevice.record

    def record(self: Any, entry: Any, now: datetime) -> None:
        real(self, dataclasses.replace(entry, at=entry.at.replace(microsecond=0)), now)

    patch(_device.HolderDevice, "record", record)


@fault(
    "history-act-off-by-one",
    "an act code of 33 characters is recorded",
    "VDC-HIST-009",
    ("TC-HIST-005",),
)
def _act_off_by_one() -> None:
    patch(_entries, "_ACT", re.compile(r"\A[ -~]{1,33}\Z"))


@fault(
    "history-latest-ten",
    "the history shows only the ten latest entries of the window",
    "VDC-HIST-003",
    ("TC-HIST-006",),
)
def _latest_ten() -> None:
    real = _device.HolderDevice.history

    def history(self: Any, now: datetime) -> list[Any]:
        return real(self, now)[:10]

    patch(_device.HolderDevice, "history", history)


@fault(
    "history-hides-future-entries",
    "an entry stamped later than the device's clock is not shown",
    "VDC-HIST-003",
    ("TC-HIST-003",),
)
def _hides_future() -> None:
    real = _device.HolderDevice.history

    def history(self: Any, now: datetime) -> list[Any]:
        return [entry for entry in real(self, now) if entry.at <= now]

    patch(_device.HolderDevice, "history", history)


@fault(
    "history-one-entry-per-instant",
    "two entries of the same instant are shown as one",
    "VDC-HIST-003",
    ("TC-HIST-003",),
)
def _one_per_instant() -> None:
    real = _device.HolderDevice.history

    def history(self: Any, now: datetime) -> list[Any]:
        seen: set[datetime] = set()
        kept = []
        for entry in real(self, now):
            if entry.at not in seen:
                seen.add(entry.at)
                kept.append(entry)
        return kept

    patch(_device.HolderDevice, "history", history)


@fault(
    "history-33-elements",
    "a presentation of 33 element identifiers is recorded",
    "VDC-HIST-009",
    ("TC-HIST-005",),
)
def _33_elements() -> None:
    patch(_entries, "MAX_ELEMENTS", 33)
