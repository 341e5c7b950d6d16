"""Refused events change nothing and name their reason (VDC-ENR-003, VDC-ENR-010..021).

The whole database is dumped before and after each refused event; the dumps must be
identical. Messages are asserted exactly.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from vitale_ref.enrolment import (
    ChooseDocument,
    ChooseFranceIdentite,
    EnrolmentRefusedError,
    EnrolmentService,
    Event,
    FiIdentity,
    FirstUnlock,
    InvalidEventError,
    Reason,
    SimulatedFranceIdentite,
    StartEnrolment,
    SubmitCode,
    SubmitDocumentVideo,
    SubmitFaceCapture,
    Tick,
    apply,
    samples,
)
from vitale_ref.enrolment._codec import event_from_json
from vitale_ref.enrolment.samples import ALEX, CAMILLE, DOMINIQUE, LOU, T0
from vitale_ref.randomness import seeded_random

KEYS = seeded_random("refusal-keys")


def _dump(service: EnrolmentService) -> list[str]:
    return list(service.store.connection.iterdump())


def _refused(service: EnrolmentService, call: object, reason: Reason, message: str) -> None:
    before = _dump(service)
    with pytest.raises(EnrolmentRefusedError) as caught:
        call()  # type: ignore[operator]
    assert caught.value.reason is reason
    assert str(caught.value) == f"{reason}: {message}"
    assert _dump(service) == before


@pytest.mark.parametrize(
    ("nir", "device_os", "version", "reason", "message"),
    [
        (
            CAMILLE.nir[:-2] + "21",
            "android",
            14,
            Reason.NIR_INVALID,
            "the NIR is not valid: key 21 (positions 14-15) does not match positions 1-13",
        ),
        (
            "178016938100515",
            "android",
            14,
            Reason.NO_INSURANCE_ACCOUNT,
            "no online insurance account for this NIR",
        ),
        (ALEX.nir, "android", 14, Reason.NO_CARTE_VITALE, "no carte Vitale exists for this NIR"),
        (LOU.nir, "android", 14, Reason.UNDER_MINIMUM_AGE, "the holder must be at least 16"),
        (CAMILLE.nir, "android", 7, Reason.OS_NOT_SUPPORTED, "android 7 is too old"),
        (CAMILLE.nir, "ios", 14, Reason.OS_NOT_SUPPORTED, "ios 14 is too old"),
    ],
)
def test_start_refusals(
    nir: str, device_os: str, version: int, reason: Reason, message: str
) -> None:
    """VDC-ENR-010: each eligibility check refuses with its reason; nothing is written."""
    service = samples.make_service()
    event = StartEnrolment(
        nir=nir,
        device_os=device_os,
        os_version=version,
        device_public_key=samples.device_public_key(KEYS),
    )
    _refused(service, lambda: service.start(event, now=T0), reason, message)


def test_second_enrolment_in_parallel_is_refused() -> None:
    """VDC-ENR-012."""
    service = samples.make_service()
    service.start(samples.start_event(CAMILLE, KEYS), now=T0)
    _refused(
        service,
        lambda: service.start(samples.start_event(CAMILLE, KEYS), now=T0),
        Reason.ENROLMENT_IN_PROGRESS,
        "another enrolment for this NIR is in progress",
    )


def test_out_of_order_and_unknown_enrolment() -> None:
    """VDC-ENR-001, VDC-ENR-032: an event with no row is refused; captures wait for the code."""
    service = samples.make_service()
    record = service.start(samples.start_event(CAMILLE, KEYS), now=T0)
    video = SubmitDocumentVideo(sides=("front", "back"), usable=True, media=b"x")
    _refused(
        service,
        lambda: service.handle(record.id, video, now=T0),
        Reason.EVENT_OUT_OF_ORDER,
        "SubmitDocumentVideo is not accepted in state ROUTE_CHOICE",
    )
    _refused(
        service,
        lambda: service.handle("enr-missing", FirstUnlock(), now=T0),
        Reason.UNKNOWN_ENROLMENT,
        "no enrolment 'enr-missing'",
    )


def test_department_not_open_and_document_not_accepted() -> None:
    """VDC-ENR-030: the department is named; the accepted list is given."""
    service = samples.make_service()
    day = datetime(2024, 6, 3, 9, 0, tzinfo=T0.tzinfo)
    record = service.start(samples.start_event(DOMINIQUE, KEYS), now=day)
    _refused(
        service,
        lambda: service.handle(record.id, ChooseDocument(document="id-card-fr"), now=day),
        Reason.DEPARTMENT_NOT_OPEN,
        "the identity-document route is not yet open in department 23",
    )
    _refused(
        service,
        lambda: service.handle(record.id, ChooseDocument(document="driving-licence-fr"), now=day),
        Reason.DOCUMENT_NOT_ACCEPTED,
        "driving-licence-fr is not accepted; accepted: id-card-fr, passport-fr, "
        "residence-permit-fr, withdrawal-agreement-card",
    )
    opens = service.policy.department_opening("23")
    assert opens == date(2025, 6, 30)


def test_france_identite_assertion_checks() -> None:
    """VDC-ENR-021: signature, freshness, identity and card date."""
    service = samples.make_service()
    fi = service.collaborators.france_identite
    assert isinstance(fi, SimulatedFranceIdentite)
    record = service.start(
        samples.start_event(CAMILLE, KEYS, device_os="ios", os_version=16), now=T0
    )
    service.handle(record.id, ChooseFranceIdentite(), now=T0)
    good = FiIdentity(
        nir=CAMILLE.nir, birth_date=CAMILLE.birth_date, card_issued_on=date(2021, 3, 15)
    )
    assertion = fi.assert_identity(good, T0)
    tampered = assertion[:-2] + b"0}"
    for bad, message in (
        (tampered, "the assertion is not signed by France Identité"),
        (b"short", "an assertion is 33 to 4096 bytes"),
    ):
        _refused(
            service,
            lambda bad=bad: service.submit_france_identite(record.id, bad, now=T0),
            Reason.ASSERTION_INVALID,
            message,
        )
    _refused(
        service,
        lambda: service.submit_france_identite(
            record.id, assertion, now=T0 + timedelta(minutes=5, seconds=1)
        ),
        Reason.ASSERTION_INVALID,
        "the assertion is stale or from the future",
    )
    old = fi.assert_identity(
        FiIdentity(
            nir=CAMILLE.nir, birth_date=CAMILLE.birth_date, card_issued_on=date(2021, 3, 14)
        ),
        T0,
    )
    _refused(
        service,
        lambda: service.submit_france_identite(record.id, old, now=T0),
        Reason.CARD_NOT_MODERN,
        "only identity cards issued from 2021-03-15 qualify",
    )
    step = service.submit_france_identite(record.id, assertion, now=T0 + timedelta(minutes=5))
    assert step.record is not None and step.record.state.value == "PIN_SETUP"


def test_code_refusals_change_nothing() -> None:
    """VDC-OTP-002, VDC-OTP-009 through the service: refused codes are not written."""
    service = samples.make_service()
    record = service.start(samples.start_event(CAMILLE, KEYS), now=T0)
    service.handle(record.id, ChooseDocument(document="passport-fr"), now=T0)
    _refused(
        service,
        lambda: service.handle(record.id, SubmitCode(code="12 456"), now=T0),
        Reason.CODE_MALFORMED,
        "a code is exactly 6 digits",
    )
    code = samples.last_code(service, record.id)
    _refused(
        service,
        lambda: service.handle(record.id, SubmitCode(code=code), now=T0 + timedelta(seconds=601)),
        Reason.CODE_EXPIRED,
        "the code is older than 10 minutes",
    )
    sides = SubmitDocumentVideo(sides=("front", "back"), usable=True, media=b"x")
    service.handle(record.id, SubmitCode(code=code), now=T0 + timedelta(seconds=600))
    _refused(
        service,
        lambda: service.handle(record.id, sides, now=T0),
        Reason.CAPTURE_SIDES_MISSING,
        "the video must show: photo-page",
    )


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: SubmitCode(code="1" * 17), "code: at most 16 chars"),
        (
            lambda: SubmitDocumentVideo(sides=("front", "front"), usable=True, media=b"x"),
            "sides: distinct values among ('front', 'back', 'photo-page')",
        ),
        (
            lambda: SubmitDocumentVideo(sides=("front",), usable=True, media=b""),
            "media: 1 byte to 1 MiB",
        ),
        (
            lambda: SubmitFaceCapture(kind="selfie", usable=True, media=b"x"),
            "kind: one of ('photo', 'video')",
        ),
        (
            lambda: StartEnrolment(
                nir="x", device_os="android", os_version=14, device_public_key=b"\x04"
            ),
            "device_public_key: an uncompressed P-256 point (65 bytes, 04 first)",
        ),
        (
            lambda: ChooseDocument(document="Passport FR"),
            "document: a document identifier such as 'passport-fr'",
        ),
    ],
)
def test_events_validate_themselves(build: object, message: str) -> None:
    """Malformed events never reach the machine."""
    with pytest.raises(InvalidEventError) as caught:
        build()  # type: ignore[operator]
    assert str(caught.value) == message


def test_now_must_be_aware_utc() -> None:
    service = samples.make_service()
    env = service._environment(T0)
    with pytest.raises(InvalidEventError) as caught:
        apply(None, Tick(), now=datetime(2026, 1, 5), env=env)
    assert str(caught.value) == "now must be a timezone-aware datetime in UTC"
    with pytest.raises(InvalidEventError):
        apply(None, object(), now=T0, env=env)  # type: ignore[arg-type]
    assert isinstance(Tick(), Event)


@pytest.mark.parametrize(
    "data",
    [
        {"event": "SubmitFaceCapture", "kind": "photo", "usable": True, "media": "zz"},
        {"event": "StartEnrolment", "birth_date": "1985-13-40"},
    ],
    ids=["bad-hex", "bad-date"],
)
def test_event_json_with_bad_field_values_is_a_typed_error(data: dict[str, object]) -> None:
    """Field conversion errors (hex, ISO dates) are InvalidEventError, not ValueError."""
    with pytest.raises(InvalidEventError):
        event_from_json(data)
