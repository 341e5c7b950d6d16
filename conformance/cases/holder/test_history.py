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


__all__ = ["m"]
