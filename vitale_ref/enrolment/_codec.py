"""Events as JSON objects, for traces and vectors: `{"event": name, ...fields}`.

Bytes are lower-case hex, dates ISO 8601, tuples lists. Decoding validates through
the event constructors, so a malformed trace raises InvalidEventError.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from vitale_ref.enrolment._errors import InvalidEventError
from vitale_ref.enrolment._events import EVENT_TYPES, Event

_BY_NAME = {event_type.name: event_type for event_type in EVENT_TYPES}
_BYTES = ("device_public_key", "media")
_DATES = ("birth_date", "card_issued_on")


def event_to_json(event: Event) -> dict[str, Any]:
    out: dict[str, Any] = {"event": event.name}
    for item in dataclasses.fields(event):
        value = getattr(event, item.name)
        if isinstance(value, bytes):
            value = value.hex()
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[item.name] = value
    return out


def event_from_json(data: dict[str, Any]) -> Event:
    event_type = _BY_NAME.get(str(data.get("event")))
    if event_type is None:
        raise InvalidEventError(f"unknown event {data.get('event')!r}")
    fields: dict[str, Any] = {}
    try:
        for key, value in data.items():
            if key == "event":
                continue
            if key in _BYTES:
                fields[key] = bytes.fromhex(value)
            elif key in _DATES:
                fields[key] = date.fromisoformat(value)
            elif key == "sides":
                fields[key] = tuple(value)
            else:
                fields[key] = value
        return event_type(**fields)
    except InvalidEventError:
        raise
    except (TypeError, ValueError) as error:  # bad hex, bad date, wrong or missing fields
        raise InvalidEventError(f"{event_type.name}: {error}") from None
