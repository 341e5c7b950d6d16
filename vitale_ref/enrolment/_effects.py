"""Effects of the table: each builds the next record and appends outputs (VDC-ENR-*)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from vitale_ref.enrolment import _events as ev
from vitale_ref.enrolment._nir import canonical_nir
from vitale_ref.enrolment._outputs import (
    CapturesDeleted,
    CaptureStored,
    CardActivated,
    CredentialRevoked,
    Mail,
    VerificationRequested,
)
from vitale_ref.enrolment._record import Capture, Enrolment
from vitale_ref.enrolment._rules import Context
from vitale_ref.enrolment._states import Route, State
from vitale_ref.enrolment._table import Effect


def _create(ctx: Context) -> None:
    event = ctx.event
    assert isinstance(event, ev.StartEnrolment)
    account = ctx.env.account
    assert account is not None
    # VDC-OTP-013: the code counters follow the person, not the enrolment, so that
    # cancelling and starting again does not reset the quota or the failure run.
    carried = replace(ctx.env.previous_otp, code_mac=None, issued_at=None, tries_left=0)
    ctx.record = Enrolment(
        id=ctx.env.enrolment_id,
        version=0,
        state=State.START,
        nir=canonical_nir(event.nir),
        birth_date=account.birth_date,
        department=account.department,
        email=account.email,
        device_os=event.device_os,
        os_version=event.os_version,
        device_public_key=event.device_public_key,
        created_at=ctx.now,
        last_event_at=ctx.now,
        otp=carried,
    )


def _set_route(ctx: Context) -> None:
    if isinstance(ctx.event, ev.ChooseDocument):
        ctx.record = replace(ctx.current, route=Route.DOCUMENT, document=ctx.event.document)
    else:
        ctx.record = replace(ctx.current, route=Route.FRANCE_IDENTITE, document="id-card-modern")


def _issue_code(ctx: Context) -> None:
    assert ctx.otp is not None
    record = replace(ctx.current, otp=ctx.otp)
    ctx.record = record
    # VDC-OTP-005: the code goes only to the address of the insurance account.
    ctx.outputs.append(
        Mail(
            to=record.email,
            kind="code",
            subject="Your carte Vitale activation code",
            body=f"Your code is {ctx.code}. It is valid for 10 minutes and can be used once.",
        )
    )


def _record_code_result(ctx: Context) -> None:
    assert ctx.otp is not None
    ctx.record = replace(ctx.current, otp=ctx.otp)


def _store_capture(ctx: Context) -> None:
    event = ctx.event
    assert isinstance(event, ev.SubmitDocumentVideo | ev.SubmitFaceCapture)
    kind = "document" if isinstance(event, ev.SubmitDocumentVideo) else "face"
    record = ctx.current
    ctx.record = replace(
        record,
        captures=(*record.captures, Capture(kind=kind, captured_at=ctx.now)),
        capture_failures=0,
    )
    ctx.outputs.append(CaptureStored(kind=kind, media=event.media))


def _count_capture_failure(ctx: Context) -> None:
    ctx.record = replace(ctx.current, capture_failures=ctx.current.capture_failures + 1)


def _delete_captures(ctx: Context) -> None:
    # VDC-ENR-070: captures serve the decision only and go with it.
    if ctx.current.captures:
        ctx.record = replace(ctx.current, captures=())
        ctx.outputs.append(CapturesDeleted())


def _request_verification(ctx: Context) -> None:
    ctx.record = replace(ctx.current, pending_since=ctx.now)
    ctx.outputs.append(VerificationRequested())


def _mail(ctx: Context, kind: str, subject: str, body: str, outcome: str) -> None:
    record = ctx.current
    ctx.record = replace(record, decided_at=ctx.now, outcome=outcome)
    ctx.outputs.append(Mail(to=record.email, kind=kind, subject=subject, body=body))


def _mail_approved(ctx: Context) -> None:
    _mail(
        ctx,
        "approved",
        "Your digital carte Vitale is ready",
        "Your identity was verified. Open the app with your personal code to activate it.",
        "approved",
    )


def _mail_rejected(ctx: Context) -> None:
    event = ctx.event
    why = event.reason if isinstance(event, ev.VerificationDecided) else ""
    why = why or "the captures could not be used"
    _mail(
        ctx,
        "rejected",
        "Your digital carte Vitale request was not accepted",
        f"Your identity could not be verified: {why}. You may start again.",
        f"rejected: {why}",
    )


def _mail_expired(ctx: Context) -> None:
    _mail(
        ctx,
        "expired",
        "Your digital carte Vitale request expired",
        "Your request expired before it was completed. You may start again.",
        "expired",
    )


EFFECTS: dict[Effect, Callable[[Context], None]] = {
    Effect.CREATE: _create,
    Effect.SET_ROUTE: _set_route,
    Effect.ISSUE_CODE: _issue_code,
    Effect.RECORD_CODE_RESULT: _record_code_result,
    Effect.STORE_CAPTURE: _store_capture,
    Effect.COUNT_CAPTURE_FAILURE: _count_capture_failure,
    Effect.DELETE_CAPTURES: _delete_captures,
    Effect.REQUEST_VERIFICATION: _request_verification,
    Effect.MAIL_APPROVED: _mail_approved,
    Effect.MAIL_REJECTED: _mail_rejected,
    Effect.MAIL_EXPIRED: _mail_expired,
    Effect.ACTIVATE_CARD: lambda ctx: ctx.outputs.append(CardActivated()),
    Effect.REVOKE_CREDENTIAL: lambda ctx: ctx.outputs.append(CredentialRevoked()),
}
