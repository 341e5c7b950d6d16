"""Seeded faults in the e-mailed code rules as the enrolment service applies them."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

from conformance.driver.faults import fault, patch
from vitale_ref.enrolment import _rules
from vitale_ref.otp import OtpReason, OtpRefusedError, OtpResult, check_code, issue_code


def _with_policy(function: Any, **changes: Any) -> Any:
    def call(*args: Any, **kwargs: Any) -> Any:
        return function(
            *args, **{**kwargs, "policy": dataclasses.replace(kwargs["policy"], **changes)}
        )

    return call


@fault(
    "otp-accepts-after-10-min",
    "a code is still accepted an hour after it was sent",
    "VDC-OTP-009",
    ("TC-OTP-002",),
)
def _late() -> None:
    patch(_rules, "check_code", _with_policy(check_code, validity=timedelta(hours=1)))


@fault(
    "otp-unlimited-tries",
    "a code survives any number of wrong tries",
    "VDC-OTP-014",
    ("TC-OTP-003",),
)
def _tries() -> None:
    patch(_rules, "issue_code", _with_policy(issue_code, tries_per_code=1000))


@fault(
    "otp-no-daily-quota",
    "new codes are sent without the limit of five per 24 hours",
    "VDC-OTP-006",
    ("TC-OTP-006",),
)
def _quota() -> None:
    patch(_rules, "issue_code", _with_policy(issue_code, codes_per_window=1000))


@fault(
    "otp-no-lock",
    "consecutive failures never lock the enrolment",
    "VDC-OTP-010",
    ("TC-OTP-007",),
)
def _no_lock() -> None:
    patch(_rules, "check_code", _with_policy(check_code, lock_after=10**6))


@fault(
    "otp-new-code-resets-failures",
    "sending a new code starts the failure count again",
    "VDC-OTP-012",
    ("TC-OTP-007",),
)
def _reset_failures() -> None:
    def issue(state: Any, **kwargs: Any) -> Any:
        return issue_code(dataclasses.replace(state, consecutive_failures=0), **kwargs)

    patch(_rules, "issue_code", issue)


@fault(
    "otp-old-code-kept",
    "a new code is e-mailed but the previous one stays the live code",
    "VDC-OTP-004",
    ("TC-OTP-004",),
)
def _old_code_kept() -> None:
    def issue(state: Any, **kwargs: Any) -> Any:
        new_state, code = issue_code(state, **kwargs)
        if state.code_mac is not None:
            new_state = dataclasses.replace(new_state, code_mac=state.code_mac)
        return new_state, code

    patch(_rules, "issue_code", issue)


@fault(
    "otp-counters-reset-on-new-enrolment",
    "a new enrolment of the same person starts with fresh code counters",
    "VDC-OTP-013",
    ("TC-OTP-008",),
)
def _fresh_counters() -> None:
    from vitale_ref.enrolment import Effect
    from vitale_ref.enrolment._effects import EFFECTS
    from vitale_ref.otp import OtpState

    real = EFFECTS[Effect.CREATE]

    def create(ctx: Any) -> None:
        real(ctx)
        ctx.record = dataclasses.replace(ctx.record, otp=OtpState())

    EFFECTS[Effect.CREATE] = create


@fault(
    "otp-quota-fixed-window",
    "the five codes are counted in a fixed 24-hour window from the first, not a rolling one",
    "VDC-OTP-006",
    ("TC-OTP-011",),
)
def _fixed_window() -> None:
    def issue(state: Any, **kwargs: Any) -> Any:
        if state.issued and kwargs["now"] - state.issued[0] >= timedelta(hours=24):
            state = dataclasses.replace(state, issued=())
        return issue_code(state, **kwargs)

    patch(_rules, "issue_code", issue)


@fault(
    "otp-quota-counts-code-of-24h-ago",
    "a code issued exactly 24 hours earlier still counts against the quota",
    "VDC-OTP-006",
    ("TC-OTP-010", "TC-OTP-011"),
)
def _quota_inclusive() -> None:
    def issue(state: Any, **kwargs: Any) -> Any:
        now = kwargs["now"]
        if sum(1 for t in state.issued if now - t <= timedelta(hours=24)) >= 5:
            return issue_code(state, **{**kwargs, "now": now - timedelta(microseconds=1)})
        return issue_code(state, **kwargs)

    patch(_rules, "issue_code", issue)


@fault(
    "otp-locks-after-nine",
    "the ninth consecutive failure already locks the enrolment",
    "VDC-OTP-010",
    ("TC-OTP-010", "TC-OTP-012"),
)
def _locks_after_nine() -> None:
    patch(_rules, "check_code", _with_policy(check_code, lock_after=9))


@fault(
    "otp-lock-23-hours",
    "the lock after ten failures lasts 23 hours",
    "VDC-OTP-011",
    ("TC-OTP-010",),
)
def _short_lock() -> None:
    patch(_rules, "check_code", _with_policy(check_code, lock_duration=timedelta(hours=23)))


@fault(
    "otp-accepted-code-keeps-failures",
    "an accepted code leaves the count of consecutive failures where it was",
    "VDC-OTP-012",
    ("TC-OTP-014",),
)
def _acceptance_keeps_failures() -> None:
    def check(state: Any, code: str, **kwargs: Any) -> Any:
        new_state, result = check_code(state, code, **kwargs)
        if result is OtpResult.ACCEPTED:
            new_state = dataclasses.replace(
                new_state, consecutive_failures=state.consecutive_failures
            )
        return new_state, result

    patch(_rules, "check_code", check)


@fault(
    "otp-validity-to-the-second",
    "the code's age is counted in whole seconds, so 600.5 s is still within 10 minutes",
    "VDC-OTP-009",
    ("TC-OTP-013",),
)
def _validity_in_seconds() -> None:
    def check(state: Any, code: str, **kwargs: Any) -> Any:
        now = kwargs["now"]
        return check_code(state, code, **{**kwargs, "now": now.replace(microsecond=0)})

    patch(_rules, "check_code", check)


@fault(
    "otp-limits-forgotten-at-start",
    "a service started again over its store clears every lock and every count of codes sent",
    "VDC-OTP-010",
    ("TC-OTP-016",),
)
def _limits_forgotten() -> None:
    from vitale_ref.enrolment import _service
    from vitale_ref.otp import OtpState

    real = _service.EnrolmentService.__init__

    def init(self: Any, store: Any, **options: Any) -> None:
        real(self, store, **options)
        with store.transaction():
            for enrolment_id in store.ids():
                record = store.load(enrolment_id)
                if record is not None and record.otp != OtpState():
                    fresh = dataclasses.replace(
                        record.otp, locked_until=None, consecutive_failures=0, issued=()
                    )
                    store.save(dataclasses.replace(record, otp=fresh))

    patch(_service.EnrolmentService, "__init__", init)


@fault(
    "otp-lock-end-keeps-one-failure",
    "when the lock ends the failure run starts again from one, not zero",
    "VDC-OTP-011",
    ("TC-OTP-017",),
)
def _lock_end_off_by_one() -> None:
    from vitale_ref.otp import _code

    real = _code._check_lock

    def check_lock(state: Any, now: Any) -> Any:
        ended = state.locked_until is not None and now >= state.locked_until
        state = real(state, now)
        return dataclasses.replace(state, consecutive_failures=1) if ended else state

    patch(_code, "_check_lock", check_lock)


@fault(
    "otp-acceptance-leaves-one-failure",
    "an accepted code sets the failure run to one instead of zero",
    "VDC-OTP-012",
    ("TC-OTP-014",),
)
def _acceptance_off_by_one() -> None:
    def check(state: Any, code: str, **kwargs: Any) -> Any:
        new_state, result = check_code(state, code, **kwargs)
        if result is OtpResult.ACCEPTED:
            new_state = dataclasses.replace(new_state, consecutive_failures=1)
        return new_state, result

    patch(_rules, "check_code", check)


@fault(
    "otp-quota-before-lock",
    "a request for a new code is checked against the quota before the lock",
    "VDC-OTP-020",
    ("TC-OTP-018",),
)
def _quota_before_lock() -> None:
    def issue(state: Any, **kwargs: Any) -> Any:
        now, policy = kwargs["now"], kwargs["policy"]
        recent = [t for t in state.issued if now - t < policy.window]
        if len(recent) >= policy.codes_per_window:
            raise OtpRefusedError(OtpReason.QUOTA_EXCEEDED, "quota first")
        return issue_code(state, **kwargs)

    patch(_rules, "issue_code", issue)
