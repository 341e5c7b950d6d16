"""Option values shared by several commands: `--now` and `--elements`."""

from __future__ import annotations

from datetime import UTC, datetime

import click


def parse_now(text: str | None) -> datetime:
    """The system clock, or `--now` (ISO 8601 with a zone) for scripts and tests."""
    if text is None:
        return datetime.now(UTC)
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter("not an ISO 8601 time", param_hint="--now") from None
    if when.utcoffset() is None:
        raise click.BadParameter("needs a time zone (Z)", param_hint="--now")
    return when.astimezone(UTC)


def parse_elements(text: str) -> list[int]:
    """`--elements`: comma-separated element numbers, at least one."""
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise click.BadParameter("a comma-separated list of element numbers") from None
    if not values:
        raise click.BadParameter("at least one element")
    return values
