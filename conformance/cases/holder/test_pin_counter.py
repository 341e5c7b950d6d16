"""Holder profile: the try counter after every kind of attempt, and across time (VDC-PIN).

Each case breaks one rule of the counter or of the presentation window from the outside:
a code refused for its form, time passing, other operations, a block, a restart, and
the instants around the 60-second window. Behaviour after the first error matters as
much as the error itself: a refused code must not change the counter, a block must
last until the next enrolment, and what the store committed must survive a restart.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from conformance.adapters import IutBase
from conformance.cases import _material as m
from conformance.cases._checks import accepted, refused
from conformance.cases._vectors import vector_params, vector_requirements
from conformance.catalogue import Param, tc
from conformance.outcomes import expect

CODE = "480715"
WRONG = "135790"
OTHER_CODE = "271828"
DAY = 24 * 3600.0
UNLOCK = ["pin.provision", "pin.unlock"]
COUNTER_VECTORS = "pin/pin_counter.json"
MALFORMED = ("48071", "4807155", "48a715", "\uff14\uff18\uff10\uff17\uff11\uff15", " 48071", "")


def at(seconds: float) -> str:
    """The suite's start instant plus `seconds`, to the microsecond (ISO 8601, UTC)."""
    return (m.NOW + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")


def provision(iut: IutBase, code: str = CODE, seconds: float = 0) -> None:
    accepted(iut, "pin.provision", {"code": code, "now": at(seconds)})


def unlock(iut: IutBase, code: str, seconds: float) -> tuple[str, int]:
    """(status word, tries remaining) of one unlock attempt."""
    result = accepted(iut, "pin.unlock", {"code": code, "now": at(seconds)})
    return str(result["statusWord"]).upper(), int(result["triesRemaining"])


def expect_attempts(
    iut: IutBase, attempts: list[tuple[str, float]], wanted: list[tuple[str, int]], why: str
) -> None:
    got = [unlock(iut, code, seconds) for code, seconds in attempts]
    expect(got == wanted, why, expected=str(wanted), got=str(got))


def armed(iut: IutBase, seconds: float) -> bool:
    return bool(accepted(iut, "pin.armed", {"now": at(seconds)})["armed"])


def block(iut: IutBase, start: float = 10) -> None:
    """Five wrong codes from a full counter: 63C4 .. 63C0."""
    expect_attempts(
        iut,
        [(WRONG, start + n) for n in range(5)],
        [(f"63C{4 - n}", 4 - n) for n in range(5)],
        "five wrong codes did not count down to a block",
    )


_OUTCOMES = {"9000": "unlocked", "6983": "blocked"}
"""The outcome named with each status word (VDC-PIN-015); 63Cx is a wrong code."""


@tc(
    "TC-PIN-016",
    title="The try-counter vector file",
    purpose="Each sequence of vectors/pin/pin_counter.json, on a freshly provisioned "
    "device, gives the stated status word and tries left after every attempt: four wrong "
    "codes then the right one (below the limit), five and six wrong codes (at and above "
    "it), the right code once blocked, a reset by a success, malformed codes.",
    verifies=vector_requirements(COUNTER_VECTORS, "VDC-PIN-012", "VDC-PIN-015"),
    profile="holder",
    kind="boundary",
    preconditions="vectors/pin/pin_counter.json is present",
    expected="the status word, outcome and tries of every attempt; error format for 6A80",
    operations=UNLOCK,
    params=vector_params(COUNTER_VECTORS),
)
def test_counter_vectors(iut: IutBase, param: Any) -> None:
    provision(iut, str(param.group["personalCode"]))
    for number, attempt in enumerate(param.data["attempts"], start=1):
        moment = float(number)
        if attempt["statusWord"] == "6A80":
            refused(iut, "pin.unlock", {"code": attempt["code"], "now": at(moment)}, "format")
        else:
            result = accepted(iut, "pin.unlock", {"code": attempt["code"], "now": at(moment)})
            word = str(attempt["statusWord"])
            wanted = (word, int(attempt["triesRemaining"]), _OUTCOMES.get(word, "wrong-code"))
            got = (
                str(result["statusWord"]).upper(),
                int(result["triesRemaining"]),
                str(result["outcome"]),
            )
            expect(
                got == wanted,
                f"attempt {number} ({attempt['code']}) answered differently",
                expected=f"{wanted[0]} {wanted[2]} with {wanted[1]} tries",
                got=f"{got[0]} {got[2]} with {got[1]} tries",
            )


@tc(
    "TC-PIN-017",
    title="Codes refused for their form take no try, at setup and at unlock",
    purpose="Setup refuses a code that is not six ASCII digits (format) and a weak one "
    "(weak); at unlock a malformed code is refused (6A80, error format) before any try "
    "is taken, so the next wrong code still finds five tries.",
    verifies=["VDC-PIN-001", "VDC-PIN-015", "VDC-PIN-013"],
    profile="holder",
    kind="negative",
    expected="provision: format for 48071, weak for 123456; unlock: format for each "
    "malformed code, then 63C4 for a wrong code",
    operations=UNLOCK,
)
def test_malformed_codes_take_no_try(iut: IutBase) -> None:
    refused(iut, "pin.provision", {"code": "48071", "now": at(0)}, "format")
    refused(iut, "pin.provision", {"code": "123456", "now": at(0)}, "weak")
    provision(iut)
    for number, code in enumerate(MALFORMED, start=1):
        refused(iut, "pin.unlock", {"code": code, "now": at(number)}, "format")
    expect_attempts(iut, [(WRONG, 20)], [("63C4", 4)], "a code refused for its form took a try")


def _interludes() -> Iterable[Param]:
    yield "a-day-later", ("time", 20 + DAY + 1)
    yield "eight-days-later", ("time", 20 + 8 * DAY)
    yield "after-other-operations", ("operations", 60.0)


@tc(
    "TC-PIN-018",
    title="Nothing but a success or a new enrolment raises the counter",
    purpose="After two wrong codes, neither time passing (a day, eight days) nor other "
    "operations (asking whether the presentation is armed, recording and listing the "
    "history, a malformed code) gives a try back: the next wrong code answers 63C2.",
    verifies=["VDC-PIN-014", "VDC-PIN-012"],
    profile="holder",
    kind="negative",
    preconditions="a provisioned device with two wrong codes",
    expected="63C4, 63C3, then 63C2 and 63C1 after the interlude",
    operations=[*UNLOCK, "pin.armed", "history.record_presentation", "history.list"],
    params=_interludes,
)
def test_counter_never_raised(iut: IutBase, param: tuple[str, float]) -> None:
    what, later = param
    provision(iut)
    expect_attempts(
        iut, [(WRONG, 10), (WRONG, 20)], [("63C4", 4), ("63C3", 3)], "wrong try counter"
    )
    if what == "operations":
        armed(iut, 30)
        record = {"readerRpps": "19999999006", "elements": [1], "at": at(31), "now": at(31)}
        accepted(iut, "history.record_presentation", record)
        accepted(iut, "history.list", {"now": at(32)})
        refused(iut, "pin.unlock", {"code": "4807", "now": at(33)}, "format")
    expect_attempts(
        iut,
        [(WRONG, later), (WRONG, later + 1)],
        [("63C2", 2), ("63C1", 1)],
        f"the counter went up ({what.replace('-', ' ')})",
    )


def _block_ages() -> Iterable[Param]:
    yield "one-second-later", 1.0
    yield "a-day-later", DAY + 1
    yield "a-month-later", 31 * DAY


@tc(
    "TC-PIN-019",
    title="A blocked app stays blocked until the holder enrols again",
    purpose="After five wrong codes the right code gets 6983 with no try, however much "
    "later it comes, and the presentation is not armed; only a new provisioning gives "
    "five tries back, with the new code.",
    verifies=["VDC-PIN-012", "VDC-PIN-015", "VDC-PIN-020"],
    profile="holder",
    kind="negative",
    preconditions="a provisioned device blocked by five wrong codes",
    expected="6983 with 0 tries twice, not armed; after provisioning 271828: 9000 with 5 tries",
    operations=[*UNLOCK, "pin.armed"],
    params=_block_ages,
)
def test_block_lasts(iut: IutBase, param: float) -> None:
    provision(iut)
    block(iut, start=10)
    expect_attempts(
        iut,
        [(CODE, 14 + param), (CODE, 15 + param)],
        [("6983", 0), ("6983", 0)],
        "a blocked app evaluated the right code",
    )
    expect(
        not armed(iut, 15 + param),
        "a blocked app armed the presentation",
        expected="pin.armed armed false while blocked",
    )
    provision(iut, OTHER_CODE, 20 + param)
    expect_attempts(
        iut, [(OTHER_CODE, 21 + param)], [("9000", 5)], "a new enrolment did not end the block"
    )


@tc(
    "TC-PIN-020",
    title="The counter and the block survive a restart of the app",
    purpose="Tries taken before a restart stay taken, and a device blocked before a "
    "restart is still blocked after it: the decrement is committed before the answer.",
    verifies=["VDC-PIN-013", "VDC-PIN-012", "VDC-PIN-014", "VDC-HARN-007"],
    profile="holder",
    kind="negative",
    preconditions="a provisioned device; `holder.restart` or a process the suite can kill",
    expected="63C4, 63C3, restart, 63C2, 63C1, 63C0, restart, 6983 for the right code",
    operations=[*UNLOCK, "holder.restart"],
)
def test_counter_survives_restart(iut: IutBase) -> None:
    provision(iut)
    expect_attempts(
        iut, [(WRONG, 10), (WRONG, 11)], [("63C4", 4), ("63C3", 3)], "wrong try counter"
    )
    iut.restart()
    expect_attempts(
        iut,
        [(WRONG, 20), (WRONG, 21), (WRONG, 22)],
        [("63C2", 2), ("63C1", 1), ("63C0", 0)],
        "tries taken before the restart were given back",
    )
    iut.restart()
    expect_attempts(iut, [(CODE, 30)], [("6983", 0)], "the restart ended the block")


def _windows() -> Iterable[Param]:
    # (unlocks as (code, instant), instants asked, armed at each)
    start = 0.25
    yield "edges", ([(CODE, start)], [start, start + 59.999999, start + 60, start + 60.000001])
    yield "wrong-code-disarms", ([(CODE, 0), (WRONG, 10)], [10, 11, 30])
    yield "later-success-renews", ([(CODE, 0), (CODE, 30)], [59, 60, 89.999999, 90])
    yield "never-unlocked", ([], [0, 1])


_ARMED = {
    "edges": [True, True, False, False],
    "wrong-code-disarms": [False, False, False],
    "later-success-renews": [True, True, True, False],
    "never-unlocked": [False, False],
}


@tc(
    "TC-PIN-021",
    title="The presentation window: from the unlock up to, not including, 60 s later",
    purpose="Armed at the unlock instant and 59.999999 s later, not at 60 s nor one "
    "microsecond after; a later wrong code disarms from its start, a later success opens "
    "a new window from its own instant, and a device never unlocked is not armed.",
    verifies=["VDC-PIN-017"],
    profile="holder",
    kind="boundary",
    preconditions="a provisioned device",
    expected="armed exactly on [t, t + 60 s) of the latest success and never after a "
    "later attempt that failed",
    operations=[*UNLOCK, "pin.armed"],
    params=lambda: [(name, (name, value)) for name, value in _windows()],
)
def test_presentation_window_edges(
    iut: IutBase, param: tuple[str, tuple[list[tuple[str, float]], list[float]]]
) -> None:
    name, (unlocks, instants) = param
    provision(iut)
    for code, moment in unlocks:
        unlock(iut, code, moment)
    seen = [armed(iut, moment) for moment in instants]
    wanted = _ARMED[name]
    expect(
        seen == wanted,
        "the presentation was armed outside its window",
        expected=", ".join(f"{s:g} s: {w}" for s, w in zip(instants, wanted, strict=True)),
        got=", ".join(f"{s:g} s: {w}" for s, w in zip(instants, seen, strict=True)),
    )
