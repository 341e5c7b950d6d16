"""Enrolment profile: the service killed between and during events (VDC-ENR-080, 081).

The suite sets the service up with a persistent store (`enrolment.setup` with
`persistent`, spec/harness.md VDC-HARN-007), then kills it: a `stdio:` process gets
SIGKILL and is started again, in process `enrolment.restart` stands for it. After each
restart every enrolment must be in the state before or after the event, and every
e-mail written must be there exactly once: none lost, none written twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from conformance.adapters import IutBase
from conformance.cases.enrolment._flow import OPS, Flow, at, expect_refusal
from conformance.catalogue import Param, tc
from conformance.outcomes import expect

MAILBOX = "enrolment.mailbox"
RESTART = "enrolment.restart"
SEED = "conformance/enrolment-crash"


def _mails(iut: IutBase, enrolment_id: str) -> list[str]:
    return [str(mail["kind"]) for mail in iut.call(MAILBOX, {"id": enrolment_id})["mails"]]


def _moments() -> Iterable[Param]:
    yield "between-events", None
    for delay in (0.0, 0.02, 0.1):
        yield f"during-events-{int(delay * 1000)}ms", delay


def _started(iut: IutBase) -> Flow:
    iut.call("enrolment.setup", {"seed": SEED, "persistent": True})
    return Flow(iut, SEED, keep=True)


@tc(
    "TC-ENR-005",
    title="Killing the service loses and duplicates no e-mail and no transition",
    purpose="The enrolment service is killed after an event, or while an event is being "
    "processed, and started again over its store: the enrolment is in the state before "
    "or after the event, each code e-mail is there once, and the flow goes on.",
    verifies=["VDC-ENR-080", "VDC-ENR-081", "VDC-HARN-007"],
    profile="enrolment",
    kind="negative",
    preconditions="a persistent service (`enrolment.setup` with `persistent`); killing "
    "during an event needs a process (`stdio:`)",
    expected="CODE_SENT with one code e-mail after the restart; after a torn RequestNewCode "
    "one or two code e-mails and state CODE_SENT; the latest code still accepted",
    operations=[*OPS, MAILBOX, RESTART],
    params=_moments,
)
def test_killed_service(iut: IutBase, param: float | None) -> None:
    flow = _started(iut)
    flow.choose_document(seconds=10)
    iut.restart(RESTART)
    expect(
        flow.observe()["state"] == "CODE_SENT" and _mails(iut, flow.id) == ["code"],
        "the restart lost or repeated the code e-mail or the transition",
        expected="CODE_SENT, one code e-mail",
        got=f"{flow.observe()['state']}, e-mails {_mails(iut, flow.id)}",
    )
    wanted: list[list[str]] = [["code", "code"]]
    if param is None:
        expect_refusal(flow.new_code(20), None, "a new code was refused after the restart")
        iut.restart(RESTART)
    else:
        event = {"id": flow.id, "event": {"event": "RequestNewCode"}, "now": at(20)}
        iut.interrupt("enrolment.handle", event, param, restart=RESTART)
        wanted.append(["code"])
    state, mails = flow.observe()["state"], _mails(iut, flow.id)
    expect(
        state == "CODE_SENT" and mails in wanted,
        "a torn event left a mix, lost or repeated an e-mail",
        expected=" or ".join(str(w) for w in wanted) + " in CODE_SENT",
        got=f"{state}, e-mails {mails}",
    )
    expect_refusal(flow.submit(flow.code(), 30), None, "the latest code was refused")
    expect(
        flow.observe()["state"] == "DOCUMENT_CAPTURE",
        "the flow did not go on",
        expected="enrolment.observe state DOCUMENT_CAPTURE after the right code",
    )
