"""UTC instants as integer microseconds, the form the holder device stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from vitale_ref.history._errors import HistoryError

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def require_utc(when: object, name: str = "time") -> datetime:
    """`when` expressed in UTC if it is a timezone-aware datetime, else HistoryError."""
    if not isinstance(when, datetime) or when.utcoffset() is None:
        raise HistoryError(f"{name} must be a timezone-aware datetime")
    return when.astimezone(UTC)


def to_micros(when: datetime) -> int:
    """Microseconds since 1970-01-01T00:00:00Z, exact."""
    return (require_utc(when) - _EPOCH) // timedelta(microseconds=1)


def from_micros(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


def format_utc(when: datetime) -> str:
    """ISO 8601 with a Z, seconds precision unless microseconds are set."""
    text = when.astimezone(UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"
