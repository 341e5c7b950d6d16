"""Biometric captures are deleted at the decision and within 7 days (VDC-ENR-070, VDC-ENR-071).

Time is the injected clock: the service's `process(now)` runs the deadlines.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from vitale_ref.enrolment import (
    ChooseDocument,
    EnrolmentService,
    PersonalCodeSet,
    ScriptedDecision,
    ScriptedProofing,
    State,
    SubmitCode,
    SubmitDocumentVideo,
    SubmitFaceCapture,
    samples,
)
from vitale_ref.enrolment.samples import CAMILLE, T0
from vitale_ref.randomness import seeded_random

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def _to_pending(service: EnrolmentService, *, idle_steps: bool = False) -> str:
    """Walk to VERIFICATION_PENDING; with idle_steps, wait almost 24 h between steps."""
    gap = 24 * HOUR if idle_steps else timedelta(minutes=1)
    now = T0
    record = service.start(samples.start_event(CAMILLE, seeded_random("cap")), now=now)
    service.handle(record.id, ChooseDocument(document="id-card-fr"), now=now)
    service.handle(record.id, SubmitCode(code=samples.last_code(service, record.id)), now=now)
    video = SubmitDocumentVideo(sides=("front", "back"), usable=True, media=b"synthetic video")
    service.handle(record.id, video, now=now)
    for usable in (False, False, True):  # two retries, each waiting the longest allowed
        now += gap
        face = SubmitFaceCapture(kind="video", usable=usable, media=b"synthetic face")
        service.handle(record.id, face, now=now)
    now += gap
    service.handle(record.id, PersonalCodeSet(), now=now)
    return record.id


def test_captures_are_kept_until_the_decision_then_deleted() -> None:
    """VDC-ENR-070: both captures kept while pending, gone in the decision's transaction."""
    proofing = ScriptedProofing(
        default=ScriptedDecision(approved=True, delay=timedelta(minutes=30))
    )
    service = samples.make_service(proofing=proofing)
    enrolment = _to_pending(service)
    assert [kind for _, kind, _ in service.store.captures(enrolment)] == ["document", "face"]
    service.process(now=T0 + HOUR)
    assert service.get(enrolment).state is State.VERIFICATION_PENDING
    assert len(service.store.captures(enrolment)) == 2
    service.process(now=T0 + 2 * HOUR)
    assert service.get(enrolment).state is State.APPROVED
    assert service.store.captures() == []
    assert service.get(enrolment).captures == ()


@pytest.mark.parametrize("approved", [True, False])
def test_decision_either_way_deletes(approved: bool) -> None:
    """VDC-ENR-070: a rejection deletes as well as an approval."""
    proofing = ScriptedProofing(default=ScriptedDecision(approved=approved, delay=timedelta(0)))
    service = samples.make_service(proofing=proofing)
    enrolment = _to_pending(service)
    service.process(now=T0 + HOUR)
    assert service.get(enrolment).state is (State.APPROVED if approved else State.REJECTED)
    assert service.store.captures() == []


def test_slowest_path_deletes_within_7_days() -> None:
    """VDC-ENR-071: waiting the longest at every step, captures are gone before 7 days."""
    never = ScriptedProofing(default=ScriptedDecision(delay=timedelta(days=30)))
    service = samples.make_service(proofing=never)
    enrolment = _to_pending(service, idle_steps=True)
    first = service.store.captures(enrolment)[0][2]
    assert first == T0
    deadline = service.get(enrolment).pending_since
    assert deadline is not None
    service.process(now=deadline + 48 * HOUR)
    assert len(service.store.captures(enrolment)) == 2
    expiry = deadline + 48 * HOUR + timedelta(seconds=1)
    service.process(now=expiry)
    assert service.get(enrolment).state is State.EXPIRED
    assert service.store.captures() == []
    assert expiry - first < 7 * DAY


def test_abandonment_deletes_captures() -> None:
    """VDC-ENR-060, VDC-ENR-070: an enrolment left after a capture is abandoned with it."""
    service = samples.make_service()
    record = service.start(samples.start_event(CAMILLE, seeded_random("ab")), now=T0)
    service.handle(record.id, ChooseDocument(document="id-card-fr"), now=T0)
    service.handle(record.id, SubmitCode(code=samples.last_code(service, record.id)), now=T0)
    video = SubmitDocumentVideo(sides=("front", "back"), usable=True, media=b"synthetic video")
    service.handle(record.id, video, now=T0)
    service.process(now=T0 + 24 * HOUR)
    assert len(service.store.captures()) == 1
    service.process(now=T0 + 24 * HOUR + timedelta(seconds=1))
    assert service.get(record.id).state is State.ABANDONED
    assert service.store.captures() == []
