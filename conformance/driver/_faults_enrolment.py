"""Seeded faults in the enrolment service: one check or effect of the table switched off."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from conformance.driver.faults import FaultNotApplicable, fault, patch
from vitale_ref.enrolment import Check, Effect, _codec
from vitale_ref.enrolment._effects import EFFECTS
from vitale_ref.enrolment._events import PersonalCodeSet
from vitale_ref.enrolment._rules import CHECKS, GUARDS
from vitale_ref.enrolment._table import Guard


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


def _replace_entry(table: dict[Any, Any], key: Any, value: Any) -> None:
    """Replace one entry of a table of the reference; a vanished entry fails loudly."""
    if key not in table:
        raise FaultNotApplicable(f"{key!r} is not in the table: the fault no longer applies")
    table[key] = value


@fault(
    "enr-verification-never-expires",
    "an enrolment waiting for the identity verification never expires, so its captures stay",
    "VDC-ENR-071",
    ("TC-ENR-004",),
)
def _verification_never_expires() -> None:
    _replace_entry(GUARDS, Guard.VERIFICATION_TIMED_OUT, lambda ctx: False)


@fault(
    "enr-receives-personal-code",
    "the service's event decoder takes the personal code (or its verifier) with PersonalCodeSet",
    "VDC-ENR-040",
    ("TC-ENR-003",),
)
def _receives_personal_code() -> None:
    received: list[dict[str, Any]] = []

    def personal_code_set(**fields: Any) -> PersonalCodeSet:
        received.append(fields)  # the code reaches the service
        return PersonalCodeSet()

    personal_code_set.name = PersonalCodeSet.name  # type: ignore[attr-defined]
    _replace_entry(_codec._BY_NAME, PersonalCodeSet.name, personal_code_set)


@fault(
    "otp-copy-to-support",
    "every code e-mail is also copied to a support mailbox",
    "VDC-OTP-005",
    ("TC-OTP-009",),
)
def _copy_to_support() -> None:
    real = EFFECTS[Effect.ISSUE_CODE]

    def issue_code(ctx: Any) -> None:
        real(ctx)
        mail = ctx.outputs[-1]
        ctx.outputs.append(replace(mail, to="support.vitale@example.org"))

    _replace_entry(EFFECTS, Effect.ISSUE_CODE, issue_code)


@fault(
    "enr-outbox-resent-at-start",
    "a service started again writes every pending e-mail once more, under a new identifier",
    "VDC-ENR-081",
    ("TC-ENR-005",),
)
def _outbox_resent_at_start() -> None:
    from vitale_ref.enrolment import _service

    service_class = _service.EnrolmentService
    real = service_class.__dict__["__init__"]

    def init(self: Any, store: Any, /, **options: Any) -> None:
        real(self, store, **options)
        pending = [m for m in store.messages() if not m.dispatched]
        with store.transaction():
            for message in pending:
                store.add_message(replace(message, id=f"{message.id}/resent"))

    patch(service_class, "__init__", init)
