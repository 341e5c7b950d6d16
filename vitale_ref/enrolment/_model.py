"""A compact model of the enrolment chapter for one person, written apart from the table.

It restates VDC-ENR and VDC-OTP imperatively, so the rule-based test compares two
independent readings of the specification. It tracks what an observer can check: the
state of each enrolment, the refusal reason, the kept captures and the code e-mails.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

H = timedelta(hours=1)
ACTIVE_STATES = {"ACTIVE"}
FINAL = {"REPLACED", "REJECTED", "EXPIRED", "ABANDONED", "CANCELLED"}
CANCELLABLE = {
    "ROUTE_CHOICE",
    "FI_ASSERTION",
    "CODE_SENT",
    "DOCUMENT_CAPTURE",
    "FACE_CAPTURE",
    "PIN_SETUP",
    "VERIFICATION_PENDING",
    "APPROVED",
}
SIDES = {"id-card-fr": {"front", "back"}, "passport-fr": {"photo-page"}}


class Refused(Exception):  # noqa: N818 (a model outcome, not an error of the library)
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class PersonCodes:
    """The code counters, kept per person (VDC-OTP-013)."""

    issued: list[datetime] = field(default_factory=list)
    failures: int = 0
    locked_until: datetime | None = None
    live: bool = False
    tries_left: int = 0
    issued_at: datetime | None = None


@dataclass
class ModelEnrolment:
    state: str = "ROUTE_CHOICE"
    route: str = ""
    document: str = ""
    last_event: datetime | None = None
    captures: int = 0
    capture_failures: int = 0
    pending_since: datetime | None = None
    decided_at: datetime | None = None
    code_mails: int = 0


@dataclass
class Model:
    """All enrolments of one eligible person (all routes open, every department open)."""

    enrolments: list[ModelEnrolment] = field(default_factory=list)
    codes: PersonCodes = field(default_factory=PersonCodes)

    @property
    def current(self) -> ModelEnrolment | None:
        return self.enrolments[-1] if self.enrolments else None

    def start(self, now: datetime) -> None:
        if any(e.state not in FINAL | ACTIVE_STATES for e in self.enrolments):
            raise Refused("enrolment-in-progress")
        self.codes.live = False
        self.enrolments.append(ModelEnrolment(last_event=now))

    def _need(self, *states: str) -> ModelEnrolment:
        current = self.current
        if current is None or current.state not in states:
            raise Refused("event-out-of-order")
        return current

    def _lock_check(self, now: datetime) -> None:
        codes = self.codes
        if codes.locked_until is not None:
            if now < codes.locked_until:
                raise Refused("locked")
            codes.locked_until, codes.failures = None, 0

    def _issue(self, e: ModelEnrolment, now: datetime) -> None:
        self._lock_check(now)
        codes = self.codes
        recent = [t for t in codes.issued if now - t < 24 * H]
        if len(recent) >= 5:
            raise Refused("code-quota-exceeded")
        codes.issued = [*recent, now]
        codes.live, codes.tries_left, codes.issued_at = True, 3, now
        e.code_mails += 1

    def choose_fi(self, now: datetime) -> None:
        e = self._need("ROUTE_CHOICE")
        e.state, e.route, e.last_event = "FI_ASSERTION", "fi", now

    def choose_document(self, document: str, now: datetime) -> None:
        e = self._need("ROUTE_CHOICE", "FI_ASSERTION")
        if document not in SIDES:
            raise Refused("document-not-accepted")
        self._issue(e, now)
        e.state, e.route, e.document, e.last_event = "CODE_SENT", "document", document, now

    def asserted(self, matching: bool, modern: bool, now: datetime) -> None:
        e = self._need("FI_ASSERTION")
        if not matching:
            raise Refused("identity-mismatch")
        if not modern:
            raise Refused("card-not-modern")
        e.state, e.last_event = "PIN_SETUP", now

    def new_code(self, now: datetime) -> None:
        e = self._need("CODE_SENT", "LOCKED")
        self._issue(e, now)
        e.state, e.last_event = "CODE_SENT", now

    def submit_code(self, right: bool, malformed: bool, now: datetime) -> None:
        e = self._need("CODE_SENT")
        codes = self.codes
        if malformed:
            raise Refused("code-malformed")
        self._lock_check(now)
        if not codes.live or codes.issued_at is None:
            raise Refused("no-active-code")
        if now - codes.issued_at > timedelta(minutes=10):
            raise Refused("code-expired")
        e.last_event = now
        if right:
            codes.live, codes.failures = False, 0
            e.state = "DOCUMENT_CAPTURE"
            return
        codes.failures += 1
        codes.tries_left -= 1
        if codes.failures >= 10:
            codes.live, codes.locked_until = False, now + 24 * H
            e.state = "LOCKED"
        elif codes.tries_left <= 0:
            codes.live = False

    def _capture(self, e: ModelEnrolment, usable: bool, target: str, now: datetime) -> None:
        e.last_event = now
        if usable:
            e.captures += 1
            e.capture_failures = 0
            e.state = target
        elif e.capture_failures + 1 < 3:
            e.capture_failures += 1
        else:
            e.state, e.captures = "REJECTED", 0

    def document_video(self, sides: frozenset[str], usable: bool, now: datetime) -> None:
        e = self._need("DOCUMENT_CAPTURE")
        if not SIDES[e.document] <= sides:
            raise Refused("capture-sides-missing")
        self._capture(e, usable, "FACE_CAPTURE", now)

    def face(self, usable: bool, now: datetime) -> None:
        self._capture(self._need("FACE_CAPTURE"), usable, "PIN_SETUP", now)

    def _activate(self, e: ModelEnrolment) -> None:
        for other in self.enrolments:
            if other is not e and other.state == "ACTIVE":
                other.state = "REPLACED"
        e.state = "ACTIVE"

    def pin_set(self, now: datetime) -> None:
        e = self._need("PIN_SETUP")
        e.last_event = now
        if e.route == "fi":
            self._activate(e)
        else:
            e.state, e.pending_since = "VERIFICATION_PENDING", now

    def decide(self, approved: bool, now: datetime) -> None:
        e = self._need("VERIFICATION_PENDING")
        e.state = "APPROVED" if approved else "REJECTED"
        e.captures, e.decided_at, e.last_event = 0, now, now

    def first_unlock(self, now: datetime) -> None:
        e = self._need("APPROVED")
        e.last_event = now
        self._activate(e)

    def cancel(self, now: datetime) -> None:
        e = self._need(*CANCELLABLE)
        e.state, e.captures, e.last_event = "CANCELLED", 0, now

    def tick(self, now: datetime) -> None:
        e = self.current
        if e is None or e.last_event is None:
            return
        if e.state == "VERIFICATION_PENDING":
            if e.pending_since is not None and now - e.pending_since > 48 * H:
                e.state, e.captures = "EXPIRED", 0
        elif e.state == "APPROVED":
            if e.decided_at is not None and now - e.decided_at > 30 * 24 * H:
                e.state = "EXPIRED"
        elif e.state in CANCELLABLE or e.state == "LOCKED":
            since = e.last_event
            if self.codes.locked_until is not None and e.state == "LOCKED":
                since = max(since, self.codes.locked_until)
            if now - since > 24 * H:
                e.state, e.captures = "ABANDONED", 0
