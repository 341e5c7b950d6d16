"""Holder profile: the usage history kept on the device (spec chapter VDC-HIST)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from conformance.adapters import IutBase
from conformance.cases import _material as m
from conformance.cases._checks import accepted, refused
from conformance.cases._vectors import vector_params, vector_requirements
from conformance.catalogue import Param, tc
from conformance.outcomes import expect

RETENTION = "history/history_retention.json"
OPS = ["pin.provision", "history.record_presentation", "history.list"]


@tc(
    "TC-HIST-001",
    title="History entries are shown for seven days, then purged",
    purpose="A presentation recorded at each instant of vectors/history/"
    "history_retention.json is listed at the group's now exactly when it is valid.",
    verifies=vector_requirements(RETENTION, "VDC-HIST-001", "VDC-HIST-003", "VDC-HIST-004"),
    profile="holder",
    kind="boundary",
    preconditions="a provisioned device; vectors/history/history_retention.json",
    expected="the entry is listed for valid vectors and absent for invalid ones",
    operations=OPS,
    params=vector_params(RETENTION),
)
def test_retention(iut: IutBase, param: Any) -> None:
    accepted(iut, "pin.provision", {"code": "480715", "now": param.data["at"]})
    doctor = "19999999006"
    accepted(
        iut,
        "history.record_presentation",
        {"readerRpps": doctor, "elements": [1, 2], "at": param.data["at"], "now": param.data["at"]},
    )
    entries = accepted(iut, "history.list", {"now": param.group["now"]})["entries"]
    listed = any(entry.get("readerRpps") == doctor for entry in entries)
    wanted = param.result == "valid"
    expect(
        listed == wanted,
        f"history.list at {param.group['now']}: entries[].readerRpps "
        + ("lacks the entry recorded" if wanted else "still shows the entry recorded")
        + f" at {param.data['at']} (VDC-HIST-003/004)",
        expected=(
            f"an entry with type Presentation, readerRpps {doctor}"
            if wanted
            else f"no entry with readerRpps {doctor} (older than 7 days)"
        ),
        got=f"entries {entries}"[:300],
    )


HISTORY_FIELDS = {
    "Presentation": {"type", "readerRpps", "elements", "at"},
    "Receipt": {"type", "practitionerRpps", "act", "amountCents", "at"},
}


@tc(
    "TC-HIST-002",
    title="Receipts are recorded, and entries hold only their listed fields",
    purpose="A filed receipt appears in the history with practitioner, act, amount and "
    "time; no entry carries any other field (no element value, no medical data); entries "
    "of equal time are listed latest recorded first.",
    verifies=["VDC-HIST-002", "VDC-HIST-005", "VDC-HIST-001", "VDC-HIST-020", "VDC-HARN-009"],
    profile="holder",
    kind="negative",
    preconditions="a provisioned device",
    expected="two entries at the same time, the receipt (recorded last) first, each with "
    "exactly the members of its history-entry form",
    operations=[*OPS, "history.record_receipt"],
)
def test_receipts_recorded(iut: IutBase) -> None:
    now = m.iso(m.NOW)
    accepted(iut, "pin.provision", {"code": "480715", "now": now})
    accepted(
        iut,
        "history.record_presentation",
        {"readerRpps": "19999999006", "elements": [1, 2], "at": now, "now": now},
    )
    accepted(
        iut,
        "history.record_receipt",
        {
            "practitionerRpps": "19999999006",
            "act": "GS",
            "amountCents": 2650,
            "at": now,
            "now": now,
        },
    )
    entries = accepted(iut, "history.list", {"now": now})["entries"]
    kinds = [str(entry.get("type")) for entry in entries]
    expect(
        kinds == ["Receipt", "Presentation"],
        "history.list entries[].type: equal times are listed latest recorded first (VDC-HIST-020)",
        expected="['Receipt', 'Presentation']",
        got=f"{kinds}: {entries}"[:300],
    )
    for entry in entries:
        allowed = HISTORY_FIELDS.get(str(entry.get("type")), set())
        extra = set(entry) - allowed
        expect(
            not extra,
            f"history.list entries[] of type {entry.get('type')} holds other members",
            expected=f"only the members {sorted(allowed)}",
            got=f"also {sorted(extra)}",
        )
    receipt = next(e for e in entries if e.get("type") == "Receipt")
    expect(
        receipt.get("act") == "GS" and receipt.get("amountCents") == 2650,
        "history.list entries[].act and entries[].amountCents of the Receipt differ",
        expected="act GS, amountCents 2650",
        got=f"act {receipt.get('act')!r}, amountCents {receipt.get('amountCents')!r}",
    )


DAY = 24 * 3600.0
DOCTOR = "19999999006"
NURSE = "19999999014"


def _at(seconds: float) -> str:
    """The suite's start instant plus `seconds`, to the microsecond (ISO 8601, UTC)."""
    return (m.NOW + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")


def _instant(text: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


def _presentation(rpps: str, elements: list[int], at: float, now: float) -> dict[str, Any]:
    return {"readerRpps": rpps, "elements": elements, "at": _at(at), "now": _at(now)}


def _receipt(act: str, cents: int, at: float, now: float) -> dict[str, Any]:
    return {
        "practitionerRpps": DOCTOR,
        "act": act,
        "amountCents": cents,
        "at": _at(at),
        "now": _at(now),
    }


def _listed(iut: IutBase, now: float) -> list[dict[str, Any]]:
    return list(accepted(iut, "history.list", {"now": _at(now)})["entries"])


def _summary(entry: dict[str, Any]) -> tuple[object, ...]:
    """What the suite compares: type, the recorded fields and the instant."""
    when = _instant(entry.get("at"))
    if entry.get("type") == "Receipt":
        fields: tuple[object, ...] = (
            entry.get("practitionerRpps"),
            entry.get("act"),
            entry.get("amountCents"),
        )
    else:
        fields = (entry.get("readerRpps"), list(entry.get("elements") or []))
    return (entry.get("type"), *fields, when)


def _expected(fields: tuple[object, ...], at: float) -> tuple[object, ...]:
    return (*fields, m.NOW + timedelta(seconds=at))


@tc(
    "TC-HIST-003",
    title="The history lists every entry once, newest first, with its recorded values",
    purpose="Presentations and receipts recorded out of time order, at instants with "
    "microseconds, two of them at the same instant and one stamped five minutes ahead of "
    "the device's clock, are listed newest first with exactly the practitioner, elements, "
    "act, amount and instant each was recorded with.",
    verifies=["VDC-HIST-003", "VDC-HIST-001", "VDC-HIST-002"],
    profile="holder",
    kind="negative",
    preconditions="a provisioned device",
    expected="seven entries in descending order of instant, each with its recorded fields",
    operations=[*OPS, "history.record_receipt"],
)
def test_newest_first(iut: IutBase) -> None:
    now = 7 * DAY
    accepted(iut, "pin.provision", {"code": "480715", "now": _at(0)})
    # (instant before now, operation parameters, fields the list must show), out of order.
    recorded = [
        (3 * DAY, _presentation(DOCTOR, [1, 2], 0, 0), ("Presentation", DOCTOR, [1, 2])),
        (3600.5, _receipt("GS", 2650, 0, 0), ("Receipt", DOCTOR, "GS", 2650)),
        (2 * DAY, _presentation(NURSE, [1, 4, 10], 0, 0), ("Presentation", NURSE, [1, 4, 10])),
        (10.000001, _presentation(DOCTOR, [3], 0, 0), ("Presentation", DOCTOR, [3])),
        (6 * DAY, _receipt("C", 0, 0, 0), ("Receipt", DOCTOR, "C", 0)),
        (2 * DAY, _presentation(DOCTOR, [2], 0, 0), ("Presentation", DOCTOR, [2])),
        (-300, _presentation(NURSE, [4], 0, 0), ("Presentation", NURSE, [4])),
    ]
    for before, params, _ in recorded:
        params.update(at=_at(now - before), now=_at(now))
        operation = "history.record_receipt" if "act" in params else "history.record_presentation"
        accepted(iut, operation, params)
    wanted = [
        _expected(fields, at=now - before)
        for before, _, fields in sorted(recorded, key=lambda item: item[0])
    ]
    got = [_summary(entry) for entry in _listed(iut, now)]
    # Entries of the same instant may come in either order.
    instants = [entry[-1] for entry in got]
    newest_first = all(
        isinstance(a, datetime) and isinstance(b, datetime) and a >= b
        for a, b in pairwise(instants)
    )
    expect(
        newest_first and sorted(map(repr, got)) == sorted(map(repr, wanted)),
        "the history differs from what was recorded, or is not newest first",
        expected=" | ".join(map(str, wanted)),
        got=" | ".join(map(str, got)),
    )


@tc(
    "TC-HIST-006",
    title="The history has no cap on the number of entries",
    purpose="Forty presentations over the last seven days are all listed: the rule keeps "
    "every entry of the window, not the latest few.",
    verifies=["VDC-HIST-003", "VDC-HIST-001"],
    profile="holder",
    kind="negative",
    preconditions="a provisioned device",
    expected="forty entries",
    operations=OPS,
)
def test_no_cap(iut: IutBase) -> None:
    now = 7 * DAY
    accepted(iut, "pin.provision", {"code": "480715", "now": _at(0)})
    for n in range(40):
        moment = now - n * (DAY / 6)
        accepted(iut, "history.record_presentation", _presentation(DOCTOR, [1], moment, now))
    count = len(_listed(iut, now))
    expect(count == 40, "entries of the window are missing", expected="40", got=str(count))


def _purges() -> Iterable[Param]:
    yield "purged-when-read", "read"
    yield "purged-when-recording", "record"
    yield "stale-entry-not-stored", "stale"


@tc(
    "TC-HIST-004",
    title="Entries past seven days are deleted, not only hidden",
    purpose="Once the history has been read, or an entry recorded, more than 7 days after "
    "an entry, that entry is gone: a later read at an instant where it would still be "
    "within 7 days does not show it. An entry already more than 7 days old when it is "
    "recorded is never stored.",
    verifies=["VDC-HIST-004"],
    profile="holder",
    kind="negative",
    preconditions="a provisioned device",
    expected="the purged or stale entry absent from the later read",
    operations=OPS,
    params=_purges,
)
def test_purged_not_hidden(iut: IutBase, param: str) -> None:
    accepted(iut, "pin.provision", {"code": "480715", "now": _at(0)})
    record = "history.record_presentation"
    if param == "stale":
        accepted(iut, record, _presentation(DOCTOR, [1], 0, 8 * DAY + 1))
    else:
        accepted(iut, record, _presentation(DOCTOR, [1], 0, 0))
        later = 7 * DAY + 1
        if param == "read":
            _listed(iut, later)
        else:
            accepted(iut, record, _presentation(NURSE, [2], later, later))
    shown = [e for e in _listed(iut, 2 * DAY) if e.get("readerRpps") == DOCTOR]
    expect(
        not shown,
        "an entry older than 7 days was kept in the store",
        expected="no entry of the first reader",
        got=str(shown)[:300],
    )


def _edges() -> Iterable[Param]:
    yield "elements-1-and-127", ("presentation", {"elements": [1, 127]}, True)
    yield "act-of-1-character", ("receipt", {"act": "C"}, True)
    yield "act-of-32-characters", ("receipt", {"act": "A" * 31 + "~"}, True)
    yield "amount-0", ("receipt", {"amountCents": 0}, True)
    yield "amount-2^32-1", ("receipt", {"amountCents": 2**32 - 1}, True)
    yield "32-elements", ("presentation", {"elements": list(range(1, 33))}, True)
    yield "33-elements", ("presentation", {"elements": list(range(1, 34))}, False)
    yield "element-0", ("presentation", {"elements": [0]}, False)
    yield "element-128", ("presentation", {"elements": [128]}, False)
    yield "rpps-of-10-digits", ("presentation", {"readerRpps": DOCTOR[:10]}, False)
    yield "rpps-of-12-digits", ("presentation", {"readerRpps": DOCTOR + "0"}, False)
    yield "empty-act", ("receipt", {"act": ""}, False)
    yield "act-of-33-characters", ("receipt", {"act": "A" * 33}, False)
    yield "act-with-a-control-character", ("receipt", {"act": "G\nS"}, False)
    yield "amount-minus-1", ("receipt", {"amountCents": -1}, False)
    yield "amount-2^32", ("receipt", {"amountCents": 2**32}, False)


@tc(
    "TC-HIST-005",
    title="Entry fields at the edges of their ranges",
    purpose="Element identifiers 1 and 127, 32 identifiers, act codes of 1 and 32 printable "
    "characters and amounts of 0 and 2^32 - 1 cents are recorded and listed exactly; one "
    "step beyond (element 0 or 128, 33 identifiers, an RPPS number of 10 or 12 digits, an "
    "empty, 33-character or non-printable act, an amount of -1 or 2^32) is refused and "
    "leaves the history as it was.",
    verifies=["VDC-HIST-009", "VDC-HIST-001", "VDC-HIST-002"],
    profile="holder",
    kind="boundary",
    preconditions="a provisioned device holding one presentation",
    expected="values at the edge listed exactly; values beyond refused, history unchanged",
    operations=[*OPS, "history.record_receipt"],
    params=_edges,
)
def test_field_edges(iut: IutBase, param: tuple[str, dict[str, Any], bool]) -> None:
    kind, change, valid = param
    accepted(iut, "pin.provision", {"code": "480715", "now": _at(0)})
    accepted(iut, "history.record_presentation", _presentation(NURSE, [2], 10, 10))
    before = _listed(iut, 20)
    if kind == "presentation":
        operation, params = "history.record_presentation", _presentation(DOCTOR, [1], 30, 30)
    else:
        operation, params = "history.record_receipt", _receipt("GS", 2650, 30, 30)
    params.update(change)
    if not valid:
        refused(iut, operation, params, "bad_request")
        after = _listed(iut, 40)
        expect(
            after == before,
            "a refused entry changed the history",
            got=str(after)[:300],
            expected="history.list entries as before the refused entry",
        )
        return
    accepted(iut, operation, params)
    newest = _listed(iut, 40)[0]
    recorded = {
        "elements": newest.get("elements"),
        "act": newest.get("act"),
        "amountCents": newest.get("amountCents"),
    }
    ((name, value),) = change.items()
    expect(
        recorded[name] == value,
        "the value was not recorded exactly",
        expected=str(value),
        got=str(recorded[name]),
    )
