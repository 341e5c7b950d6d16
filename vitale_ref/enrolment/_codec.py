"""Events as JSON objects, the form of spec chapter VDC-ENR (VDC-ENR-004): `{"event": name, ...}`.

Member names are camelCase (`deviceOs`, `osVersion`, `devicePublicKey`), bytes are hex,
lists are arrays. Decoding validates through the event constructors, so a malformed
object raises InvalidEventError; `Superseded` is the service's own event and has no
JSON form an app could send.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from vitale_ref.enrolment._errors import InvalidEventError
from vitale_ref.enrolment._events import EVENT_TYPES, Event, Superseded

_BY_NAME = {
    event_type.name: event_type for event_type in EVENT_TYPES if event_type is not Superseded
}
_BYTES = ("device_public_key", "media", "assertion")


def wire_name(field_name: str) -> str:
    """The camelCase member name of a snake_case field (`device_os` -> `deviceOs`)."""
    head, *rest = field_name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def event_to_json(event: Event) -> dict[str, Any]:
    out: dict[str, Any] = {"event": event.name}
    for item in dataclasses.fields(event):
        value = getattr(event, item.name)
        if isinstance(value, bytes):
            value = value.hex()
        elif isinstance(value, tuple):
            value = list(value)
        out[wire_name(item.name)] = value
    return out


def event_from_json(data: dict[str, Any]) -> Event:
    event_type = _BY_NAME.get(str(data.get("event")))
    if event_type is None:
        raise InvalidEventError(f"unknown event {data.get('event')!r}")
    by_wire = {wire_name(item.name): item.name for item in dataclasses.fields(event_type)}
    fields: dict[str, Any] = {}
    try:
        for key, value in data.items():
            if key == "event":
                continue
            name = by_wire.get(key)
            if name is None:
                raise InvalidEventError(f"{event_type.name}: unknown member {key!r}")
            if name in _BYTES:
                if not isinstance(value, str):
                    raise InvalidEventError(f"{event_type.name}: {key} is hexadecimal")
                fields[name] = bytes.fromhex(value)
            elif name == "sides":
                if not isinstance(value, list):
                    raise InvalidEventError(f"{event_type.name}: sides is an array")
                fields[name] = tuple(value)
            else:
                fields[name] = value
        return event_type(**fields)
    except InvalidEventError:
        raise
    except (TypeError, ValueError) as error:  # bad hex, wrong or missing fields
        raise InvalidEventError(f"{event_type.name}: {error}") from None
