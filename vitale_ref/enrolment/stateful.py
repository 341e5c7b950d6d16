"""Model-based test of any enrolment implementation (VDC-ENR, VDC-OTP); needs hypothesis.

`make_state_machine(factory)` returns a hypothesis `RuleBasedStateMachine` class that
drives a fresh implementation from `factory()` through random event sequences for one
synthetic person and compares, after every event, the state of each enrolment, the
refusal reason, the number of kept captures and the number of code e-mails with the
compact model of `_model.py`. A third-party implementation is tested by wrapping it in
an `EnrolmentImplementation`; `ReferenceImplementation` wraps the reference service.

    TestMine = make_state_machine(my_factory).TestCase
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import ClassVar, Protocol

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from vitale_ref.enrolment import _events as ev
from vitale_ref.enrolment import samples
from vitale_ref.enrolment._errors import EnrolmentRefusedError
from vitale_ref.enrolment._model import (
    ACTIVE_STATES,
    CANCELLABLE,
    FINAL,
    SIDES,
    Model,
    Refused,
)
from vitale_ref.enrolment._service import EnrolmentService
from vitale_ref.randomness import seeded_random

PERSON = samples.CAMILLE
START = datetime(2026, 1, 5, 9, 0, tzinfo=samples.T0.tzinfo)
_MINUTES = (1, 30, 30, 60, 60, 120, 120, 300, 599, 601, 3600, 3600)
_WAITS: tuple[int | str, ...] = (
    *_MINUTES,
    *_MINUTES,
    "deadline",
    "deadline+1",
    "code-limit",
    "code-limit+1",
    48 * 3600 + 1,
)
"""Mostly short waits, so routes go deep; each limit exactly and one second past it."""


class EnrolmentImplementation(Protocol):
    """What the rule-based test needs from an implementation under test.

    `start` returns the new enrolment's identifier; `start` and `handle` raise
    `EnrolmentRefusedError` with the specified reason on refusal. `tick` lets deadlines
    fire at `now`. `latest_code` reads the last code e-mailed for the enrolment.
    """

    def start(self, event: ev.StartEnrolment, now: datetime) -> str: ...

    def handle(self, enrolment_id: str, event: ev.Event, now: datetime) -> None: ...

    def state(self, enrolment_id: str) -> str: ...

    def capture_count(self, enrolment_id: str) -> int: ...

    def code_mail_count(self, enrolment_id: str) -> int: ...

    def latest_code(self, enrolment_id: str) -> str | None: ...


class ReferenceImplementation:
    """The reference service behind the test interface."""

    def __init__(self, service: EnrolmentService | None = None) -> None:
        self.service = service or samples.make_service(seed="vdc-stateful")

    def start(self, event: ev.StartEnrolment, now: datetime) -> str:
        return self.service.start(event, now=now).id

    def handle(self, enrolment_id: str, event: ev.Event, now: datetime) -> None:
        self.service.handle(enrolment_id, event, now=now)

    def state(self, enrolment_id: str) -> str:
        return self.service.get(enrolment_id).state.value

    def capture_count(self, enrolment_id: str) -> int:
        return len(self.service.store.captures(enrolment_id))

    def code_mail_count(self, enrolment_id: str) -> int:
        return sum(
            1 for m in self.service.outbox() if m.enrolment_id == enrolment_id and m.kind == "code"
        )

    def latest_code(self, enrolment_id: str) -> str | None:
        try:
            return samples.last_code(self.service, enrolment_id)
        except LookupError:
            return None


_MEDIA = b"synthetic capture"


class EnrolmentStateMachine(RuleBasedStateMachine):
    """Rules and invariants; `make_state_machine` binds the implementation factory."""

    factory: ClassVar[Callable[[], EnrolmentImplementation]]

    def __init__(self) -> None:
        super().__init__()
        self.impl = type(self).factory()
        self.model = Model()
        self.ids: list[str] = []
        self.now = START
        self.keys = seeded_random("vdc-stateful-devices")

    def _apply(self, impl_call: Callable[[], object], model_call: Callable[[], None]) -> None:
        try:
            impl_call()
            got = None
        except EnrolmentRefusedError as error:
            got = error.reason.value
        try:
            model_call()
            expected = None
        except Refused as refusal:
            expected = refusal.reason
        assert got == expected, f"refusal {got!r}, the model expects {expected!r}"

    def _in(self, *states: str) -> bool:
        current = self.model.current
        return current is not None and current.state in states

    def _may_start(self) -> bool:
        current = self.model.current
        return current is None or current.state in FINAL | ACTIVE_STATES

    def _event(self, event: ev.Event, model_call: Callable[[], None]) -> None:
        if not self.ids:
            return
        self._apply(lambda: self.impl.handle(self.ids[-1], event, self.now), model_call)

    @precondition(lambda self: self._may_start())
    @rule()
    def start(self) -> None:
        event = samples.start_event(PERSON, self.keys, device_os="ios", os_version=17)

        def call() -> None:
            self.ids.append(self.impl.start(event, self.now))

        self._apply(call, lambda: self.model.start(self.now))

    @precondition(lambda self: self._may_start())
    @rule(depth=st.integers(1, 6), document=st.sampled_from(["id-card-fr", "passport-fr"]))
    def walk_document_route(self, depth: int, document: str) -> None:
        """A shortcut to deep states: the first `depth` steps of a successful document route."""
        self.start()
        steps: list[Callable[[], None]] = [
            lambda: self.choose_document(document),
            lambda: self.submit_code("right"),
            lambda: self.document_video(None, True),
            lambda: self.face_capture(True),
            lambda: self.personal_code_set(),  # noqa: PLW0108 (the rule is untyped)
            lambda: self.decision(True),
        ]
        for step in steps[:depth]:
            step()

    @precondition(lambda self: self._in("ROUTE_CHOICE"))
    @rule()
    def choose_france_identite(self) -> None:
        self._event(ev.ChooseFranceIdentite(), lambda: self.model.choose_fi(self.now))

    @precondition(lambda self: self._in("ROUTE_CHOICE", "FI_ASSERTION"))
    @rule(document=st.sampled_from(["id-card-fr", "passport-fr", "driving-licence-fr"]))
    def choose_document(self, document: str) -> None:
        self._event(
            ev.ChooseDocument(document=document),
            lambda: self.model.choose_document(document, self.now),
        )

    @precondition(lambda self: self._in("FI_ASSERTION"))
    @rule(matching=st.booleans(), modern=st.booleans())
    def france_identite_asserted(self, matching: bool, modern: bool) -> None:
        assertion = samples.france_identite_assertion(
            PERSON,
            now=self.now,
            nir=PERSON.nir if matching else samples.SACHA.nir,
            card_issued_on=date(2022, 1, 1) if modern else date(2020, 1, 1),
        )
        event = ev.FranceIdentiteAsserted(assertion=assertion)
        self._event(event, lambda: self.model.asserted(matching, modern, self.now))

    @precondition(lambda self: self._in("CODE_SENT", "LOCKED"))
    @rule()
    def request_new_code(self) -> None:
        self._event(ev.RequestNewCode(), lambda: self.model.new_code(self.now))

    @precondition(lambda self: self._in("CODE_SENT"))
    @rule(kind=st.sampled_from(["right", "right", "wrong", "wrong", "malformed"]))
    def submit_code(self, kind: str) -> None:
        latest = self.impl.latest_code(self.ids[-1]) or "000000"
        code = {
            "right": latest,
            "wrong": f"{(int(latest) + 1) % 1_000_000:06d}",
            "malformed": latest[:5],
        }[kind]
        self._event(
            ev.SubmitCode(code=code),
            lambda: self.model.submit_code(kind == "right", kind == "malformed", self.now),
        )

    @precondition(lambda self: self._in("DOCUMENT_CAPTURE"))
    @rule(
        sides=st.sampled_from([None, None, None, ("front", "back"), ("front",), ("photo-page",)]),
        usable=st.booleans(),
    )
    def document_video(self, sides: tuple[str, ...] | None, usable: bool) -> None:
        if sides is None:  # mostly the sides the chosen document needs, to go deeper
            current = self.model.current
            document = current.document if current is not None else ""
            sides = tuple(sorted(SIDES.get(document, {"front", "back"})))
        event = ev.SubmitDocumentVideo(sides=sides, usable=usable, media=_MEDIA)
        self._event(event, lambda: self.model.document_video(frozenset(sides), usable, self.now))

    @precondition(lambda self: self._in("FACE_CAPTURE"))
    @rule(usable=st.booleans())
    def face_capture(self, usable: bool) -> None:
        event = ev.SubmitFaceCapture(kind="photo", usable=usable, media=_MEDIA)
        self._event(event, lambda: self.model.face(usable, self.now))

    @precondition(lambda self: self._in("PIN_SETUP"))
    @rule()
    def personal_code_set(self) -> None:
        self._event(ev.PersonalCodeSet(), lambda: self.model.pin_set(self.now))

    @precondition(lambda self: self._in("VERIFICATION_PENDING"))
    @rule(approved=st.booleans())
    def decision(self, approved: bool) -> None:
        self._event(
            ev.VerificationDecided(approved=approved, reason="" if approved else "synthetic"),
            lambda: self.model.decide(approved, self.now),
        )

    @precondition(lambda self: self._in("APPROVED"))
    @rule()
    def first_unlock(self) -> None:
        self._event(ev.FirstUnlock(), lambda: self.model.first_unlock(self.now))

    @precondition(lambda self: self._in(*CANCELLABLE))
    @rule(roll=st.integers(0, 11))
    def cancel(self, roll: int) -> None:
        if roll:
            return
        self._event(ev.Cancel(), lambda: self.model.cancel(self.now))

    @rule(
        index=st.integers(0, 10),
        approved=st.booleans(),
    )
    def any_event(self, index: int, approved: bool) -> None:
        """Any event in any state: out-of-order events must be refused identically."""
        model = self.model
        events: list[tuple[ev.Event, Callable[[], None]]] = [
            (ev.ChooseFranceIdentite(), lambda: model.choose_fi(self.now)),
            (
                ev.ChooseDocument(document="id-card-fr"),
                lambda: model.choose_document("id-card-fr", self.now),
            ),
            (ev.RequestNewCode(), lambda: model.new_code(self.now)),
            (
                ev.SubmitDocumentVideo(sides=("front", "back"), usable=True, media=_MEDIA),
                lambda: model.document_video(frozenset({"front", "back"}), True, self.now),
            ),
            (
                ev.SubmitFaceCapture(kind="video", usable=True, media=_MEDIA),
                lambda: model.face(True, self.now),
            ),
            (ev.PersonalCodeSet(), lambda: model.pin_set(self.now)),
            (
                ev.VerificationDecided(approved=approved),
                lambda: model.decide(approved, self.now),
            ),
            (ev.FirstUnlock(), lambda: model.first_unlock(self.now)),
            (ev.Cancel(), lambda: model.cancel(self.now)),
            (
                ev.FranceIdentiteAsserted(
                    assertion=samples.france_identite_assertion(
                        PERSON, now=self.now, card_issued_on=date(2022, 1, 1)
                    )
                ),
                lambda: model.asserted(True, True, self.now),
            ),
        ]
        if index == len(events):
            self.start()
            return
        event, model_call = events[index]
        self._event(event, model_call)

    def _deadline(self) -> datetime | None:
        current, codes = self.model.current, self.model.codes
        if current is None or current.last_event is None:
            return None
        if current.state == "VERIFICATION_PENDING" and current.pending_since is not None:
            return current.pending_since + timedelta(hours=48)
        if current.state == "APPROVED" and current.decided_at is not None:
            return current.decided_at + timedelta(days=30)
        if current.state == "LOCKED" and codes.locked_until is not None:
            return max(current.last_event, codes.locked_until) + timedelta(hours=24)
        if current.state in CANCELLABLE:
            return current.last_event + timedelta(hours=24)
        return None

    def _code_limit(self) -> datetime | None:
        codes = self.model.codes
        if not self._in("CODE_SENT", "LOCKED"):
            return None
        if codes.locked_until is not None:
            return codes.locked_until
        return None if codes.issued_at is None else codes.issued_at + timedelta(minutes=10)

    @rule(wait=st.sampled_from(_WAITS))
    def time_passes(self, wait: int | str) -> None:
        """Time moves on by a number of seconds, or to a limit exactly or one second past."""
        if isinstance(wait, int):
            self.now += timedelta(seconds=wait)
        else:
            limit = self._deadline() if wait.startswith("deadline") else self._code_limit()
            if limit is None or limit < self.now:
                return
            self.now = limit + timedelta(seconds=1 if wait.endswith("+1") else 0)
        self._event(ev.Tick(), lambda: self.model.tick(self.now))

    @invariant()
    def same_observations(self) -> None:
        for enrolment_id, modelled in zip(self.ids, self.model.enrolments, strict=True):
            assert self.impl.state(enrolment_id) == modelled.state
            assert self.impl.capture_count(enrolment_id) == modelled.captures
            assert self.impl.code_mail_count(enrolment_id) == modelled.code_mails


def make_state_machine(
    factory: Callable[[], EnrolmentImplementation],
) -> type[RuleBasedStateMachine]:
    """A RuleBasedStateMachine class testing implementations made by `factory`."""
    return type(
        "EnrolmentStateMachineOf" + getattr(factory, "__name__", "Implementation"),
        (EnrolmentStateMachine,),
        {"factory": staticmethod(factory)},
    )
