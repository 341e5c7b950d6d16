"""Enrolment profile: the e-mailed code at the edges of its numbers (spec chapter VDC-OTP).

The suite plays the app and the mailbox of the synthetic beneficiary CAMILLE. Each case
walks up to one limit of the code rules (10 minutes, 3 tries, 5 codes per 24 hours, 10
consecutive failures, 24 hours of lock) and checks the step below, at and beyond it,
and what a refusal leaves behind: a refused submission is not a failure, and the
failure run follows the person from one enrolment to the next.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from conformance.adapters import IutBase
from conformance.cases._vectors import vector_params, vector_requirements
from conformance.cases.enrolment._flow import OPS, Flow, expect_refusal, expect_state, wrong
from conformance.catalogue import Param, tc
from conformance.outcomes import expect
from vitale_ref.enrolment import samples

DAY = 24 * 3600.0
POLICY_VECTORS = "otp/policy.json"
_STATE_AFTER = {
    "accepted": "DOCUMENT_CAPTURE",
    "wrong": "CODE_SENT",
    "wrong-code-voided": "CODE_SENT",
    "wrong-locked": "LOCKED",
}
_LOCKED_SUBMISSION = "event-out-of-order"
"""A submission while locked: the code rules alone (the vector file) refuse it `locked`,
the enrolment in state LOCKED takes no code at all (VDC-OTP-010, VDC-ENR-007)."""


class _Replay:
    """One vector's operations applied to an enrolment of the document route."""

    def __init__(self, iut: IutBase, seed: str) -> None:
        self.flow = Flow(iut, seed)
        self.vector_codes: list[str] = []
        self.mailed: list[str] = []

    def issue(self, operation: dict[str, Any], moment: float) -> None:
        if self.vector_codes or self.mailed:
            event: dict[str, Any] = {"event": "RequestNewCode"}
        else:
            event = {"event": "ChooseDocument", "document": "id-card-fr"}
        before = self.flow.observe()["state"] if self.mailed else None
        got = self.flow.refusal(event, moment)
        if operation["outcome"] == "issued":
            expect_refusal(got, None, f"the code issued at {moment:g} s was refused")
            self.vector_codes.append(str(operation["code"]))
            self.mailed.append(self.flow.code())
            return
        expect_refusal(got, operation["reason"], f"the code asked at {moment:g} s was sent")
        if before is not None:
            expect_state(self.flow, str(before), "a refused request changed the enrolment")

    def submitted(self, code: str) -> str:
        """The vector's code mapped to this implementation's: its own k-th e-mailed code
        for the vector's k-th issued code, a code it never sent for a wrong one."""
        if code in self.vector_codes:
            return self.mailed[len(self.vector_codes) - 1 - self.vector_codes[::-1].index(code)]
        if len(code) == 6 and code.isascii() and code.isdigit():
            while code in self.mailed:
                code = wrong(code)
        return code

    def check(self, operation: dict[str, Any], moment: float) -> None:
        before = str(self.flow.observe()["state"])
        got = self.flow.submit(self.submitted(str(operation["code"])), moment)
        outcome = str(operation["outcome"])
        if outcome in _STATE_AFTER:
            expect_refusal(got, None, f"the submission at {moment:g} s was refused")
            expect_state(self.flow, _STATE_AFTER[outcome], f"wrong state after {outcome}")
            return
        reason = str(operation["reason"])
        if before not in ("CODE_SENT", "LOCKED"):
            # The code was accepted and the enrolment moved on: any refusal keeps it spent.
            expect(got is not None, "an accepted code was taken again", expected="a refusal")
        elif reason == "locked" and before == "LOCKED":
            expect_refusal(got, _LOCKED_SUBMISSION, "a submission during the lock")
        else:
            expect_refusal(got, reason, f"the submission at {moment:g} s")
        expect_state(self.flow, before, "a refused submission changed the enrolment")


@tc(
    "TC-OTP-010",
    title="The code-rule vector file, replayed through the enrolment",
    purpose="Each sequence of vectors/otp/policy.json (codes issued and submitted at given "
    "seconds) is played as ChooseDocument, RequestNewCode and SubmitCode events: every "
    "issue, acceptance, wrong try, void, lock and refusal happens as stated, at the "
    "edges of the 10-minute validity, the 3 tries, the 5 codes per 24 h, the 10 failures "
    "and the 24-hour lock.",
    verifies=vector_requirements(POLICY_VECTORS, "VDC-OTP-006", "VDC-OTP-010"),
    profile="enrolment",
    kind="boundary",
    preconditions="vectors/otp/policy.json is present; the synthetic account CAMILLE",
    expected="for every operation: issued or refused with the stated reason; a submission "
    "accepted, taken as wrong (state CODE_SENT), locking (LOCKED) or refused as stated",
    operations=OPS,
    params=vector_params(POLICY_VECTORS),
)
def test_policy_vectors(iut: IutBase, param: Any) -> None:
    replay = _Replay(iut, f"conformance/otp/{param.tc_id}")
    for operation in param.data["operations"]:
        moment = float(operation["at"])
        if operation["op"] == "issue":
            replay.issue(operation, moment)
        else:
            replay.check(operation, moment)


@tc(
    "TC-OTP-011",
    title="The code quota is a rolling 24-hour window",
    purpose="Five codes at 0, 60, 120, 180 and 240 s: a sixth is refused at 24 h - 1 s, "
    "sent at exactly 24 h (the first no longer counts), refused again at 24 h + 1 s (five "
    "in the window) and sent at 24 h + 60 s; refused requests count for nothing and "
    "e-mail nothing.",
    verifies=["VDC-OTP-006", "VDC-ENR-003"],
    profile="enrolment",
    kind="boundary",
    preconditions="an enrolment on the document route, first code at T",
    expected="refused, sent, refused, sent at T+86399, T+86400, T+86401 and T+86460 s",
    operations=OPS,
)
def test_rolling_quota(iut: IutBase) -> None:
    flow = Flow(iut)
    flow.choose_document(seconds=0)
    for sent in (60, 120, 180, 240):
        expect_refusal(flow.new_code(sent), None, "a code within the quota was refused")
    steps: list[tuple[float, str | None]] = [
        (DAY - 1, "code-quota-exceeded"),
        (DAY, None),
        (DAY + 1, "code-quota-exceeded"),
        (DAY + 60, None),
    ]
    for moment, reason in steps:
        mails = flow.observe()["codeMails"]
        expect_refusal(flow.new_code(moment), reason, f"code request {moment - DAY:+g} s from 24 h")
        if reason is not None:
            # VDC-ENR-003: a refused request writes nothing, an e-mail least of all.
            expect(
                flow.observe()["codeMails"] == mails,
                "a refused code request still e-mailed a code",
                expected=f"{mails} code e-mails",
                got=str(flow.observe()["codeMails"]),
                requirements=["VDC-ENR-003"],
            )


@tc(
    "TC-OTP-012",
    title="Malformed and expired submissions are not failures",
    purpose="After nine consecutive wrong codes, malformed codes and a code submitted after "
    "its 10 minutes are refused without locking; the next wrong code, the tenth failure, "
    "locks.",
    verifies=["VDC-OTP-002", "VDC-OTP-009", "VDC-OTP-010"],
    profile="enrolment",
    kind="negative",
    preconditions="an enrolment on the document route",
    expected="code-malformed four times and code-expired once, state CODE_SENT; then the "
    "tenth wrong code gives LOCKED",
    operations=OPS,
)
def test_refusals_are_not_failures(iut: IutBase) -> None:
    flow = Flow(iut)
    code = flow.choose_document(seconds=0)
    for round_start in (0, 10, 20):
        if round_start:
            expect_refusal(flow.new_code(round_start), None, "a new code was refused")
            code = flow.code()
        for n in range(3):
            flow.submit(wrong(code, n), round_start + 1 + n)
    expect_state(flow, "CODE_SENT", "nine failures locked the enrolment")
    expect_refusal(flow.new_code(30), None, "a fourth code was refused")
    code = flow.code()
    for n, bad in enumerate((code[:5], code + "0", "12a456", "")):
        expect_refusal(flow.submit(bad, 31 + n), "code-malformed", f"{bad!r} was not refused")
    expect_state(flow, "CODE_SENT", "a malformed code counted as a failure")
    expect_refusal(flow.submit(code, 30 + 600.000001), "code-expired", "an expired code was taken")
    expect_state(flow, "CODE_SENT", "an expired code counted as a failure")
    expect_refusal(flow.new_code(700), None, "a fifth code was refused")
    flow.submit(wrong(flow.code()), 701)
    expect_state(flow, "LOCKED", "the tenth consecutive failure did not lock")


def _validity() -> Iterable[Param]:
    yield "599.999999-s", (599.999999, None)
    yield "600-s", (600.0, None)
    yield "600.000001-s", (600.000001, "code-expired")


@tc(
    "TC-OTP-013",
    title="The ten-minute validity to the microsecond",
    purpose="A code submitted 599.999999 s or exactly 600 s after it was sent is accepted; "
    "one microsecond later it is refused code-expired.",
    verifies=["VDC-OTP-009"],
    profile="enrolment",
    kind="boundary",
    preconditions="code e-mailed at T",
    expected="accepted, accepted, code-expired",
    operations=OPS,
    params=_validity,
)
def test_validity_edges(iut: IutBase, param: tuple[float, str | None]) -> None:
    after, reason = param
    flow = Flow(iut)
    code = flow.choose_document(seconds=1)
    expect_refusal(flow.submit(code, 1 + after), reason, f"the code submitted {after} s after")
    expect_state(flow, "CODE_SENT" if reason else "DOCUMENT_CAPTURE", "wrong state")


def _nine_failures(flow: Flow, start: float = 0) -> None:
    """Three codes, three wrong tries each (seconds start to start + 23)."""
    code = flow.choose_document(seconds=start)
    for offset in (0, 10, 20):
        if offset:
            expect_refusal(flow.new_code(start + offset), None, "a new code was refused")
            code = flow.code()
        for n in range(3):
            flow.submit(wrong(code, n), start + offset + 1 + n)


def _runs() -> Iterable[Param]:
    yield "carried-to-a-new-enrolment", False
    yield "ended-by-an-accepted-code", True


@tc(
    "TC-OTP-014",
    title="The failure run follows the person and only an accepted code ends it",
    purpose="Nine failures, then the enrolment cancelled: the first wrong code of the next "
    "enrolment of the same person is the tenth and locks. Nine failures then the right "
    "code, cancelled: the next enrolment, a day later, takes nine failures without a lock "
    "and locks at the tenth.",
    verifies=["VDC-OTP-013", "VDC-OTP-012", "VDC-OTP-010"],
    profile="enrolment",
    kind="negative",
    preconditions="the synthetic account CAMILLE; two enrolments in one service",
    expected="LOCKED after one wrong code (carried); CODE_SENT after nine and LOCKED after "
    "ten (ended)",
    operations=OPS,
    params=_runs,
)
def test_failure_run(iut: IutBase, param: bool) -> None:
    first = Flow(iut)
    _nine_failures(first)
    if param:
        expect_refusal(first.new_code(30), None, "a fourth code was refused")
        expect_refusal(first.submit(first.code(), 31), None, "the right code was refused")
    expect_refusal(first.refusal({"event": "Cancel"}, 40), None, "cancelling was refused")
    if not param:
        second = Flow(iut, keep=True, at_seconds=50)
        second.submit(wrong(second.choose_document(seconds=60)), 61)
        expect_state(second, "LOCKED", "the failure run was not carried to the new enrolment")
        return
    # A day later, so that the codes of the first enrolment no longer count in the quota.
    later = DAY + 100
    second = Flow(iut, keep=True, at_seconds=later)
    _nine_failures(second, later + 10)
    expect_state(second, "CODE_SENT", "the accepted code did not end the failure run")
    expect_refusal(second.new_code(later + 40), None, "a fourth code was refused")
    second.submit(wrong(second.code()), later + 41)
    expect_state(second, "LOCKED", "the tenth failure after the accepted code did not lock")


@tc(
    "TC-OTP-015",
    title="Code limits belong to each person",
    purpose="Another beneficiary (SACHA) uses five codes in a few seconds and locks their "
    "enrolment with ten failures; CAMILLE, in the same service, still gets a code and a "
    "wrong try of hers is her first failure.",
    verifies=["VDC-OTP-006", "VDC-OTP-010", "VDC-OTP-013"],
    profile="enrolment",
    kind="negative",
    preconditions="the synthetic accounts SACHA and CAMILLE in one service",
    expected="SACHA LOCKED after five codes; CAMILLE's code sent, CODE_SENT after a wrong try",
    operations=OPS,
)
def test_limits_per_person(iut: IutBase) -> None:
    other = Flow(iut, account=samples.SACHA)
    code = other.choose_document(seconds=0)
    moment = 0.0
    for failure in range(10):
        if failure in (3, 6, 9):
            requests = 2 if failure == 9 else 1  # the ninth failure comes after code five
            for _ in range(requests):
                moment += 1
                expect_refusal(other.new_code(moment), None, "a code within the quota refused")
            code = other.code()
        moment += 1
        other.submit(wrong(code, failure), moment)
    expect_state(other, "LOCKED", "ten failures did not lock the other person")
    flow = Flow(iut, keep=True, at_seconds=moment + 1)
    mine = flow.choose_document(seconds=moment + 2)
    flow.submit(wrong(mine), moment + 3)
    expect_state(flow, "CODE_SENT", "another person's failures or codes counted against her")


RESTART = "enrolment.restart"


def _limits() -> Iterable[Param]:
    yield "lock", "lock"
    yield "quota", "quota"


@tc(
    "TC-OTP-016",
    title="The lock and the code quota survive a restart of the service",
    purpose="A service locked by ten failures, or that has sent five codes, is killed and "
    "started again over its store: a new code is still refused, locked or "
    "code-quota-exceeded.",
    verifies=["VDC-OTP-010", "VDC-OTP-006", "VDC-HARN-007"],
    profile="enrolment",
    kind="negative",
    preconditions="a persistent service (`enrolment.setup` with `persistent`); "
    "`enrolment.restart` or a process the suite can kill",
    expected="locked (lock) or code-quota-exceeded (quota) after the restart",
    operations=[*OPS, RESTART],
    params=_limits,
)
def test_limits_survive_restart(iut: IutBase, param: str) -> None:
    seed = "conformance/otp-restart"
    iut.call("enrolment.setup", {"seed": seed, "persistent": True})
    flow = Flow(iut, seed, keep=True)
    if param == "lock":
        moment, reason = flow.lock(10), "locked"
    else:
        flow.choose_document(10)
        for moment in (11.0, 12.0, 13.0, 14.0):
            expect_refusal(flow.new_code(moment), None, "a code within the quota refused")
        reason = "code-quota-exceeded"
    iut.restart(RESTART)
    expect_refusal(flow.new_code(moment + 60), reason, "the restart gave the limit back")


@tc(
    "TC-OTP-017",
    title="After the lock, the failure run starts again from zero",
    purpose="When the 24-hour lock of ten failures has ended, a new code is sent; nine "
    "wrong codes then leave the enrolment waiting for a code and the tenth locks it again.",
    verifies=["VDC-OTP-011", "VDC-OTP-010"],
    profile="enrolment",
    kind="boundary",
    preconditions="an enrolment locked by ten failures",
    expected="CODE_SENT after nine new failures, LOCKED after the tenth",
    operations=OPS,
)
def test_run_restarts_after_lock(iut: IutBase) -> None:
    flow = Flow(iut)
    locked_at = flow.lock(10)
    start = locked_at + DAY
    expect_refusal(flow.new_code(start), None, "the lock did not end after 24 hours")
    code = flow.code()
    moment = start
    for failure in range(9):
        if failure and failure % 3 == 0:
            moment += 1
            expect_refusal(flow.new_code(moment), None, "a new code was refused")
            code = flow.code()
        moment += 1
        flow.submit(wrong(code, failure), moment)
    expect_state(flow, "CODE_SENT", "fewer than ten failures after the lock locked again")
    expect_refusal(flow.new_code(moment + 1), None, "a fourth code was refused")
    flow.submit(wrong(flow.code()), moment + 2)
    expect_state(flow, "LOCKED", "the tenth failure after the lock did not lock")


@tc(
    "TC-OTP-018",
    title="The code checks come in their order",
    purpose="A request for a new code when the enrolment is both locked and out of codes is "
    "refused locked (the lock before the quota); once a code is voided by three wrong "
    "tries, a malformed code submitted after its 10 minutes is refused code-malformed (the "
    "form first) and the right one no-active-code (a live code before the age).",
    verifies=["VDC-OTP-020", "VDC-OTP-002", "VDC-OTP-010"],
    profile="enrolment",
    kind="negative",
    preconditions="enrolments of CAMILLE on the document route",
    expected="locked; code-malformed; no-active-code",
    operations=OPS,
)
def test_check_order(iut: IutBase) -> None:
    flow = Flow(iut)
    code = flow.choose_document(seconds=0)
    moment = 0.0
    for failure in range(10):
        if failure in (3, 6, 9):
            for _ in range(2 if failure == 9 else 1):
                moment += 1
                expect_refusal(flow.new_code(moment), None, "a code within the quota refused")
            code = flow.code()
        moment += 1
        flow.submit(wrong(code, failure), moment)
    expect_state(flow, "LOCKED", "ten failures over five codes did not lock")
    expect_refusal(flow.new_code(moment + 1), "locked", "a locked request out of codes")
    fresh = Flow(iut, keep=False, at_seconds=0)
    code = fresh.choose_document(seconds=1)
    for n in range(3):
        fresh.submit(wrong(code, n), 2 + n)
    got = fresh.submit(code[:5], 1 + 601)
    expect_refusal(got, "code-malformed", "a malformed code, late and with no live code")
    got = fresh.submit(code, 1 + 700)
    expect_refusal(got, "no-active-code", "a late code after the code was voided")
