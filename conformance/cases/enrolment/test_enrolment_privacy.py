"""Enrolment profile: where codes go and what the service keeps (VDC-OTP-005, ENR-040, 071).

The suite plays the app and reads the mailbox of the synthetic beneficiary CAMILLE,
whose online insurance account has the address `samples.CAMILLE.email`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

from conformance.adapters import IutBase, OperationError
from conformance.cases.enrolment._flow import (
    FACE,
    OPS,
    VIDEO,
    Flow,
    expect_refusal,
    expect_state,
)
from conformance.catalogue import Param, tc
from conformance.outcomes import expect
from vitale_ref.enrolment import samples

DAY = 24 * 3600
MAILBOX = "enrolment.mailbox"


@tc(
    "TC-OTP-009",
    title="Codes are e-mailed only to the account address",
    purpose="Every e-mail of the enrolment, the first code and a new one, goes to the "
    "address of the holder's online insurance account and to no other.",
    verifies=["VDC-OTP-005", "VDC-ENR-005"],
    profile="enrolment",
    kind="negative",
    preconditions="the synthetic account CAMILLE with its e-mail address",
    expected="two code e-mails, each to camille.exemple@example.org, and no other recipient",
    operations=[*OPS, MAILBOX],
)
def test_code_recipient(iut: IutBase) -> None:
    flow = Flow(iut)
    flow.choose_document(seconds=10)
    expect_refusal(flow.new_code(100), None, "a new code was refused")
    mails = iut.call(MAILBOX, {"id": flow.id})["mails"]
    codes = [mail for mail in mails if mail["kind"] == "code"]
    expect(
        len(codes) == 2,
        "enrolment.mailbox mails[].kind: not one code e-mail per code issued",
        expected="2 mails of kind code",
        got=str(mails),
    )
    latest = flow.observe()["latestCode"]
    expect(
        codes[-1].get("code") == latest and str(latest).isdigit() and len(str(latest)) == 6,
        "enrolment.mailbox mails[-1].code: the code e-mail does not carry the latest code "
        "(VDC-ENR-005)",
        expected=f"code {latest} (enrolment.observe latestCode)",
        got=f"code {codes[-1].get('code')!r}",
    )
    recipients = sorted({str(mail["to"]) for mail in mails})
    expect(
        recipients == [samples.CAMILLE.email],
        "an e-mail went to another address than the account's",
        expected=samples.CAMILLE.email,
        got=", ".join(recipients),
    )


def _carried() -> Iterable[Param]:
    yield "personal-code", {"personal_code": "135790"}
    yield "code", {"code": "135790"}
    yield "verifier", {"verifier": "00" * 32}


@tc(
    "TC-ENR-003",
    title="The personal code never reaches the enrolment service",
    purpose="A PersonalCodeSet event carrying the personal code or its verifier is "
    "refused without changing the enrolment; the bare event is taken.",
    verifies=["VDC-ENR-040", "VDC-ENR-004"],
    profile="enrolment",
    kind="negative",
    preconditions="an enrolment that has taken its code, document video and face capture",
    expected="the event with a code or verifier refused and the state unchanged; the bare "
    "event accepted",
    operations=OPS,
    params=_carried,
)
def test_personal_code_not_received(iut: IutBase, param: dict[str, Any]) -> None:
    flow = Flow(iut)
    flow.to_personal_code(seconds=10)
    before = flow.observe()["state"]
    try:
        flow.send({"event": "PersonalCodeSet", **param}, 50)
    except OperationError:
        pass
    else:
        expect(
            False,
            "the service took the personal code",
            expected="the event refused",
            got=f"accepted, state {flow.observe()['state']}",
        )
    expect_state(flow, str(before), "the refused event changed the enrolment")
    flow.send({"event": "PersonalCodeSet"}, 60)
    after = flow.observe()["state"]
    expect(after != before, "the bare event was not taken", expected="a new state", got=after)


def _stalls() -> Iterable[Param]:
    yield "after-document-video", 1
    yield "after-face-capture", 2
    yield "waiting-for-verification", 3


@tc(
    "TC-ENR-004",
    title="Captures are gone within 7 days",
    purpose="An enrolment left alone after a capture, with the deadlines evaluated every "
    "day, keeps no capture more than 7 days after the first one was taken.",
    verifies=["VDC-ENR-071"],
    profile="enrolment",
    kind="negative",
    preconditions="captures taken at T+30 s; then only daily Tick events",
    expected="0 captures at every daily evaluation from T+7 days on",
    operations=OPS,
    params=_stalls,
)
def test_capture_retention(iut: IutBase, param: int) -> None:
    flow = Flow(iut)
    code = flow.choose_document(seconds=10)
    expect_refusal(flow.submit(code, 20), None, "the right code was refused")
    flow.send(VIDEO, 30)
    if param >= 2:
        flow.send(FACE, 40)
    if param >= 3:
        flow.send({"event": "PersonalCodeSet"}, 50)
    taken = flow.observe()["captures"]
    expect(
        taken == min(param, 2),
        "the captures were not kept",
        expected=str(min(param, 2)),
        got=str(taken),
    )
    for day in range(1, 10):
        # An ended enrolment may refuse the tick; its captures are still observed.
        with contextlib.suppress(OperationError):
            flow.send({"event": "Tick"}, day * DAY)
        kept = flow.observe()["captures"]
        expect(
            kept == 0 or day * DAY - 30 <= 7 * DAY,
            f"captures still kept on day {day}",
            expected="0 captures 7 days after the first",
            got=f"{kept} captures",
        )
