"""Seeded faults in what the holder discloses and reports (VDC-NFC-110..114, 130)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from conformance.driver.faults import fault, patch
from vitale_ref.apdu import SW
from vitale_ref.holder import _session
from vitale_ref.holder._events import Presented
from vitale_ref.sm import SmError, decode_request


def _with_grant(change: Any) -> None:
    real = _session.read

    def read(session: Any, **kwargs: Any) -> Any:
        return real(session, **{**kwargs, "grant": change(kwargs["grant"])})

    patch(_session, "read", read)


@fault(
    "holder-rights-as-a-range",
    "the reader's allowed elements are read as the range from the lowest to the highest",
    "VDC-NFC-110",
    ("TC-NFC-024",),
)
def _rights_range() -> None:
    def change(grant: Any) -> Any:
        span = frozenset(range(min(grant.allowed), max(grant.allowed) + 1))
        return replace(grant, allowed=span)

    _with_grant(change)


@fault(
    "holder-unknown-rights-allow-everything",
    "an authorisation naming no element the holder knows is taken as no restriction",
    "VDC-PKI-033",
    ("TC-NFC-024",),
)
def _unknown_rights() -> None:
    def change(grant: Any) -> Any:
        known = {i for i in grant.allowed if 1 <= i <= 10}
        return grant if known else replace(grant, allowed=frozenset(range(1, 128)))

    _with_grant(change)


@fault(
    "holder-presented-lists-the-request",
    "the Presented event lists the requested elements instead of the disclosed ones",
    "VDC-NFC-130",
    ("TC-NFC-024",),
)
def _presented_request() -> None:
    real = _session.read

    def read(session: Any, **kwargs: Any) -> Any:
        outcome = real(session, **kwargs)
        events = session.events
        if events and isinstance(events[-1], Presented):
            requested = decode_request(kwargs["plaintext"])
            events[-1] = replace(events[-1], elements=requested)
        return outcome

    patch(_session, "read", read)


def _read_checks(order: tuple[str, ...]) -> None:
    """READ ELEMENTS with its request, presence and rights checks in `order`."""
    real = _session.read

    def read(session: Any, **kwargs: Any) -> Any:
        for check in order:
            if check == "request":
                try:
                    requested = decode_request(kwargs["plaintext"])
                except SmError:
                    return SW.INCORRECT_DATA, b""
            elif check == "presence" and not kwargs["armed"]:
                return SW.SECURITY_NOT_SATISFIED, b""
            elif check == "rights":
                grant, available = kwargs["grant"], kwargs["credential"].available()
                if not [i for i in requested if i in grant.allowed and i in available]:
                    return SW.DATA_NOT_FOUND, b""
        return real(session, **kwargs)

    patch(_session, "read", read)


@fault(
    "holder-presence-before-request",
    "presence is checked before the request is decoded",
    "VDC-NFC-111",
    ("TC-NFC-030",),
)
def _presence_first() -> None:
    _read_checks(("presence", "request", "rights"))


@fault(
    "holder-rights-before-presence",
    "the reader's rights are checked before presence (6A88 instead of 6982)",
    "VDC-NFC-111",
    ("TC-NFC-030",),
)
def _rights_first() -> None:
    _read_checks(("request", "rights", "presence"))


@fault(
    "holder-presented-on-refusal",
    "a Presented event is emitted for a READ ELEMENTS refused for presence or rights",
    "VDC-NFC-130",
    ("TC-NFC-031",),
)
def _presented_on_refusal() -> None:
    real = _session.read

    def read(session: Any, **kwargs: Any) -> Any:
        sw, body = real(session, **kwargs)
        if sw in (SW.SECURITY_NOT_SATISFIED, SW.DATA_NOT_FOUND):
            grant = kwargs["grant"]
            session.events.append(
                Presented(reader_rpps=grant.rpps, elements=(), time=kwargs["now"])
            )
        return sw, body

    patch(_session, "read", read)


@fault(
    "holder-presented-at-establishment",
    "the Presented event carries the time of ESTABLISH SESSION, not of the read",
    "VDC-NFC-130",
    ("TC-NFC-031",),
)
def _presented_time() -> None:
    real_establish, real_read = _session.establish, _session.read
    started: dict[int, Any] = {}

    def establish(session: Any, readers: Any, data: bytes, now: Any) -> Any:
        started[id(session)] = now
        return real_establish(session, readers, data, now)

    def read(session: Any, **kwargs: Any) -> Any:
        return real_read(session, **{**kwargs, "now": started.get(id(session), kwargs["now"])})

    patch(_session, "establish", establish)
    patch(_session, "read", read)
