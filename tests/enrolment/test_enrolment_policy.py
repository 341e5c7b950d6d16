"""Eligibility is dated data (VDC-ENR-011, VDC-ENR-010, VDC-ENR-020, VDC-ENR-030)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from vitale_ref.enrolment import (
    Account,
    ChooseDocument,
    ChooseFranceIdentite,
    EligibilityPolicy,
    EnrolmentRefusedError,
    MemoryDirectory,
    Reason,
    Route,
    StartEnrolment,
    samples,
)
from vitale_ref.enrolment.samples import CAMILLE, DOMINIQUE, SACHA
from vitale_ref.randomness import seeded_random

POLICY = EligibilityPolicy.load_default()


def test_rollout_is_a_dated_table() -> None:
    """Pilot, 46 departments, then all: each rule applies from its effective date."""
    assert POLICY.on(date(2023, 5, 31)).departments == frozenset()
    assert POLICY.on(date(2023, 6, 1)).departments == frozenset({"06", "69"})
    wave = POLICY.on(date(2024, 3, 1)).departments
    assert wave is not None and len(wave) == 46 and "75" in wave and "23" not in wave
    assert POLICY.on(date(2024, 2, 29)).departments == frozenset({"06", "69"})
    assert POLICY.on(date(2025, 6, 30)).departments is None
    assert POLICY.on(date(2025, 6, 30)).department_open("23")
    assert not POLICY.on(date(2025, 6, 29)).department_open("23")
    assert POLICY.department_opening("75") == date(2024, 3, 1)


def test_documents_per_route_and_date() -> None:
    """Residence cards of BE/ES/PT join on 2024-09-01; the modern card is the FI route's."""
    before = {d.id for d in POLICY.on(date(2024, 8, 31)).documents_for(Route.DOCUMENT)}
    after = {d.id for d in POLICY.on(date(2024, 9, 1)).documents_for(Route.DOCUMENT)}
    assert after - before == {"residence-card-be", "residence-card-es", "residence-card-pt"}
    assert "passport-fr" in before
    assert [d.id for d in POLICY.on(date(2024, 9, 1)).documents_for(Route.FRANCE_IDENTITE)] == [
        "id-card-modern"
    ]
    rules = POLICY.on(date(2026, 1, 1))
    assert rules.documents["passport-fr"].sides == ("photo-page",)
    assert rules.documents["id-card-fr"].sides == ("front", "back")
    assert rules.os_minimum[Route.FRANCE_IDENTITE] == {"android": 9, "ios": 16}


@pytest.mark.parametrize(
    ("device_os", "version", "accepted"),
    [("android", 9, True), ("android", 8, False), ("ios", 16, True), ("ios", 15, False)],
)
def test_france_identite_os_limits(device_os: str, version: int, accepted: bool) -> None:
    """VDC-ENR-020: Android 9+ and iOS 16+, exactly at the limit and one below."""
    service = samples.make_service()
    event = samples.start_event(
        CAMILLE, seeded_random("os"), device_os=device_os, os_version=version
    )
    record = service.start(event, now=samples.T0)
    if accepted:
        service.handle(record.id, ChooseFranceIdentite(), now=samples.T0)
        assert service.get(record.id).state.value == "FI_ASSERTION"
    else:
        with pytest.raises(EnrolmentRefusedError) as caught:
            service.handle(record.id, ChooseFranceIdentite(), now=samples.T0)
        assert caught.value.reason is Reason.OS_NOT_SUPPORTED
        assert caught.value.message == (
            f"the France Identité route needs {device_os} {version + 1} or later"
        )


@pytest.mark.parametrize(
    ("day", "accepted"), [(date(2028, 1, 29), False), (date(2028, 1, 30), True)]
)
def test_minimum_age_on_the_16th_birthday(day: date, accepted: bool) -> None:
    """VDC-ENR-010: the day before the 16th birthday is refused, the birthday accepted."""
    young = Account(
        nir=SACHA.nir,
        birth_date=date(2012, 1, 30),
        email="young.exemple@example.org",
        department="69",
        has_carte_vitale=True,
    )
    service = samples.make_service()
    directory = service.collaborators.directory
    assert isinstance(directory, MemoryDirectory)
    directory.accounts[young.nir] = young
    event = StartEnrolment(
        nir=young.nir,
        device_os="android",
        os_version=14,
        device_public_key=samples.device_public_key(seeded_random("young")),
    )
    now = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    if accepted:
        assert service.start(event, now=now).state.value == "ROUTE_CHOICE"
    else:
        with pytest.raises(EnrolmentRefusedError) as caught:
            service.start(event, now=now)
        assert caught.value.reason is Reason.UNDER_MINIMUM_AGE


@pytest.mark.parametrize(("day", "open_"), [(date(2025, 6, 29), False), (date(2025, 6, 30), True)])
def test_department_opens_on_its_date(day: date, open_: bool) -> None:
    """VDC-ENR-030: Creuse (23) opens with every department on 2025-06-30 (illustrative)."""
    service = samples.make_service()
    now = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    record = service.start(samples.start_event(DOMINIQUE, seeded_random("dep")), now=now)
    if open_:
        service.handle(record.id, ChooseDocument(document="id-card-fr"), now=now)
        assert service.get(record.id).state.value == "CODE_SENT"
    else:
        with pytest.raises(EnrolmentRefusedError) as caught:
            service.handle(record.id, ChooseDocument(document="id-card-fr"), now=now)
        assert caught.value.reason is Reason.DEPARTMENT_NOT_OPEN
