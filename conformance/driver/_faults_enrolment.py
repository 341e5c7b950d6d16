"""Seeded faults in the enrolment service: one check or effect of the table switched off."""

from __future__ import annotations

from typing import Any

from conformance.driver.faults import fault
from vitale_ref.enrolment import Check, Effect
from vitale_ref.enrolment._effects import EFFECTS
from vitale_ref.enrolment._rules import CHECKS


def _nothing(ctx: Any) -> None:
    return None


def _without_check(check: Check) -> None:
    CHECKS[check] = _nothing


@fault(
    "enr-captures-kept",
    "captures are not deleted when the decision, expiry or cancellation ends their use",
    "VDC-ENR-070",
    ("TC-ENR-001",),
)
def _captures_kept() -> None:
    EFFECTS[Effect.DELETE_CAPTURES] = _nothing


@fault(
    "enr-no-sides-check",
    "a document video missing a side is accepted",
    "VDC-ENR-033",
    ("TC-ENR-001",),
)
def _no_sides() -> None:
    _without_check(Check.SIDES_COMPLETE)


@fault(
    "enr-no-department-check",
    "the identity-document route is open in every department",
    "VDC-ENR-030",
    ("TC-ENR-001",),
)
def _no_department() -> None:
    _without_check(Check.DEPARTMENT_OPEN)


@fault(
    "enr-parallel-enrolments",
    "a second enrolment of the same NIR starts while one is in progress",
    "VDC-ENR-012",
    ("TC-ENR-001",),
)
def _parallel() -> None:
    _without_check(Check.NONE_IN_PROGRESS)


@fault(
    "enr-old-identity-card",
    "France Identité assertions made with a card issued before 2021-03-15 are accepted",
    "VDC-ENR-021",
    ("TC-ENR-001",),
)
def _old_card() -> None:
    _without_check(Check.CARD_MODERN)
