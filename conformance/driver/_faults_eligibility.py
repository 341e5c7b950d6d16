"""Seeded faults in eligibility, the dated policy, deadlines and the order of the steps."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from typing import Any

from conformance.driver.faults import fault, patch
from vitale_ref.enrolment import _policy, _rules, _service, _table
from vitale_ref.enrolment._effects import EFFECTS
from vitale_ref.enrolment._errors import EnrolmentRefusedError, Reason
from vitale_ref.enrolment._events import StartEnrolment, SubmitDocumentVideo, Tick
from vitale_ref.enrolment._states import IN_PROGRESS, State
from vitale_ref.enrolment._store import OutboxMessage
from vitale_ref.enrolment._table import Check, Effect


@fault(
    "enr-system-checked-first",
    "the phone's system is checked before the account, the carte Vitale and the age",
    "VDC-ENR-010",
    ("TC-ENR-006",),
)
def _system_first() -> None:
    rule = _table.TABLE[State.START][StartEnrolment]
    checks = [Check.NIR_VALID, Check.OS_SUPPORTED]
    checks += [check for check in rule.checks if check not in checks]
    _table.TABLE[State.START][StartEnrolment] = dataclasses.replace(rule, checks=tuple(checks))


@fault(
    "enr-age-birthday-excluded",
    "the minimum age is reached only the day after the birthday",
    "VDC-ENR-010",
    ("TC-ENR-007",),
)
def _birthday_excluded() -> None:
    def age(birth: date, day: date) -> int:
        return day.year - birth.year - ((day.month, day.day) <= (birth.month, birth.day))

    patch(_rules, "_age", age)


@fault(
    "enr-system-floor-excluded",
    "a phone exactly at the lowest supported system version is refused at the start",
    "VDC-ENR-010",
    ("TC-ENR-008",),
)
def _floor_excluded() -> None:
    real = _rules._check_os

    def check(ctx: Any) -> None:
        real(ctx)
        floors = [m[ctx.event.device_os] for m in ctx.env.rules.os_minimum.values()]
        if ctx.event.os_version == min(floors):
            _rules._refuse(Reason.OS_NOT_SUPPORTED, "too old")

    _rules.CHECKS[Check.OS_SUPPORTED] = check


@fault(
    "enr-policy-from-next-day",
    "a dated policy rule applies from the day after its date",
    "VDC-ENR-011",
    ("TC-ENR-009",),
)
def _next_day() -> None:
    def latest(rows: list[dict[str, Any]], day: date) -> dict[str, Any] | None:
        in_force = [row for row in rows if _policy._day(row["effective"]) < day]
        return max(in_force, key=lambda row: row["effective"]) if in_force else None

    patch(_policy, "_latest", latest)


@fault(
    "enr-decision-at-48h-dropped",
    "a decision arriving exactly 48 hours after the personal code finds the enrolment expired",
    "VDC-ENR-061",
    ("TC-ENR-010",),
)
def _decision_dropped() -> None:
    real = _service.EnrolmentService.handle

    def handle(self: Any, enrolment_id: str, event: Any, *, now: datetime) -> Any:
        if type(event).__name__ == "VerificationDecided":
            real(self, enrolment_id, Tick(), now=now + timedelta(microseconds=1))
        return real(self, enrolment_id, event, now=now)

    patch(_service.EnrolmentService, "handle", handle)


@fault(
    "enr-video-before-code",
    "a document video is taken while the e-mailed code is still awaited",
    "VDC-ENR-032",
    ("TC-ENR-011",),
)
def _video_before_code() -> None:
    rules = _table.TABLE[State.CODE_SENT]
    rules[SubmitDocumentVideo] = _table._capture(
        State.CODE_SENT, State.FACE_CAPTURE, (Check.SIDES_COMPLETE,)
    )


@fault(
    "enr-capture-failures-shared",
    "unusable captures are counted across the document and face steps together",
    "VDC-ENR-035",
    ("TC-ENR-012",),
)
def _failures_shared() -> None:
    real = EFFECTS[Effect.STORE_CAPTURE]

    def store(ctx: Any) -> None:
        failures = ctx.current.capture_failures
        real(ctx)
        ctx.record = dataclasses.replace(ctx.record, capture_failures=failures)

    EFFECTS[Effect.STORE_CAPTURE] = store


@fault(
    "enr-locked-not-in-progress",
    "a locked or approved enrolment does not stop a second one of the same NIR",
    "VDC-ENR-012",
    ("TC-ENR-014",),
)
def _locked_not_in_progress() -> None:
    patch(_service, "IN_PROGRESS", IN_PROGRESS - {State.LOCKED, State.APPROVED})


@fault(
    "enr-refused-request-mails",
    "a code request refused for the quota still writes a code e-mail",
    "VDC-ENR-003",
    ("TC-OTP-011",),
)
def _refused_request_mails() -> None:
    real = _service.EnrolmentService.handle

    def handle(self: Any, enrolment_id: str, event: Any, *, now: datetime) -> Any:
        try:
            return real(self, enrolment_id, event, now=now)
        except EnrolmentRefusedError as error:
            if error.reason is Reason.CODE_QUOTA_EXCEEDED:
                with self.store.transaction():
                    self.store.add_message(
                        OutboxMessage(
                            id=f"{enrolment_id}/refused/{now.isoformat()}",
                            enrolment_id=enrolment_id,
                            kind="code",
                            recipient="camille.exemple@example.org",
                            subject="Your code",
                            body="Your code is 000000",
                            created_at=now,
                            dispatched=False,
                        )
                    )
            raise

    patch(_service.EnrolmentService, "handle", handle)


@fault(
    "enr-ended-still-in-progress",
    "an expired or abandoned enrolment still stops a new one of the same NIR",
    "VDC-ENR-012",
    ("TC-ENR-014",),
)
def _ended_in_progress() -> None:
    patch(_service, "IN_PROGRESS", IN_PROGRESS | {State.EXPIRED, State.ABANDONED})


@fault(
    "otp-counters-shared-by-everyone",
    "a new enrolment takes over the code counters of the latest enrolment of anyone",
    "VDC-OTP-013",
    ("TC-OTP-015",),
)
def _shared_counters() -> None:
    from vitale_ref.enrolment._store import EnrolmentStore

    real = EnrolmentStore.for_nir

    def for_nir(self: Any, nir: str) -> list[Any]:
        own = real(self, nir)
        ids = self.ids()
        latest = self.load(ids[-1]) if ids else None
        if latest is None or latest.nir == nir:
            return own
        return [*own, dataclasses.replace(latest, state=State.CANCELLED)]

    patch(EnrolmentStore, "for_nir", for_nir)


@fault(
    "enr-assertion-lives-301-s",
    "a France Identité assertion is still taken 301 seconds after it was issued",
    "VDC-ENR-023",
    ("TC-ENR-015",),
)
def _assertion_301_s() -> None:
    from vitale_ref.enrolment import _france_identite

    provider = _france_identite.SimulatedFranceIdentite
    real = provider.verify

    def verify(self: Any, assertion: bytes, now: datetime) -> Any:
        self.lifetime = timedelta(seconds=301)
        return real(self, assertion, now)

    patch(provider, "verify", verify)


@fault(
    "enr-assertion-up-to-4095-bytes",
    "an assertion of 4096 bytes is refused for its length",
    "VDC-ENR-023",
    ("TC-ENR-016",),
)
def _assertion_4095() -> None:
    from vitale_ref.enrolment import _france_identite

    patch(_france_identite, "MAX_ASSERTION", 4095)


@fault(
    "enr-policy-day-in-paris",
    "the rule in force is taken on the calendar day in Paris instead of the UTC day",
    "VDC-ENR-011",
    ("TC-ENR-009",),
)
def _day_in_paris() -> None:
    from zoneinfo import ZoneInfo

    real = _service.EnrolmentService._environment

    def environment(self: Any, now: datetime, **facts: object) -> Any:
        env = real(self, now, **facts)
        paris = now.astimezone(ZoneInfo("Europe/Paris")).date()
        return dataclasses.replace(env, rules=self.policy.on(paris))

    patch(_service.EnrolmentService, "_environment", environment)
