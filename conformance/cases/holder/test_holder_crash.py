"""Holder profile: the holder app killed between and during operations (VDC-PIN-900, 016).

The suite ends the holder app as a killed process ends: an implementation it runs as a
process (`stdio:`) gets SIGKILL and is started again with the same persistent store
(`$VDC_IUT_STORE`, spec/harness.md); in process and behind a reader the operation
`holder.restart` stands for it. What the store had committed must be there, once: each
completed unlock attempt counted exactly once, each filed history entry listed exactly
once. A kill in the middle of an unlock, possible only for a process, may cost that try
or not, never more (VDC-PIN-016); a kill in the middle of a recording leaves the entry
once or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from conformance.adapters import IutBase
from conformance.cases import _material as m
from conformance.cases._checks import accepted
from conformance.catalogue import Param, tc
from conformance.outcomes import expect

CODE = "480715"
WRONG = "135790"
DOCTOR = "19999999006"
OPS = ["pin.provision", "pin.unlock", "history.record_presentation", "history.list"]


def _at(seconds: float) -> str:
    return m.iso(m.NOW + timedelta(seconds=seconds))


def _unlock(iut: IutBase, code: str, seconds: float) -> dict[str, Any]:
    return accepted(iut, "pin.unlock", {"code": code, "now": _at(seconds)})


def _tries_after_wrong(iut: IutBase, seconds: float, wanted: set[int], why: str) -> int:
    got = int(_unlock(iut, WRONG, seconds)["triesRemaining"])
    expect(got in wanted, why, expected=" or ".join(map(str, sorted(wanted))), got=str(got))
    return got


def _record(seconds: float) -> dict[str, Any]:
    return {"readerRpps": DOCTOR, "elements": [1, 2], "at": _at(seconds), "now": _at(seconds)}


def _listed(iut: IutBase, seconds: float) -> list[str]:
    """The instants of the listed entries, in the suite's notation."""
    entries = accepted(iut, "history.list", {"now": _at(seconds)})["entries"]
    instants = []
    for entry in entries:
        try:
            instants.append(m.iso(datetime.fromisoformat(str(entry.get("at")))))
        except ValueError:
            instants.append(str(entry.get("at")))
    return sorted(instants)


def _moments() -> Iterable[Param]:
    yield "between-operations", None
    for delay in (0.0, 0.02, 0.1):
        yield f"during-operations-{int(delay * 1000)}ms", delay


@tc(
    "TC-PIN-015",
    title="Killing the holder app loses and duplicates nothing",
    purpose="The holder app is killed after two wrong codes and two recorded presentations, "
    "or while a wrong code and a recording are being processed, and started again: every "
    "completed try is counted once, a torn try at most once, every recorded entry listed "
    "once, a torn recording once or not at all, and the right code still unlocks.",
    verifies=["VDC-PIN-900", "VDC-PIN-016", "VDC-HARN-007"],
    profile="holder",
    kind="negative",
    preconditions="personal code provisioned; killing during an operation needs a process "
    "(`stdio:`), restarting between operations `holder.restart` elsewhere",
    expected="tries 4, 3, then 2 (between) or 2 or 1 (during); each entry listed once; "
    "the right code unlocks with 5 tries",
    operations=[*OPS, "holder.restart"],
    params=_moments,
)
def test_killed_app(iut: IutBase, param: float | None) -> None:
    accepted(iut, "pin.provision", {"code": CODE, "now": _at(0)})
    _tries_after_wrong(iut, 10, {4}, "first wrong code not counted once")
    accepted(iut, "history.record_presentation", _record(11))
    iut.restart()
    _tries_after_wrong(iut, 20, {3}, "a completed try was lost or counted twice in the restart")
    accepted(iut, "history.record_presentation", _record(21))
    expect(
        _listed(iut, 22) == [_at(11), _at(21)],
        "history lost or duplicated an entry across the restart",
        expected=f"{_at(11)}, {_at(21)} once each",
        got=", ".join(_listed(iut, 22)),
    )
    if param is None:
        iut.restart()
        tries = _tries_after_wrong(iut, 30, {2}, "a try was lost or counted twice")
        torn_entries: list[list[str]] = [[]]
    else:
        iut.interrupt("pin.unlock", {"code": WRONG, "now": _at(30)}, param)
        tries = _tries_after_wrong(iut, 31, {1, 2}, "a torn try was counted more than once")
        iut.interrupt("history.record_presentation", _record(32), param)
        torn_entries = [[], [_at(32)]]
    listed = _listed(iut, 40)
    expect(
        listed[:2] == [_at(11), _at(21)] and listed[2:] in torn_entries,
        "history lost or duplicated an entry",
        expected=f"{_at(11)}, {_at(21)} once each, {_at(32)} at most once",
        got=", ".join(listed),
    )
    unlocked = _unlock(iut, CODE, 50)
    expect(
        unlocked["outcome"] == "unlocked" and unlocked["triesRemaining"] == 5,
        "the right code did not unlock after the restarts",
        expected="unlocked, 5 tries",
        got=f"{unlocked['outcome']}, {unlocked['triesRemaining']} tries (before: {tries})",
    )
