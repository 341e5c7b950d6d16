"""What the names in the table mean: checks, guards and effects (VDC-ENR-*).

Checks raise `EnrolmentRefusedError` and may prepare a value (the OTP outcome) that the
effects then commit; guards are predicates; effects build the next record and the
outputs. None of them performs I/O: the environment carries the facts the service
looked up and the injected randomness.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from vitale_ref.enrolment import _events as ev
from vitale_ref.enrolment._errors import EnrolmentRefusedError, Reason
from vitale_ref.enrolment._france_identite import FiIdentity
from vitale_ref.enrolment._nir import canonical_nir
from vitale_ref.enrolment._outputs import Output
from vitale_ref.enrolment._policy import RulesOnDay
from vitale_ref.enrolment._record import Enrolment
from vitale_ref.enrolment._states import Route
from vitale_ref.enrolment._table import Check, Guard
from vitale_ref.otp import (
    DEFAULT_POLICY,
    OtpPolicy,
    OtpReason,
    OtpRefusedError,
    OtpResult,
    OtpState,
    check_code,
    issue_code,
)
from vitale_ref.randomness import RandomSource


@dataclass(frozen=True, kw_only=True)
class Account:
    """The holder's online insurance account, as the directory knows it (synthetic)."""

    nir: str
    birth_date: date
    email: str
    department: str
    has_carte_vitale: bool
    family_name: str = "EXEMPLE"
    given_names: str = "Camille"


@dataclass(frozen=True, kw_only=True)
class Limits:
    """The deadlines of VDC-ENR-060..062 and the capture attempts of VDC-ENR-035."""

    idle: timedelta = timedelta(hours=24)
    verification: timedelta = timedelta(hours=48)
    approval: timedelta = timedelta(days=30)
    capture_attempts: int = 3


@dataclass(frozen=True, kw_only=True)
class Environment:
    """Facts and services the machine needs for one event (given by the service)."""

    rules: RulesOnDay
    random: RandomSource
    otp_key: bytes
    limits: Limits = field(default_factory=Limits)
    otp_policy: OtpPolicy = DEFAULT_POLICY
    account: Account | None = None
    enrolment_id: str = ""
    in_progress: bool = False
    previous_otp: OtpState = field(default_factory=OtpState)
    france_identite: Callable[[bytes, datetime], FiIdentity] | None = None
    """Verifies a France Identité assertion (VDC-ENR-023); None refuses every one."""


@dataclass(kw_only=True)
class Context:
    """The working state of one event being applied."""

    record: Enrolment | None
    event: ev.Event
    now: datetime
    env: Environment
    otp: OtpState | None = None
    code: str = ""
    otp_result: OtpResult | None = None
    identity: FiIdentity | None = None
    outputs: list[Output] = field(default_factory=list)

    @property
    def current(self) -> Enrolment:
        assert self.record is not None, "the START row creates the record first"
        return self.record


def _refuse(reason: Reason, message: str) -> None:
    raise EnrolmentRefusedError(reason, message)


_OTP_REASONS = {
    OtpReason.CODE_MALFORMED: Reason.CODE_MALFORMED,
    OtpReason.NO_ACTIVE_CODE: Reason.NO_ACTIVE_CODE,
    OtpReason.CODE_EXPIRED: Reason.CODE_EXPIRED,
    OtpReason.QUOTA_EXCEEDED: Reason.CODE_QUOTA_EXCEEDED,
    OtpReason.LOCKED: Reason.LOCKED,
}


def _age(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _start(ctx: Context) -> ev.StartEnrolment:
    assert isinstance(ctx.event, ev.StartEnrolment)
    return ctx.event


def _check_nir(ctx: Context) -> None:
    canonical_nir(_start(ctx).nir)


def _check_account(ctx: Context) -> None:
    account = ctx.env.account
    if account is None or account.nir != canonical_nir(_start(ctx).nir):
        _refuse(Reason.NO_INSURANCE_ACCOUNT, "no online insurance account for this NIR")


def _account(ctx: Context) -> Account:
    assert ctx.env.account is not None
    return ctx.env.account


def _check_carte(ctx: Context) -> None:
    if not _account(ctx).has_carte_vitale:
        _refuse(Reason.NO_CARTE_VITALE, "no carte Vitale exists for this NIR")


def _check_age(ctx: Context) -> None:
    minimum = ctx.env.rules.minimum_age
    if _age(_account(ctx).birth_date, ctx.now.date()) < minimum:
        _refuse(Reason.UNDER_MINIMUM_AGE, f"the holder must be at least {minimum}")


def _check_os(ctx: Context) -> None:
    event = _start(ctx)
    floors = [m[event.device_os] for m in ctx.env.rules.os_minimum.values()]
    if not floors or event.os_version < min(floors):
        _refuse(Reason.OS_NOT_SUPPORTED, f"{event.device_os} {event.os_version} is too old")


def _check_parallel(ctx: Context) -> None:
    if ctx.env.in_progress:
        _refuse(Reason.ENROLMENT_IN_PROGRESS, "another enrolment for this NIR is in progress")


def _check_fi_open(ctx: Context) -> None:
    if Route.FRANCE_IDENTITE not in ctx.env.rules.routes_open:
        _refuse(Reason.ROUTE_NOT_OPEN, "the France Identité route is not open")


def _check_fi_os(ctx: Context) -> None:
    record = ctx.current
    floor = ctx.env.rules.os_minimum[Route.FRANCE_IDENTITE][record.device_os]
    if record.os_version < floor:
        _refuse(
            Reason.OS_NOT_SUPPORTED,
            f"the France Identité route needs {record.device_os} {floor} or later",
        )


def _check_document_open(ctx: Context) -> None:
    if Route.DOCUMENT not in ctx.env.rules.routes_open:
        _refuse(Reason.ROUTE_NOT_OPEN, "the identity-document route is not open")


def _document_id(ctx: Context) -> str:
    assert isinstance(ctx.event, ev.ChooseDocument)
    return ctx.event.document


def _check_document(ctx: Context) -> None:
    accepted = sorted(d.id for d in ctx.env.rules.documents_for(Route.DOCUMENT))
    if _document_id(ctx) not in accepted:
        _refuse(
            Reason.DOCUMENT_NOT_ACCEPTED,
            f"{_document_id(ctx)} is not accepted; accepted: {', '.join(accepted)}",
        )


def _check_department(ctx: Context) -> None:
    department = ctx.current.department
    if not ctx.env.rules.department_open(department):
        _refuse(
            Reason.DEPARTMENT_NOT_OPEN,
            f"the identity-document route is not yet open in department {department}",
        )


def _check_assertion_valid(ctx: Context) -> None:
    # VDC-ENR-023: nothing an assertion says is used before its tag, form and age are checked.
    event = ctx.event
    assert isinstance(event, ev.FranceIdentiteAsserted)
    verify = ctx.env.france_identite
    if verify is None:
        _refuse(Reason.ASSERTION_INVALID, "no France Identité provider is configured")
    assert verify is not None
    ctx.identity = verify(event.assertion, ctx.now)


def _identity(ctx: Context) -> FiIdentity:
    assert ctx.identity is not None, "assertion-valid runs first"
    return ctx.identity


def _check_assertion(ctx: Context) -> None:
    identity = _identity(ctx)
    record = ctx.current
    if identity.nir != record.nir or identity.birth_date != record.birth_date:
        _refuse(Reason.IDENTITY_MISMATCH, "France Identité asserted another person")


def _check_card(ctx: Context) -> None:
    since = ctx.env.rules.modern_id_card_from
    if _identity(ctx).card_issued_on < since:
        _refuse(Reason.CARD_NOT_MODERN, f"only identity cards issued from {since} qualify")


def _check_issuable(ctx: Context) -> None:
    record = ctx.current
    try:
        ctx.otp, ctx.code = issue_code(
            record.otp,
            now=ctx.now,
            random=ctx.env.random,
            key=ctx.env.otp_key,
            context=record.id.encode(),
            policy=ctx.env.otp_policy,
        )
    except OtpRefusedError as error:
        raise EnrolmentRefusedError(_OTP_REASONS[error.reason], error.message) from None


def _check_checkable(ctx: Context) -> None:
    record = ctx.current
    assert isinstance(ctx.event, ev.SubmitCode)
    try:
        ctx.otp, ctx.otp_result = check_code(
            record.otp,
            ctx.event.code,
            now=ctx.now,
            key=ctx.env.otp_key,
            context=record.id.encode(),
            policy=ctx.env.otp_policy,
        )
    except OtpRefusedError as error:
        raise EnrolmentRefusedError(_OTP_REASONS[error.reason], error.message) from None


def _check_sides(ctx: Context) -> None:
    event = ctx.event
    assert isinstance(event, ev.SubmitDocumentVideo)
    document = ctx.env.rules.documents.get(ctx.current.document or "")
    needed = document.sides if document is not None else ("front", "back")
    missing = [side for side in needed if side not in event.sides]
    if missing:
        _refuse(Reason.CAPTURE_SIDES_MISSING, f"the video must show: {', '.join(missing)}")


CHECKS: dict[Check, Callable[[Context], None]] = {
    Check.NIR_VALID: _check_nir,
    Check.ACCOUNT_EXISTS: _check_account,
    Check.HAS_CARTE_VITALE: _check_carte,
    Check.OLD_ENOUGH: _check_age,
    Check.OS_SUPPORTED: _check_os,
    Check.NONE_IN_PROGRESS: _check_parallel,
    Check.FI_ROUTE_OPEN: _check_fi_open,
    Check.OS_FOR_FI: _check_fi_os,
    Check.DOCUMENT_ROUTE_OPEN: _check_document_open,
    Check.DOCUMENT_ACCEPTED: _check_document,
    Check.DEPARTMENT_OPEN: _check_department,
    Check.ASSERTION_VALID: _check_assertion_valid,
    Check.ASSERTION_MATCHES: _check_assertion,
    Check.CARD_MODERN: _check_card,
    Check.CODE_ISSUABLE: _check_issuable,
    Check.CODE_CHECKABLE: _check_checkable,
    Check.SIDES_COMPLETE: _check_sides,
}


def _idle_elapsed(ctx: Context) -> bool:
    # VDC-ENR-060; with VDC-ENR-061 this bounds how long captures live (VDC-ENR-071).
    record = ctx.current
    since = record.last_event_at
    if record.otp.locked_until is not None:
        since = max(since, record.otp.locked_until)
    return ctx.now - since > ctx.env.limits.idle


def _verification_timed_out(ctx: Context) -> bool:
    pending = ctx.current.pending_since
    return pending is not None and ctx.now - pending > ctx.env.limits.verification


def _approval_timed_out(ctx: Context) -> bool:
    # VDC-ENR-062: an approval waits 30 days for the first unlock.
    decided = ctx.current.decided_at
    return decided is not None and ctx.now - decided > ctx.env.limits.approval


def _usable(ctx: Context) -> bool:
    event = ctx.event
    assert isinstance(event, ev.SubmitDocumentVideo | ev.SubmitFaceCapture)
    return event.usable


def _approved(ctx: Context) -> bool:
    assert isinstance(ctx.event, ev.VerificationDecided)
    return ctx.event.approved


GUARDS: dict[Guard, Callable[[Context], bool]] = {
    Guard.ALWAYS: lambda ctx: True,
    Guard.ROUTE_FI: lambda ctx: ctx.current.route is Route.FRANCE_IDENTITE,
    Guard.ROUTE_DOCUMENT: lambda ctx: ctx.current.route is Route.DOCUMENT,
    Guard.CODE_ACCEPTED: lambda ctx: ctx.otp_result is OtpResult.ACCEPTED,
    Guard.CODE_WRONG_LOCKS: lambda ctx: ctx.otp_result is OtpResult.WRONG_LOCKED,
    Guard.CODE_WRONG: lambda ctx: ctx.otp_result in (OtpResult.WRONG, OtpResult.WRONG_CODE_VOIDED),
    Guard.CAPTURE_USABLE: _usable,
    Guard.RETRY_LEFT: lambda ctx: (
        ctx.current.capture_failures + 1 < ctx.env.limits.capture_attempts
    ),
    Guard.APPROVED: _approved,
    Guard.IDLE_ELAPSED: _idle_elapsed,
    Guard.VERIFICATION_TIMED_OUT: _verification_timed_out,
    Guard.APPROVAL_TIMED_OUT: _approval_timed_out,
}
