"""History retention vectors (VDC-HIST-003, VDC-HIST-004).

Each test is an entry time relative to a fixed `now`; result `valid` means the entry is
still shown at `now`, `invalid` that it must have been purged. The expected result is
written by hand from the 7-day rule, not computed by vitale_ref.history.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tools.vectorgen._wycheproof import Flag, document, schema

NOW = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)

NOTES = {
    "AtLimit": Flag(
        bug_type="EDGE_CASE",
        description="Exactly 7 days old: still shown.",
        requirement="VDC-HIST-003",
    ),
    "PastLimit": Flag(
        bug_type="EDGE_CASE",
        description="Older than 7 days by a microsecond or more: purged.",
        requirement="VDC-HIST-004",
    ),
}

_CASES: tuple[tuple[str, timedelta, list[str], str], ...] = (
    ("recorded now", timedelta(0), [], "valid"),
    ("one day old", timedelta(days=1), [], "valid"),
    ("6 days 23:59:59.999999 old", timedelta(days=7, microseconds=-1), [], "valid"),
    ("exactly 7 days old", timedelta(days=7), ["AtLimit"], "valid"),
    ("7 days and 1 microsecond old", timedelta(days=7, microseconds=1), ["PastLimit"], "invalid"),
    ("7 days and 1 second old", timedelta(days=7, seconds=1), ["PastLimit"], "invalid"),
    ("8 days old", timedelta(days=8), ["PastLimit"], "invalid"),
    ("one year old", timedelta(days=365), ["PastLimit"], "invalid"),
)


def _iso(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def build_retention() -> dict[str, Any]:
    tests = [
        {"comment": comment, "flags": flags, "at": _iso(NOW - age), "result": result}
        for comment, age, flags, result in _CASES
    ]
    return document(
        algorithm="VDC-HIST retention",
        schema="history_retention.schema.json",
        header=[
            "History entries recorded at `at`, read at the group's `now` (UTC, ISO 8601).",
            "valid: the entry is shown; invalid: it must have been purged.",
        ],
        notes=NOTES,
        groups=[{"now": _iso(NOW), "tests": tests}],
    )


def retention_schema() -> dict[str, Any]:
    instant = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$"}
    return schema(
        title="VDC-HIST retention vectors",
        group_properties={"now": instant},
        test_properties={"at": instant},
    )


FILES = {
    "history/history_retention.json": build_retention,
    "schemas/history_retention.schema.json": retention_schema,
}
