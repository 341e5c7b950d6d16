"""Holder profile: the usage history kept on the device (spec chapter VDC-HIST)."""

from __future__ import annotations

from typing import Any

from conformance.adapters import IutBase
from conformance.cases import _material as m
from conformance.cases._checks import accepted
from conformance.cases._vectors import vector_params, vector_requirements
from conformance.catalogue import tc
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
    listed = any(entry.get("reader_rpps") == doctor for entry in entries)
    expect(
        listed == (param.result == "valid"),
        "wrong retention",
        expected="listed" if param.result == "valid" else "purged",
        got="listed" if listed else "absent",
    )


HISTORY_FIELDS = {
    "Presentation": {"type", "reader_rpps", "elements", "at"},
    "Receipt": {"type", "practitioner_rpps", "act", "amount_cents", "at"},
}


@tc(
    "TC-HIST-002",
    title="Receipts are recorded, and entries hold only their listed fields",
    purpose="A filed receipt appears in the history with practitioner, act, amount and "
    "time; no entry carries any other field (no element value, no medical data).",
    verifies=["VDC-HIST-002", "VDC-HIST-005", "VDC-HIST-001"],
    profile="holder",
    kind="negative",
    preconditions="a provisioned device",
    expected="two entries, newest first, with exactly the fields of the history table",
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
    kinds = sorted(str(entry.get("type")) for entry in entries)
    expect(kinds == ["Presentation", "Receipt"], "wrong entries", got=str(entries)[:300])
    for entry in entries:
        allowed = HISTORY_FIELDS.get(str(entry.get("type")), set())
        extra = set(entry) - allowed
        expect(
            not extra,
            "a history entry holds other fields",
            expected=str(sorted(allowed)),
            got=str(sorted(extra)),
        )
    receipt = next(e for e in entries if e.get("type") == "Receipt")
    expect(
        receipt.get("act") == "GS" and receipt.get("amount_cents") == 2650,
        "receipt fields differ",
        expected="GS 2650",
        got=str(receipt),
    )
