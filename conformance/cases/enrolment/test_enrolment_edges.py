"""Enrolment profile: eligibility, dated policy, deadlines and steps at their edges (VDC-ENR).

The suite plays the app and the identity services for the synthetic accounts of the
enrolment chapter. Each case takes one rule to its edge (the day a policy rule takes
effect, the sixteenth birthday, the minimum system version, 24 hours idle, 48 hours of
verification, 30 days of approval, three captures) or breaks one rule of order (the
eligibility checks, the steps of the document route, one enrolment at a time). The day
of an event is the UTC day of its `now`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from conformance.adapters import IutBase
from conformance.cases.enrolment._flow import (
    FACE,
    OPS,
    VIDEO,
    Flow,
    at,
    expect_refusal,
    expect_state,
    seconds,
    start_event,
    start_refusal,
)
from conformance.catalogue import Param, tc
from conformance.outcomes import expect
from vitale_ref.enrolment import Account, samples

DAY = 24 * 3600.0
NO_ACCOUNT_NIR = "178016938100515"
"""A valid NIR that no synthetic account holds."""
BAD_KEY_NIR = "290017505612300"


def _noon(day: str) -> float:
    return seconds(datetime.fromisoformat(f"{day}T12:00:00").replace(tzinfo=UTC))


def _orders() -> Iterable[Param]:
    old = {"device_os": "android", "version": 7}
    yield "bad-nir-and-old-system", (None, BAD_KEY_NIR, old, "nir-invalid")
    yield "no-account-and-old-system", (None, NO_ACCOUNT_NIR, old, "no-insurance-account")
    yield "no-carte-vitale-and-old-system", (None, samples.ALEX.nir, old, "no-carte-vitale")
    yield "under-age-and-old-system", (None, samples.LOU.nir, old, "under-minimum-age")
    camille = samples.CAMILLE.nir
    yield "old-system-and-in-progress", (camille, camille, old, "os-not-supported")
    yield "in-progress", (camille, camille, {}, "enrolment-in-progress")


@tc(
    "TC-ENR-006",
    title="The eligibility checks at the start come in their order",
    purpose="A start that fails several eligibility checks is refused with the first in "
    "the order NIR, account, carte Vitale, age, system, enrolment in progress.",
    verifies=["VDC-ENR-010", "VDC-ENR-003"],
    profile="enrolment",
    kind="negative",
    preconditions="the synthetic accounts; for the last two, an enrolment of CAMILLE in progress",
    expected="nir-invalid, no-insurance-account, no-carte-vitale, under-minimum-age, "
    "os-not-supported, enrolment-in-progress",
    operations=OPS,
    params=_orders,
)
def test_eligibility_order(
    iut: IutBase, param: tuple[str | None, str, dict[str, Any], str]
) -> None:
    earlier, nir, system, reason = param
    iut.call("enrolment.setup", {"seed": "conformance/eligibility"})
    if earlier is not None:
        expect_refusal(start_refusal(iut, start_event(earlier), 0), None, "the first start")
    got = start_refusal(iut, start_event(nir, **system), 10)
    expect_refusal(got, reason, "the start was refused for another reason than the first")


def _ages() -> Iterable[Param]:
    birthday = _noon("2028-06-30") - 12 * 3600  # 00:00 UTC on the 16th birthday
    yield "day-before-the-16th-birthday", (_noon("2028-06-29"), "under-minimum-age")
    yield "last-microsecond-before-it", (birthday - 0.000001, "under-minimum-age")
    yield "16th-birthday-at-midnight-utc", (birthday, None)
    yield "16th-birthday", (_noon("2028-06-30"), None)
    yield "day-after", (_noon("2028-07-01"), None)


@tc(
    "TC-ENR-007",
    title="The minimum age is reached on the birthday",
    purpose="LOU, born on 2012-06-30, may start an enrolment from her 16th birthday "
    "(the minimum age of the policy), from 00:00 UTC that day (the day of an event is "
    "the UTC day of its now), not one microsecond before.",
    verifies=["VDC-ENR-010", "VDC-ENR-011"],
    profile="enrolment",
    kind="boundary",
    preconditions="the synthetic account LOU (born 2012-06-30); minimum age 16",
    expected="under-minimum-age until 2028-06-29T23:59:59.999999Z; ROUTE_CHOICE from "
    "2028-06-30T00:00:00Z",
    operations=OPS,
    params=_ages,
)
def test_minimum_age(iut: IutBase, param: tuple[float, str | None]) -> None:
    moment, reason = param
    iut.call("enrolment.setup", {"seed": "conformance/age"})
    got = start_refusal(iut, start_event(samples.LOU.nir), moment)
    expect_refusal(got, reason, f"LOU's start at {at(moment)}")


def _systems() -> Iterable[Param]:
    for device_os, document, france_identite in (("android", 8, 9), ("ios", 15, 16)):
        yield f"{device_os}-{document - 1}", (device_os, document - 1, "os-not-supported", None)
        yield f"{device_os}-{document}", (device_os, document, None, "os-not-supported")
        yield f"{device_os}-{france_identite}", (device_os, france_identite, None, None)


@tc(
    "TC-ENR-008",
    title="System versions at the floors of the two routes",
    purpose="Below the lowest floor (Android 8, iOS 15, the document route's) the start is "
    "refused; at it the start is taken but France Identité refused; from Android 9 or "
    "iOS 16 France Identité is open.",
    verifies=["VDC-ENR-010", "VDC-ENR-020", "VDC-ENR-011"],
    profile="enrolment",
    kind="boundary",
    preconditions="the synthetic account CAMILLE",
    expected="Android 7 / iOS 14 refused at the start; Android 8 / iOS 15 refused France "
    "Identité; Android 9 / iOS 16 reach FI_ASSERTION",
    operations=OPS,
    params=_systems,
)
def test_system_floors(iut: IutBase, param: tuple[str, int, str | None, str | None]) -> None:
    device_os, version, at_start, at_choice = param
    if at_start is not None:
        iut.call("enrolment.setup", {"seed": "conformance/systems"})
        event = start_event(samples.CAMILLE.nir, device_os=device_os, version=version)
        got = start_refusal(iut, event, 0)
        expect_refusal(got, at_start, f"{device_os} {version} at the start")
        return
    flow = Flow(iut, "conformance/systems", device_os=device_os, version=version)
    got = flow.refusal({"event": "ChooseFranceIdentite"}, 10)
    expect_refusal(got, at_choice, f"{device_os} {version} choosing France Identité")
    expect_state(flow, "ROUTE_CHOICE" if at_choice else "FI_ASSERTION", "wrong state")


def _dated_rules() -> Iterable[Param]:
    yield "document-route-opens", (samples.SACHA, "id-card-fr", "2023-06-01", "route-not-open")
    yield (
        "department-75-opens",
        (samples.CAMILLE, "id-card-fr", "2024-03-01", "department-not-open"),
    )
    yield (
        "every-department-opens",
        (
            samples.DOMINIQUE,
            "id-card-fr",
            "2025-06-30",
            "department-not-open",
        ),
    )
    yield (
        "belgian-card-accepted",
        (
            samples.SACHA,
            "residence-card-be",
            "2024-09-01",
            "document-not-accepted",
        ),
    )


@tc(
    "TC-ENR-009",
    title="A dated policy rule applies from its day, not before",
    purpose="The document route (2023-06-01), the 46-department wave (2024-03-01), every "
    "department (2025-06-30) and the Belgian residence card (2024-09-01): choosing the "
    "document at 23:59:59.999999 UTC the day before is refused with the rule's reason, the "
    "same enrolment choosing it at 00:00 UTC on the day gets a code.",
    verifies=["VDC-ENR-011", "VDC-ENR-030"],
    profile="enrolment",
    kind="boundary",
    preconditions="the synthetic accounts SACHA (69), CAMILLE (75), DOMINIQUE (23)",
    expected="the rule's refusal one microsecond before the day; CODE_SENT at its first instant",
    operations=OPS,
    params=_dated_rules,
)
def test_dated_rules(iut: IutBase, param: tuple[Account, str, str, str]) -> None:
    account, document, day, reason = param
    # The day of an event is the UTC day of its now: the last microsecond of the day
    # before, then 00:00 UTC on the day, both within 24 h of the start.
    on_the_day = _noon(day) - 12 * 3600
    day_before = on_the_day - 0.000001
    flow = Flow(iut, "conformance/dated", at_seconds=day_before - 10, account=account)
    choose = {"event": "ChooseDocument", "document": document}
    expect_refusal(flow.refusal(choose, day_before), reason, f"{document} the day before")
    expect_state(flow, "ROUTE_CHOICE", "a refused choice changed the enrolment")
    expect_refusal(flow.refusal(choose, on_the_day), None, f"{document} on {day}")
    expect_state(flow, "CODE_SENT", "the rule did not apply on its day")


MICRO = 0.000001


def _deadlines() -> Iterable[Param]:
    yield "idle-24-h", "idle"
    yield "decision-at-48-h", "decision"
    yield "verification-48-h", "verification"
    yield "first-unlock-at-30-days", "unlock"
    yield "approval-30-days", "approval"


def _approved(flow: Flow) -> float:
    pending = flow.to_pending(10)
    flow.send({"event": "VerificationDecided", "approved": True, "reason": ""}, pending + 60)
    expect_state(flow, "APPROVED", "the positive decision was not applied")
    return pending + 60


@tc(
    "TC-ENR-010",
    title="Deadlines at their exact edge and one microsecond beyond",
    purpose="An enrolment idle for exactly 24 h is kept, a microsecond more abandons it; a "
    "decision exactly 48 h after the personal code is applied, a Tick then keeps the wait "
    "and a microsecond more expires it; an approval is unlocked or kept exactly 30 days "
    "after the decision and expires a microsecond later.",
    verifies=["VDC-ENR-060", "VDC-ENR-061", "VDC-ENR-062", "VDC-ENR-052"],
    profile="enrolment",
    kind="boundary",
    preconditions="the synthetic account CAMILLE on the document route",
    expected="kept at the edge, ABANDONED / EXPIRED one microsecond after; the decision "
    "and the first unlock at the edge are applied",
    operations=OPS,
    params=_deadlines,
)
def test_deadline_edges(iut: IutBase, param: str) -> None:
    flow = Flow(iut)
    if param == "idle":
        edge, kept, ended = DAY, "ROUTE_CHOICE", "ABANDONED"
    elif param in ("decision", "verification"):
        edge, kept, ended = flow.to_pending(10) + 2 * DAY, "VERIFICATION_PENDING", "EXPIRED"
    else:
        edge, kept, ended = _approved(flow) + 30 * DAY, "APPROVED", "EXPIRED"
    if param == "decision":
        flow.send({"event": "VerificationDecided", "approved": True, "reason": ""}, edge)
        expect_state(flow, "APPROVED", "a decision at exactly 48 h was not applied")
        return
    if param == "unlock":
        flow.send({"event": "FirstUnlock"}, edge)
        expect_state(flow, "ACTIVE", "a first unlock at exactly 30 days was not applied")
        return
    flow.send({"event": "Tick"}, edge)
    expect_state(flow, kept, "the deadline fired at its edge")
    flow.send({"event": "Tick"}, edge + MICRO)
    expect_state(flow, ended, "the deadline did not fire one microsecond after its edge")


@tc(
    "TC-ENR-011",
    title="The steps of the document route come in their order",
    purpose="Before the code is accepted no capture is taken; the face comes after the "
    "document video; the personal code after the face; a first unlock only after a "
    "positive decision. Each early event is refused event-out-of-order and changes "
    "neither the state nor the captures.",
    verifies=["VDC-ENR-032", "VDC-ENR-034", "VDC-ENR-052", "VDC-ENR-002", "VDC-ENR-003"],
    profile="enrolment",
    kind="negative",
    preconditions="the synthetic account CAMILLE on the document route",
    expected="event-out-of-order for each early event; state and captures unchanged",
    operations=OPS,
)
def test_steps_in_order(iut: IutBase) -> None:
    flow = Flow(iut)
    code = flow.choose_document(10)
    moment = 20.0
    plan: list[tuple[str, list[dict[str, Any]], dict[str, Any] | None]] = [
        ("CODE_SENT", [VIDEO, FACE, {"event": "PersonalCodeSet"}], {"code": code}),
        ("DOCUMENT_CAPTURE", [FACE, {"event": "PersonalCodeSet"}], VIDEO),
        ("FACE_CAPTURE", [{"event": "PersonalCodeSet"}, {"event": "FirstUnlock"}], FACE),
        ("PIN_SETUP", [{"event": "FirstUnlock"}], {"event": "PersonalCodeSet"}),
        ("VERIFICATION_PENDING", [{"event": "FirstUnlock"}, VIDEO], None),
    ]
    for state, early_events, step in plan:
        captures = flow.captures()
        for event in early_events:
            moment += 1
            got = flow.refusal(event, moment)
            expect_refusal(got, "event-out-of-order", f"{event['event']} taken in {state}")
            expect_state(flow, state, f"a refused {event['event']} changed the state")
            expect(
                flow.captures() == captures,
                f"a refused {event['event']} changed the captures",
                expected=str(captures),
                got=str(flow.captures()),
            )
        if step is not None:
            moment += 1
            if "code" in step:
                expect_refusal(flow.submit(code, moment), None, "the right code was refused")
            else:
                flow.send(step, moment)


def _retries() -> Iterable[Param]:
    yield "two-unusable-in-each-step", (2, 2)
    yield "third-unusable-document", (3, 0)
    yield "third-unusable-face", (0, 3)


@tc(
    "TC-ENR-012",
    title="Capture retries: two unusable captures per step, not three",
    purpose="Two unusable captures of the document then a usable one, and the same for "
    "the face, lead to the personal code: the count is per step. The third unusable "
    "capture of either step rejects the enrolment and deletes its captures.",
    verifies=["VDC-ENR-035", "VDC-ENR-070"],
    profile="enrolment",
    kind="boundary",
    preconditions="the synthetic account CAMILLE, code accepted",
    expected="PIN_SETUP with 2 captures after 2 + 2 unusable; REJECTED with 0 captures "
    "after a third unusable one",
    operations=OPS,
    params=_retries,
)
def test_capture_retries(iut: IutBase, param: tuple[int, int]) -> None:
    document_failures, face_failures = param
    flow = Flow(iut)
    code = flow.choose_document(10)
    expect_refusal(flow.submit(code, 20), None, "the right code was refused")
    moment = 30.0
    for event, failures, state in (
        (VIDEO, document_failures, "DOCUMENT_CAPTURE"),
        (FACE, face_failures, "FACE_CAPTURE"),
    ):
        for _ in range(failures):
            moment += 1
            flow.send({**event, "usable": False}, moment)
        if failures >= 3:
            expect_state(flow, "REJECTED", "the third unusable capture did not reject")
            kept = flow.captures()
            expect(kept == 0, "a rejected enrolment kept its captures", expected="0", got=str(kept))
            return
        expect_state(flow, state, f"{failures} unusable captures ended the step")
        moment += 1
        flow.send(event, moment)
    expect_state(flow, "PIN_SETUP", "usable captures after retries did not lead on")


def _documents() -> Iterable[Param]:
    yield "passport-photo-page", ("passport-fr", ["photo-page"], None)
    yield "id-card-back-then-front", ("id-card-fr", ["back", "front"], None)
    yield "id-card-front-only", ("id-card-fr", ["front"], "capture-sides-missing")
    yield "id-card-photo-page", ("id-card-fr", ["photo-page"], "capture-sides-missing")
    yield "residence-permit-back-only", ("residence-permit-fr", ["back"], "capture-sides-missing")


@tc(
    "TC-ENR-013",
    title="The document video shows every side the document has",
    purpose="A passport needs its photo page, identity and residence cards front and back "
    "in any order; a video lacking a side is refused capture-sides-missing, three times "
    "in a row without costing a capture try, and a complete video is then taken.",
    verifies=["VDC-ENR-033", "VDC-ENR-003", "VDC-ENR-035"],
    profile="enrolment",
    kind="negative",
    preconditions="the synthetic account CAMILLE, code accepted for the document",
    expected="FACE_CAPTURE for complete videos; capture-sides-missing otherwise, then "
    "FACE_CAPTURE for the complete video",
    operations=OPS,
    params=_documents,
)
def test_document_sides(iut: IutBase, param: tuple[str, list[str], str | None]) -> None:
    document, sides, reason = param
    flow = Flow(iut)
    flow.send({"event": "ChooseDocument", "document": document}, 10)
    expect_refusal(flow.submit(flow.code(), 20), None, "the right code was refused")
    video = {**VIDEO, "sides": sides}
    attempts = 3 if reason else 1
    for n in range(attempts):
        expect_refusal(flow.refusal(video, 30 + n), reason, f"{document} with {sides}")
    if reason:
        expect_state(flow, "DOCUMENT_CAPTURE", "a refused video changed the enrolment")
        complete = ["photo-page"] if document == "passport-fr" else ["front", "back"]
        flow.send({**VIDEO, "sides": complete}, 40)
    expect_state(flow, "FACE_CAPTURE", "the complete video was not taken")


def _first_states() -> Iterable[Param]:
    for state in ("CODE_SENT", "LOCKED", "DOCUMENT_CAPTURE", "VERIFICATION_PENDING", "APPROVED"):
        yield state.lower().replace("_", "-"), (state, "enrolment-in-progress")
    for state in ("CANCELLED", "REJECTED", "EXPIRED", "ABANDONED"):
        yield state.lower(), (state, None)


def _bring_to(flow: Flow, state: str) -> None:
    if state == "LOCKED":
        flow.lock(10)
    elif state in ("CODE_SENT", "CANCELLED"):
        flow.choose_document(10)
        if state == "CANCELLED":
            flow.send({"event": "Cancel"}, 20)
    elif state == "DOCUMENT_CAPTURE":
        expect_refusal(flow.submit(flow.choose_document(10), 20), None, "the code was refused")
    elif state == "VERIFICATION_PENDING":
        flow.to_pending(10)
    elif state == "EXPIRED":
        flow.send({"event": "Tick"}, flow.to_pending(10) + 2 * DAY + 1)
    elif state == "ABANDONED":
        flow.send({"event": "Tick"}, DAY + 1)
    else:
        pending = flow.to_pending(10)
        approved = state == "APPROVED"
        decision = {"event": "VerificationDecided", "approved": approved, "reason": ""}
        flow.send(decision, pending + 10)
    expect_state(flow, state, "the first enrolment did not reach its state")


@tc(
    "TC-ENR-014",
    title="One enrolment at a time, in every state before the end",
    purpose="While a first enrolment of the same NIR waits for a code, is locked, takes "
    "captures, waits for the decision or for the first unlock, a second start is refused "
    "enrolment-in-progress; once it is cancelled, rejected, expired or abandoned, a second "
    "start is taken.",
    verifies=["VDC-ENR-012", "VDC-ENR-010"],
    profile="enrolment",
    kind="negative",
    preconditions="the synthetic account CAMILLE",
    expected="enrolment-in-progress for the five states in progress; ROUTE_CHOICE after "
    "CANCELLED, REJECTED, EXPIRED or ABANDONED",
    operations=OPS,
    params=_first_states,
)
def test_one_at_a_time(iut: IutBase, param: tuple[str, str | None]) -> None:
    state, reason = param
    flow = Flow(iut)
    _bring_to(flow, state)
    got = start_refusal(iut, start_event(samples.CAMILLE.nir, version=13), 3 * DAY)
    expect_refusal(got, reason, f"a second start while the first is {state}")
