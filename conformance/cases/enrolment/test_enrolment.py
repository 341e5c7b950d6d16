"""Enrolment profile: the enrolment state machine (spec chapter VDC-ENR).

Two cases: the recorded traces of vectors/enrolment/traces.json replayed step by step,
and the shipped model-based test (a hypothesis rule-based machine) run against the
implementation through the driver protocol.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from conformance.adapters import IutBase, OperationError
from conformance.cases._vectors import vector_requirements
from conformance.cases.enrolment._flow import OPS
from conformance.catalogue import Param, tc
from conformance.outcomes import CaseFailure, expect

TRACES = "enrolment/traces.json"


def _traces() -> Iterable[Param]:
    from conformance.vectors import iter_cases

    for vector in iter_cases(TRACES):
        yield str(vector.data["name"]), vector.data


# Together the traces take every row of the transition table (the vector file's own
# test checks that), so their replay exercises each rule below; a step that breaks one
# shows as a differing state, refusal reason or e-mail.
_EXERCISED = (
    "VDC-ENR-001",
    "VDC-ENR-002",
    "VDC-ENR-003",
    "VDC-ENR-010",
    "VDC-ENR-011",
    "VDC-ENR-012",
    "VDC-ENR-013",
    "VDC-ENR-020",
    "VDC-ENR-021",
    "VDC-ENR-030",
    "VDC-ENR-031",
    "VDC-ENR-032",
    "VDC-ENR-033",
    "VDC-ENR-034",
    "VDC-ENR-035",
    "VDC-ENR-050",
    "VDC-ENR-051",
    "VDC-ENR-052",
    "VDC-ENR-060",
    "VDC-ENR-061",
    "VDC-ENR-062",
    "VDC-ENR-063",
    "VDC-ENR-070",
    "VDC-ENR-004",
    "VDC-ENR-005",
    "VDC-ENR-007",
    "VDC-ENR-014",
    "VDC-ENR-023",
    "VDC-OTP-020",
    "VDC-HARN-011",
)
_CAPTURES_GONE = {"APPROVED", "REJECTED", "EXPIRED", "ABANDONED", "CANCELLED", "ACTIVE"}


def _step(
    iut: IutBase, slots: dict[int, str], step: dict[str, Any], now: str
) -> tuple[str | None, str | None, list[str]]:
    """Apply one recorded step; returns (state, refusal, mail kinds)."""
    event = dict(step["event"])
    slot = int(step["slot"])
    try:
        if event["event"] == "StartEnrolment":
            answer = iut.call("enrolment.start", {"event": event, "now": now})
            slots[slot] = str(answer["id"])
        else:
            answer = iut.call("enrolment.handle", {"id": slots[slot], "event": event, "now": now})
        return str(answer["state"]), None, list(answer["messages"])
    except OperationError as error:
        state = None
        if slot in slots:
            state = str(iut.call("enrolment.observe", {"id": slots[slot]})["state"])
        return state, error.kind, []


@tc(
    "TC-ENR-001",
    title="Recorded enrolment traces replay step by step",
    purpose="Each step of each trace reaches the recorded state, sends the recorded "
    "e-mails or is refused with the recorded reason.",
    verifies=vector_requirements(TRACES, *_EXERCISED),
    profile="enrolment",
    kind="negative",
    preconditions="vectors/enrolment/traces.json is present; the synthetic accounts",
    expected="for every step: the recorded state, refusal reason and e-mail kinds; no "
    "capture kept once the enrolment has left the capture states",
    operations=OPS,
    params=_traces,
)
def test_trace(iut: IutBase, param: dict[str, Any]) -> None:
    iut.call("enrolment.setup", {"seed": param["seed"]})
    start = datetime.fromisoformat(param["startTime"])
    slots: dict[int, str] = {}
    for number, step in enumerate(param["steps"], start=1):
        now = (start + timedelta(seconds=step["at"])).isoformat()
        event = dict(step["event"])
        if event["event"] == "SubmitCode" and step["slot"] in slots:
            event = _resolved(iut, slots[step["slot"]], step)
        got = _step(iut, slots, {**step, "event": event}, now)
        wanted = (step["state"], step["refused"], list(step["messages"]))
        expect(
            got == wanted,
            f"step {number} ({event['event']}) differs from the trace: result state and "
            "messages, or error kind",
            expected=f"state {wanted[0]}, refused {wanted[1]}, messages {wanted[2]}",
            got=f"state {got[0]}, refused {got[1]}, messages {got[2]}",
        )
        if got[0] in _CAPTURES_GONE and step["slot"] in slots:
            kept = iut.call("enrolment.observe", {"id": slots[step["slot"]]})["captures"]
            expect(
                kept == 0,
                f"step {number}: captures kept in state {got[0]}",
                expected="0 captures (VDC-ENR-070)",
                got=str(kept),
            )


def _resolved(iut: IutBase, enrolment_id: str, step: dict[str, Any]) -> dict[str, Any]:
    """`@code` is the latest code this implementation e-mailed, `@wrong` a well-formed
    code other than that one (vectors/enrolment/traces.json, VDC-ENR-006)."""
    event = dict(step["event"])
    if event.get("code") in ("@code", "@wrong"):
        latest = iut.call("enrolment.observe", {"id": enrolment_id})["latestCode"]
        expect(
            isinstance(latest, str),
            "enrolment.observe latestCode: no code was e-mailed before a step that submits it",
            expected="the 6-digit code of the latest code e-mail",
            got=str(latest),
        )
        code = str(latest)
        event["code"] = code if event["code"] == "@code" else f"{(int(code) + 1) % 10**6:06d}"
    return event


@tc(
    "TC-ENR-002",
    title="The enrolment behaves as the model under random event sequences",
    purpose="The shipped rule-based machine drives random sequences of events and "
    "compares state, refusals, captures and e-mails with the model after every event.",
    verifies=["VDC-ENR-001", "VDC-ENR-002", "VDC-ENR-003", "VDC-OTP-003", "VDC-OTP-014"],
    profile="enrolment",
    kind="negative",
    preconditions="the synthetic accounts",
    expected="no difference with the model in 25 sequences of up to 30 events",
    operations=OPS,
)
def test_model(iut: IutBase) -> None:
    from hypothesis import HealthCheck, settings
    from hypothesis.stateful import run_state_machine_as_test

    from conformance.cases.enrolment._model import machine_for

    try:
        run_state_machine_as_test(
            machine_for(iut),
            settings=settings(
                max_examples=25,
                stateful_step_count=30,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            ),
        )
    except (AssertionError, Exception) as error:
        if isinstance(error, CaseFailure):
            raise
        text = str(error).strip().splitlines()
        raise CaseFailure(
            "the implementation differs from the model",
            expected="the model's observations",
            got=" | ".join(text[-6:]) or type(error).__name__,
        ) from None
