"""The usage history: what is recorded, the 7-day window, the purge (VDC-HIST-001..006)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from vitale_ref.device import HolderDevice
from vitale_ref.history import (
    RETENTION,
    HistoryError,
    Presentation,
    Receipt,
    is_visible,
    purge_before,
)

NOW = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
READER = "10000000001"
DOCTOR = "10000000002"
_ANY_STRS: Any = ("1",)
_ANY_LIST: Any = [1]
_ANY_FLOAT: Any = 1.5


def _count(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT count(*) FROM history").fetchone()[0])


def test_history_records_presentations_and_receipts(tmp_path: Path) -> None:
    """VDC-HIST-001, VDC-HIST-002, VDC-HIST-003: both kinds, newest first, exact fields."""
    with HolderDevice.open(tmp_path / "h.sqlite") as device:
        device.record_presentation(
            reader_rpps=READER, elements=(1, 2, 3), at=NOW - timedelta(hours=2), now=NOW
        )
        device.record_receipt(
            practitioner_rpps=DOCTOR,
            act="G",
            amount_cents=3000,
            at=NOW - timedelta(hours=1),
            now=NOW,
        )
        entries = device.history(NOW)
    assert entries == [
        Receipt(practitioner_rpps=DOCTOR, act="G", amount_cents=3000, at=NOW - timedelta(hours=1)),
        Presentation(reader_rpps=READER, elements=(1, 2, 3), at=NOW - timedelta(hours=2)),
    ]
    assert [e.to_json() for e in entries] == [
        {
            "kind": "receipt",
            "at": "2026-03-09T11:00:00Z",
            "practitioner": DOCTOR,
            "act": "G",
            "amountCents": 3000,
        },
        {
            "kind": "presentation",
            "at": "2026-03-09T10:00:00Z",
            "reader": READER,
            "elements": [1, 2, 3],
        },
    ]
    assert entries[1].element_names() == ("nir", "family_name", "given_names")  # type: ignore[union-attr]


def test_history_seven_days_exactly_and_one_past(tmp_path: Path) -> None:
    """VDC-HIST-003, VDC-HIST-004: exactly 7 days old is shown, 1 µs more is purged."""
    path = tmp_path / "h.sqlite"
    with HolderDevice.open(path) as device:
        for age in (RETENTION, RETENTION + timedelta(microseconds=1)):
            device.record_presentation(
                reader_rpps=READER, elements=(1,), at=NOW - age, now=NOW - age
            )
        assert _count(path) == 2
        shown = device.history(NOW)
        assert [e.at for e in shown] == [NOW - RETENTION]
        assert _count(path) == 1
        assert device.history(NOW + timedelta(microseconds=1)) == []
        assert _count(path) == 0


def test_history_purged_on_open(tmp_path: Path) -> None:
    """VDC-HIST-004: opening the store with the current time purges."""
    path = tmp_path / "h.sqlite"
    with HolderDevice.open(path) as device:
        device.record_receipt(practitioner_rpps=DOCTOR, act="C", amount_cents=2650, at=NOW, now=NOW)
    HolderDevice.open(path, now=NOW + timedelta(days=7)).close()
    assert _count(path) == 1
    HolderDevice.open(path, now=NOW + timedelta(days=7, seconds=1)).close()
    assert _count(path) == 0


def test_history_purged_on_record_and_too_old_not_stored(tmp_path: Path) -> None:
    """VDC-HIST-004, VDC-HIST-006: a recording purges first, in the same transaction."""
    path = tmp_path / "h.sqlite"
    statements: list[str] = []
    with HolderDevice.open(path, trace=statements.append) as device:
        device.record_presentation(reader_rpps=READER, elements=(2,), at=NOW, now=NOW)
        statements.clear()
        later = NOW + timedelta(days=8)
        device.record_presentation(reader_rpps=READER, elements=(3,), at=later, now=later)
        assert [s.split()[0] for s in statements] == ["BEGIN", "DELETE", "INSERT", "COMMIT"]
        assert _count(path) == 1
        device.record_presentation(
            reader_rpps=READER, elements=(4,), at=later - timedelta(days=8), now=later
        )
        assert _count(path) == 1


def test_history_visibility_function() -> None:
    """VDC-HIST-003: the rule itself, at the limit and one past."""
    assert purge_before(NOW) == NOW - timedelta(days=7)
    assert is_visible(NOW - timedelta(days=7), NOW)
    assert not is_visible(NOW - timedelta(days=7, microseconds=1), NOW)
    assert is_visible(NOW + timedelta(days=1), NOW)


def test_history_times_normalised_to_utc() -> None:
    """Times are instants: an aware non-UTC time is kept as the same instant in UTC."""
    paris = timezone(timedelta(hours=1))
    entry = Presentation(
        reader_rpps=READER, elements=(1,), at=datetime(2026, 3, 9, 13, 0, tzinfo=paris)
    )
    assert entry.at == NOW
    assert entry.at.tzinfo is UTC


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Presentation(reader_rpps="1000000000", elements=(1,), at=NOW), "reader must be"),
        (lambda: Presentation(reader_rpps=READER, elements=(0,), at=NOW), "integers 1 to 127"),
        (lambda: Presentation(reader_rpps=READER, elements=(128,), at=NOW), "integers 1 to 127"),
        (lambda: Presentation(reader_rpps=READER, elements=_ANY_STRS, at=NOW), "integers 1 to 127"),
        (lambda: Presentation(reader_rpps=READER, elements=(1,) * 33, at=NOW), "at most 32"),
        (lambda: Presentation(reader_rpps=READER, elements=_ANY_LIST, at=NOW), "tuple"),
        (
            lambda: Presentation(reader_rpps=READER, elements=(1,), at=datetime(2026, 3, 9)),
            "timezone-aware",
        ),
        (lambda: Receipt(practitioner_rpps=DOCTOR, act="", amount_cents=1, at=NOW), "act must"),
        (
            lambda: Receipt(practitioner_rpps=DOCTOR, act="x" * 33, amount_cents=1, at=NOW),
            "act must",
        ),
        (lambda: Receipt(practitioner_rpps=DOCTOR, act="G", amount_cents=-1, at=NOW), "amount"),
        (lambda: Receipt(practitioner_rpps=DOCTOR, act="G", amount_cents=2**32, at=NOW), "amount"),
        (
            lambda: Receipt(practitioner_rpps=DOCTOR, act="G", amount_cents=_ANY_FLOAT, at=NOW),
            "amount",
        ),
        (lambda: Receipt(practitioner_rpps="abc", act="G", amount_cents=1, at=NOW), "practitioner"),
    ],
)
def test_history_entries_refuse_bad_fields(build: object, message: str) -> None:
    """VDC-HIST-005: only the documented fields, each bounded; limits and one past."""
    assert callable(build)
    with pytest.raises(HistoryError, match=message):
        build()


def test_history_entries_at_the_limits() -> None:
    """VDC-HIST-001, VDC-HIST-002: the largest accepted values."""
    Presentation(reader_rpps=READER, elements=(127,) * 16, at=NOW)
    Presentation(reader_rpps=READER, elements=(), at=NOW)
    Receipt(practitioner_rpps=DOCTOR, act="x" * 32, amount_cents=2**32 - 1, at=NOW)
    Receipt(practitioner_rpps=DOCTOR, act="G", amount_cents=0, at=NOW)
