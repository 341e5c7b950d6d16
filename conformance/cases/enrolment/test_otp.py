"""Enrolment profile: the e-mailed one-time code (spec chapter VDC-OTP).

The suite plays the app (it sends the events) and the mailbox (it reads the code the
implementation e-mailed) for the synthetic beneficiary CAMILLE.
"""

from __future__ import annotations

from conformance.adapters import IutBase
from conformance.cases.enrolment._flow import OPS, Flow, expect_refusal, expect_state, wrong
from conformance.catalogue import tc
from conformance.outcomes import expect

DAY = 24 * 3600


@tc(
    "TC-OTP-001",
    title="The e-mailed code is accepted once",
    purpose="The right code within 10 minutes moves the enrolment on; it cannot be used again.",
    verifies=["VDC-OTP-003"],
    profile="enrolment",
    kind="negative",
    preconditions="an enrolment on the document route, code e-mailed at T",
    expected="accepted at T+599 s (DOCUMENT_CAPTURE); a second submission is refused",
    operations=OPS,
)
def test_code_single_use(iut: IutBase) -> None:
    flow = Flow(iut)
    code = flow.choose_document(seconds=1)
    expect_refusal(flow.submit(code, 1 + 599), None, "the right code was refused")
    expect_state(flow, "DOCUMENT_CAPTURE", "the right code did not move the enrolment on")
    again = flow.submit(code, 1 + 600)
    expect(again is not None, "the code was used twice", expected="a refusal", got="accepted")


@tc(
    "TC-OTP-002",
    title="A code older than ten minutes is refused",
    purpose="The code is valid for 10 minutes after it was sent.",
    verifies=["VDC-OTP-009"],
    profile="enrolment",
    kind="negative",
    preconditions="code e-mailed at T",
    expected="refused code-expired at T+601 s",
    operations=OPS,
)
def test_code_expires(iut: IutBase) -> None:
    flow = Flow(iut)
    code = flow.choose_document(seconds=1)
    expect_refusal(flow.submit(code, 1 + 601), "code-expired", "an expired code was taken")
    expect_state(flow, "CODE_SENT", "an expired code moved the enrolment on")


@tc(
    "TC-OTP-003",
    title="Three wrong tries void the code",
    purpose="After three wrong submissions the code is no longer accepted.",
    verifies=["VDC-OTP-014"],
    profile="enrolment",
    kind="negative",
    preconditions="code e-mailed",
    expected="three wrong codes taken, then the right one refused no-active-code",
    operations=OPS,
)
def test_three_tries(iut: IutBase) -> None:
    flow = Flow(iut)
    code = flow.choose_document()
    for n in range(3):
        expect_refusal(flow.submit(wrong(code, n), 20 + n), None, "a wrong try was refused")
    expect_refusal(flow.submit(code, 30), "no-active-code", "the code survived three tries")


@tc(
    "TC-OTP-004",
    title="A new code voids the previous one",
    purpose="After a new code is requested only the new code opens the next step.",
    verifies=["VDC-OTP-004"],
    profile="enrolment",
    kind="negative",
    preconditions="code e-mailed, a new one requested",
    expected="old code taken as wrong; new code accepted",
    operations=OPS,
)
def test_new_code_voids_old(iut: IutBase) -> None:
    flow = Flow(iut)
    old = flow.choose_document()
    expect_refusal(flow.new_code(60), None, "a new code was refused")
    new = flow.code()
    if old != new:
        expect_refusal(flow.submit(old, 70), None, "the old code was not taken as a try")
        expect_state(flow, "CODE_SENT", "the old code still opened the next step")
    expect_refusal(flow.submit(new, 80), None, "the new code was refused")
    expect_state(flow, "DOCUMENT_CAPTURE", "the new code did not open the next step")


@tc(
    "TC-OTP-005",
    title="Submitted codes are exactly six ASCII digits",
    purpose="A malformed code is refused without costing a try.",
    verifies=["VDC-OTP-002"],
    profile="enrolment",
    kind="negative",
    preconditions="code e-mailed",
    expected="code-malformed for 5 digits, 7 digits and letters; the code still works",
    operations=OPS,
)
def test_malformed_code(iut: IutBase) -> None:
    flow = Flow(iut)
    code = flow.choose_document()
    for n, bad in enumerate((code[:5], code + "1", "12a456", "\uff11" * 6)):
        expect_refusal(flow.submit(bad, 20 + n), "code-malformed", f"{bad!r} was not refused")
    expect_refusal(flow.submit(code, 40), None, "malformed codes cost tries")


@tc(
    "TC-OTP-006",
    title="At most five codes per 24 hours",
    purpose="The sixth code within 24 hours is refused; after the window it is sent.",
    verifies=["VDC-OTP-006"],
    profile="enrolment",
    kind="negative",
    preconditions="first code e-mailed at T",
    expected="four new codes sent; the fifth request refused code-quota-exceeded",
    operations=OPS,
)
def test_code_quota(iut: IutBase) -> None:
    flow = Flow(iut)
    flow.choose_document(seconds=0)
    for n in range(4):
        expect_refusal(flow.new_code(60 * (n + 1)), None, "a new code within quota refused")
    expect_refusal(flow.new_code(300), "code-quota-exceeded", "a sixth code was sent")
    expect_refusal(flow.new_code(DAY + 1), None, "the quota did not end after 24 h")


@tc(
    "TC-OTP-007",
    title="Ten consecutive failures lock the enrolment for 24 hours",
    purpose="Failures count across codes; the tenth locks; the lock ends after 24 h.",
    verifies=["VDC-OTP-010", "VDC-OTP-011", "VDC-OTP-012"],
    profile="enrolment",
    kind="negative",
    preconditions="code e-mailed",
    expected="after 10 wrong codes (over four codes) a new code is refused locked; "
    "accepted again after 24 h",
    operations=OPS,
)
def test_lock_after_ten_failures(iut: IutBase) -> None:
    flow = Flow(iut)
    code = flow.choose_document(seconds=0)
    failures = 0
    moment = 10
    while failures < 10:
        if failures and failures % 3 == 0:
            expect_refusal(flow.new_code(moment), None, "a new code was refused too early")
            code = flow.code()
            moment += 1
        flow.submit(wrong(code, failures), moment)
        failures += 1
        moment += 1
    expect_refusal(flow.new_code(moment), "locked", "ten failures did not lock")
    expect_refusal(flow.new_code(moment + DAY + 1), None, "the lock did not end after 24 h")


@tc(
    "TC-OTP-008",
    title="Code limits carry over to a new enrolment of the same person",
    purpose="Cancelling and starting again does not reset the codes sent in 24 hours.",
    verifies=["VDC-OTP-013"],
    profile="enrolment",
    kind="negative",
    preconditions="five codes sent within 24 hours, then the enrolment cancelled",
    expected="the new enrolment's first code is refused code-quota-exceeded",
    operations=OPS,
)
def test_limits_follow_the_person(iut: IutBase) -> None:
    flow = Flow(iut)
    flow.choose_document(seconds=0)
    for n in range(4):
        expect_refusal(flow.new_code(60 * (n + 1)), None, "a new code within quota refused")
    expect_refusal(flow.refusal({"event": "Cancel"}, 400), None, "cancelling was refused")
    again = Flow(iut, keep=True, at_seconds=500)
    got = again.refusal({"event": "ChooseDocument", "document": "id-card-fr"}, 510)
    expect_refusal(got, "code-quota-exceeded", "a new enrolment reset the code quota")
