"""Route details through the service: switching, e-mails, captures, deadlines, cancellation.

Each test names the requirement it verifies.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from vitale_ref.enrolment import (
    Cancel,
    ChooseDocument,
    ChooseFranceIdentite,
    EnrolmentRefusedError,
    EnrolmentService,
    PersonalCodeSet,
    Reason,
    RequestNewCode,
    State,
    SubmitCode,
    SubmitDocumentVideo,
    SubmitFaceCapture,
    Tick,
    VerificationDecided,
    samples,
)
from vitale_ref.enrolment.samples import CAMILLE, T0
from vitale_ref.randomness import seeded_random

VIDEO = SubmitDocumentVideo(sides=("front", "back"), usable=True, media=b"synthetic video")
FACE = SubmitFaceCapture(kind="photo", usable=True, media=b"synthetic face")


def _started(service: EnrolmentService, label: str = "routes") -> str:
    event = samples.start_event(CAMILLE, seeded_random(label), device_os="ios", os_version=17)
    return service.start(event, now=T0).id


def _to_capture(service: EnrolmentService) -> str:
    enrolment = _started(service)
    service.handle(enrolment, ChooseDocument(document="id-card-fr"), now=T0)
    service.handle(enrolment, SubmitCode(code=samples.last_code(service, enrolment)), now=T0)
    return enrolment


def test_switch_from_france_identite_to_document() -> None:
    """VDC-ENR-022: a person waiting for France Identité may take the document route."""
    service = samples.make_service()
    enrolment = _started(service)
    service.handle(enrolment, ChooseFranceIdentite(), now=T0)
    step = service.handle(enrolment, ChooseDocument(document="passport-fr"), now=T0)
    assert step.record is not None and step.record.state is State.CODE_SENT
    assert step.record.route is not None and step.record.route.value == "document"


def test_code_goes_to_the_account_address_only() -> None:
    """VDC-ENR-031, VDC-OTP-005: no address in the start event; mail to the account address."""
    assert "email" not in {
        f.name for f in dataclasses.fields(samples.start_event(CAMILLE, seeded_random("x")))
    }
    service = samples.make_service()
    enrolment = _started(service)
    service.handle(enrolment, ChooseDocument(document="id-card-fr"), now=T0)
    service.handle(enrolment, RequestNewCode(), now=T0)
    mails = service.outbox()
    assert [(m.kind, m.recipient) for m in mails] == [("code", CAMILLE.email)] * 2


def test_face_capture_is_required_before_the_personal_code() -> None:
    """VDC-ENR-034: the personal code cannot be set before the face capture."""
    service = samples.make_service()
    enrolment = _to_capture(service)
    service.handle(enrolment, VIDEO, now=T0)
    with pytest.raises(EnrolmentRefusedError) as caught:
        service.handle(enrolment, PersonalCodeSet(), now=T0)
    assert caught.value.message == "PersonalCodeSet is not accepted in state FACE_CAPTURE"


def test_id_card_video_needs_both_sides() -> None:
    """VDC-ENR-033: front alone is refused for an identity card."""
    service = samples.make_service()
    enrolment = _to_capture(service)
    front = SubmitDocumentVideo(sides=("front",), usable=True, media=b"synthetic")
    with pytest.raises(EnrolmentRefusedError) as caught:
        service.handle(enrolment, front, now=T0)
    assert caught.value.message == "the video must show: back"


def test_third_unusable_capture_rejects_with_a_mail() -> None:
    """VDC-ENR-035: two retries allowed; the third unusable capture rejects, captures gone."""
    service = samples.make_service()
    enrolment = _to_capture(service)
    service.handle(enrolment, VIDEO, now=T0)
    blurred = SubmitFaceCapture(kind="video", usable=False, media=b"synthetic")
    states = []
    for _ in range(3):
        step = service.handle(enrolment, blurred, now=T0)
        assert step.record is not None
        states.append(step.record.state)
    assert states == [State.FACE_CAPTURE, State.FACE_CAPTURE, State.REJECTED]
    assert service.outbox()[-1].kind == "rejected"
    assert service.store.captures() == []


def test_personal_code_never_reaches_the_service() -> None:
    """VDC-ENR-040: the event has no field, and nothing of a code is stored."""
    assert dataclasses.fields(PersonalCodeSet()) == ()


@pytest.mark.parametrize(
    ("approved", "kind", "state"),
    [(True, "approved", State.APPROVED), (False, "rejected", State.REJECTED)],
)
def test_decision_and_its_mail(approved: bool, kind: str, state: State) -> None:
    """VDC-ENR-050, VDC-ENR-051: the decision moves the state and is e-mailed."""
    service = samples.make_service()
    enrolment = _to_capture(service)
    for event in (VIDEO, FACE, PersonalCodeSet()):
        service.handle(enrolment, event, now=T0)
    assert service.outbox()[-1].kind == "verification-request"
    step = service.handle(enrolment, VerificationDecided(approved=approved), now=T0)
    assert step.record is not None and step.record.state is state
    assert (service.outbox()[-1].kind, service.outbox()[-1].recipient) == (kind, CAMILLE.email)


def test_approval_expires_after_30_days() -> None:
    """VDC-ENR-062: exactly 30 days is still approved; one second more expires."""
    service = samples.make_service()
    enrolment = _to_capture(service)
    for event in (VIDEO, FACE, PersonalCodeSet(), VerificationDecided(approved=True)):
        service.handle(enrolment, event, now=T0)
    assert not service.handle(enrolment, Tick(), now=T0 + timedelta(days=30)).changed
    step = service.handle(enrolment, Tick(), now=T0 + timedelta(days=30, seconds=1))
    assert step.record is not None and step.record.state is State.EXPIRED
    assert service.outbox()[-1].kind == "expired"


def _lock(service: EnrolmentService, enrolment: str) -> None:
    service.handle(enrolment, ChooseDocument(document="id-card-fr"), now=T0)
    for attempt in range(10):
        if attempt in (3, 6, 9):
            service.handle(enrolment, RequestNewCode(), now=T0)
        code = samples.last_code(service, enrolment)
        service.handle(enrolment, SubmitCode(code=f"{(int(code) + 1) % 10**6:06d}"), now=T0)


def test_cancellation_everywhere_but_locked() -> None:
    """VDC-ENR-063: LOCKED cannot be cancelled, so the lock cannot be escaped."""
    service = samples.make_service()
    enrolment = _started(service)
    _lock(service, enrolment)
    assert service.get(enrolment).state is State.LOCKED
    with pytest.raises(EnrolmentRefusedError) as caught:
        service.handle(enrolment, Cancel(), now=T0)
    assert caught.value.reason is Reason.EVENT_OUT_OF_ORDER
    with pytest.raises(EnrolmentRefusedError) as again:
        service.start(samples.start_event(CAMILLE, seeded_random("again")), now=T0)
    assert again.value.reason is Reason.ENROLMENT_IN_PROGRESS


def test_code_counters_follow_the_person() -> None:
    """VDC-OTP-013: cancelling and starting again keeps the quota and the failure run."""
    service = samples.make_service()
    first = _started(service, "first")
    service.handle(first, ChooseDocument(document="id-card-fr"), now=T0)
    for _ in range(4):
        service.handle(first, RequestNewCode(), now=T0)
    service.handle(first, SubmitCode(code="000000"), now=T0)
    service.handle(first, Cancel(), now=T0)
    second = _started(service, "second")
    record = service.get(second)
    assert len(record.otp.issued) == 5 and record.otp.consecutive_failures == 1
    assert not record.otp.has_live_code
    with pytest.raises(EnrolmentRefusedError) as caught:
        service.handle(second, ChooseDocument(document="id-card-fr"), now=T0 + timedelta(hours=1))
    assert caught.value.reason is Reason.CODE_QUOTA_EXCEEDED
