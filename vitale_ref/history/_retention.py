"""How long the history keeps an entry (VDC-HIST-003, VDC-HIST-004).

An entry is visible while `now - at <= 7 days` (exactly seven days old is still shown)
and is purged once it is older than that.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from vitale_ref.history._time import require_utc

RETENTION = timedelta(days=7)


def purge_before(now: datetime) -> datetime:
    """Entries strictly before this instant are purged."""
    return require_utc(now, "now") - RETENTION


def is_visible(at: datetime, now: datetime) -> bool:
    return require_utc(at) >= purge_before(now)
