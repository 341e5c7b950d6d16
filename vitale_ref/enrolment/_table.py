"""The whole enrolment state machine as data (VDC-ENR-001): state -> event -> rule.

A rule is a tuple of checks, tried in order, each of which refuses the event with one
documented reason (nothing changes), then a tuple of branches: the first branch whose
guard holds gives the new state and the effects. Everything that changes the state
machine lives in this table; the specification's transition table and the documentation's
state diagram are generated from it (tools/enrolment_table.py, `mermaid()`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass

from vitale_ref.enrolment._events import (
    Cancel,
    ChooseDocument,
    ChooseFranceIdentite,
    Event,
    FirstUnlock,
    FranceIdentiteAsserted,
    PersonalCodeSet,
    RequestNewCode,
    StartEnrolment,
    SubmitCode,
    SubmitDocumentVideo,
    SubmitFaceCapture,
    Superseded,
    Tick,
    VerificationDecided,
)
from vitale_ref.enrolment._states import State


class Check(enum.StrEnum):
    """A precondition that refuses the event with a specific reason when it fails."""

    NIR_VALID = "nir-valid"
    ACCOUNT_EXISTS = "account-exists"
    HAS_CARTE_VITALE = "has-carte-vitale"
    OLD_ENOUGH = "old-enough"
    OS_SUPPORTED = "os-supported"
    NONE_IN_PROGRESS = "none-in-progress"
    FI_ROUTE_OPEN = "fi-route-open"
    OS_FOR_FI = "os-for-fi"
    DOCUMENT_ROUTE_OPEN = "document-route-open"
    DOCUMENT_ACCEPTED = "document-accepted"
    DEPARTMENT_OPEN = "department-open"
    ASSERTION_VALID = "assertion-valid"
    ASSERTION_MATCHES = "assertion-matches"
    CARD_MODERN = "card-modern"
    CODE_ISSUABLE = "code-issuable"
    CODE_CHECKABLE = "code-checkable"
    SIDES_COMPLETE = "sides-complete"


class Guard(enum.StrEnum):
    """A condition choosing between the branches of one rule."""

    ALWAYS = "always"
    ROUTE_FI = "route-fi"
    ROUTE_DOCUMENT = "route-document"
    CODE_ACCEPTED = "code-accepted"
    CODE_WRONG_LOCKS = "code-wrong-locks"
    CODE_WRONG = "code-wrong"
    CAPTURE_USABLE = "capture-usable"
    RETRY_LEFT = "retry-left"
    APPROVED = "approved"
    IDLE_ELAPSED = "idle-elapsed"
    VERIFICATION_TIMED_OUT = "verification-timed-out"
    APPROVAL_TIMED_OUT = "approval-timed-out"


class Effect(enum.StrEnum):
    """A change to the record and the outputs a transition makes."""

    CREATE = "create"
    SET_ROUTE = "set-route"
    ISSUE_CODE = "issue-code"
    RECORD_CODE_RESULT = "record-code-result"
    STORE_CAPTURE = "store-capture"
    COUNT_CAPTURE_FAILURE = "count-capture-failure"
    DELETE_CAPTURES = "delete-captures"
    REQUEST_VERIFICATION = "request-verification"
    MAIL_APPROVED = "mail-approved"
    MAIL_REJECTED = "mail-rejected"
    MAIL_EXPIRED = "mail-expired"
    ACTIVATE_CARD = "activate-card"
    REVOKE_CREDENTIAL = "revoke-credential"


@dataclass(frozen=True)
class Branch:
    guard: Guard
    target: State
    effects: tuple[Effect, ...] = ()


@dataclass(frozen=True)
class Rule:
    checks: tuple[Check, ...]
    branches: tuple[Branch, ...]


@dataclass(frozen=True)
class Transition:
    """One row of the table as the specification prints it."""

    source: State
    event: str
    checks: tuple[Check, ...]
    guard: Guard
    target: State
    effects: tuple[Effect, ...]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source.value, self.event, self.guard.value)


def _b(guard: Guard, target: State, *effects: Effect) -> Branch:
    return Branch(guard, target, effects)


_G, _S, _E, _C = Guard, State, Effect, Check
_IDLE = _b(_G.IDLE_ELAPSED, _S.ABANDONED, _E.DELETE_CAPTURES)
_CANCEL = Rule((), (_b(_G.ALWAYS, _S.CANCELLED, _E.DELETE_CAPTURES),))
_TICK = Rule((), (_IDLE,))
_DOCUMENT_CHECKS = (
    _C.DOCUMENT_ROUTE_OPEN,
    _C.DOCUMENT_ACCEPTED,
    _C.DEPARTMENT_OPEN,
    _C.CODE_ISSUABLE,
)
_CHOOSE_DOCUMENT = Rule(
    _DOCUMENT_CHECKS, (_b(_G.ALWAYS, _S.CODE_SENT, _E.SET_ROUTE, _E.ISSUE_CODE),)
)


def _capture(source: State, target: State, checks: tuple[Check, ...]) -> Rule:
    # VDC-ENR-035: a capture may be retried; the third unusable one ends the enrolment.
    return Rule(
        checks,
        (
            _b(_G.CAPTURE_USABLE, target, _E.STORE_CAPTURE),
            _b(_G.RETRY_LEFT, source, _E.COUNT_CAPTURE_FAILURE),
            _b(_G.ALWAYS, _S.REJECTED, _E.DELETE_CAPTURES, _E.MAIL_REJECTED),
        ),
    )


TABLE: dict[State, dict[type[Event], Rule]] = {
    _S.START: {
        StartEnrolment: Rule(
            (
                _C.NIR_VALID,
                _C.ACCOUNT_EXISTS,
                _C.HAS_CARTE_VITALE,
                _C.OLD_ENOUGH,
                _C.OS_SUPPORTED,
                _C.NONE_IN_PROGRESS,
            ),
            (_b(_G.ALWAYS, _S.ROUTE_CHOICE, _E.CREATE),),
        ),
    },
    _S.ROUTE_CHOICE: {
        ChooseFranceIdentite: Rule(
            (_C.FI_ROUTE_OPEN, _C.OS_FOR_FI),
            (_b(_G.ALWAYS, _S.FI_ASSERTION, _E.SET_ROUTE),),
        ),
        ChooseDocument: _CHOOSE_DOCUMENT,
        Cancel: _CANCEL,
        Tick: _TICK,
    },
    _S.FI_ASSERTION: {
        FranceIdentiteAsserted: Rule(
            (_C.ASSERTION_VALID, _C.ASSERTION_MATCHES, _C.CARD_MODERN),
            (_b(_G.ALWAYS, _S.PIN_SETUP),),
        ),
        # VDC-ENR-022: a person whose card France Identité cannot use may switch route.
        ChooseDocument: _CHOOSE_DOCUMENT,
        Cancel: _CANCEL,
        Tick: _TICK,
    },
    _S.CODE_SENT: {
        SubmitCode: Rule(
            (_C.CODE_CHECKABLE,),
            (
                _b(_G.CODE_ACCEPTED, _S.DOCUMENT_CAPTURE, _E.RECORD_CODE_RESULT),
                _b(_G.CODE_WRONG_LOCKS, _S.LOCKED, _E.RECORD_CODE_RESULT),
                _b(_G.CODE_WRONG, _S.CODE_SENT, _E.RECORD_CODE_RESULT),
            ),
        ),
        RequestNewCode: Rule((_C.CODE_ISSUABLE,), (_b(_G.ALWAYS, _S.CODE_SENT, _E.ISSUE_CODE),)),
        Cancel: _CANCEL,
        Tick: _TICK,
    },
    _S.LOCKED: {
        # VDC-OTP-010: no way out of the lock but waiting; then a new code may be asked.
        RequestNewCode: Rule((_C.CODE_ISSUABLE,), (_b(_G.ALWAYS, _S.CODE_SENT, _E.ISSUE_CODE),)),
        Tick: _TICK,
    },
    # VDC-ENR-032: the capture states are reached only through an accepted code.
    _S.DOCUMENT_CAPTURE: {
        SubmitDocumentVideo: _capture(_S.DOCUMENT_CAPTURE, _S.FACE_CAPTURE, (_C.SIDES_COMPLETE,)),
        Cancel: _CANCEL,
        Tick: _TICK,
    },
    _S.FACE_CAPTURE: {
        SubmitFaceCapture: _capture(_S.FACE_CAPTURE, _S.PIN_SETUP, ()),
        Cancel: _CANCEL,
        Tick: _TICK,
    },
    _S.PIN_SETUP: {
        PersonalCodeSet: Rule(
            (),
            (
                _b(_G.ROUTE_FI, _S.ACTIVE, _E.ACTIVATE_CARD),
                _b(_G.ROUTE_DOCUMENT, _S.VERIFICATION_PENDING, _E.REQUEST_VERIFICATION),
            ),
        ),
        Cancel: _CANCEL,
        Tick: _TICK,
    },
    _S.VERIFICATION_PENDING: {
        VerificationDecided: Rule(
            (),
            (
                _b(_G.APPROVED, _S.APPROVED, _E.DELETE_CAPTURES, _E.MAIL_APPROVED),
                _b(_G.ALWAYS, _S.REJECTED, _E.DELETE_CAPTURES, _E.MAIL_REJECTED),
            ),
        ),
        Tick: Rule(
            (),
            (
                _b(
                    _G.VERIFICATION_TIMED_OUT,
                    _S.EXPIRED,
                    _E.DELETE_CAPTURES,
                    _E.MAIL_EXPIRED,
                ),
            ),
        ),
        Cancel: _CANCEL,
    },
    _S.APPROVED: {
        FirstUnlock: Rule((), (_b(_G.ALWAYS, _S.ACTIVE, _E.ACTIVATE_CARD),)),
        Tick: Rule((), (_b(_G.APPROVAL_TIMED_OUT, _S.EXPIRED, _E.MAIL_EXPIRED),)),
        Cancel: _CANCEL,
    },
    _S.ACTIVE: {
        Superseded: Rule((), (_b(_G.ALWAYS, _S.REPLACED, _E.REVOKE_CREDENTIAL),)),
    },
}


def transitions() -> Iterator[Transition]:
    """Every (state, event, guard) row of the table, in table order."""
    for source, rules in TABLE.items():
        for event_type, rule in rules.items():
            for branch in rule.branches:
                yield Transition(
                    source,
                    event_type.name,
                    rule.checks,
                    branch.guard,
                    branch.target,
                    branch.effects,
                )
