"""Enrolment traces: scripted event sequences run against the reference service.

A scenario is a start time and a list of steps `(seconds after start, enrolment slot,
event)`. Running it records, for each step, the state reached, the transition taken
and the kinds of messages written, or the refusal reason. The vector generator stores
these records; tests replay them and check every transition of the table is exercised
(VDC-ENR-001). A code field written `"@code"` is replaced by the latest e-mailed code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from vitale_ref.enrolment import samples
from vitale_ref.enrolment._codec import event_from_json, event_to_json
from vitale_ref.enrolment._errors import EnrolmentRefusedError
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
    SubmitDocumentVideo,
    SubmitFaceCapture,
    Tick,
    VerificationDecided,
)
from vitale_ref.enrolment._france_identite import FiIdentity
from vitale_ref.enrolment._rules import Account
from vitale_ref.enrolment._service import EnrolmentService
from vitale_ref.randomness import seeded_random

CODE = "@code"
"""Stands for the latest code e-mailed to the step's enrolment (read from the mailbox)."""
WRONG = "@wrong"
"""Stands for a well-formed code other than the latest one: (latest + 1) mod 10^6."""
IDENTITY = "@identity"
_MEDIA = b"synthetic capture"
H = 3600


@dataclass(frozen=True, kw_only=True)
class Scenario:
    name: str
    comment: str
    start: datetime
    steps: tuple[tuple[int, int, dict[str, Any]], ...]


def start(
    account: Account, label: str, *, device_os: str = "android", version: int = 14
) -> dict[str, Any]:
    event = samples.start_event(
        account, seeded_random(f"vdc-device/{label}"), device_os=device_os, os_version=version
    )
    return event_to_json(event)


def ev(event: Event) -> dict[str, Any]:
    return event_to_json(event)


def asserted(
    account: Account,
    card: date = date(2022, 5, 1),
    nir: str | None = None,
    *,
    age: int = 0,
    tampered: bool = False,
) -> dict[str, Any]:
    """A France Identité assertion issued `age` seconds before the step (signed at run time)."""
    return {
        "event": FranceIdentiteAsserted.name,
        IDENTITY: {
            "nir": nir or account.nir,
            "birthDate": account.birth_date.isoformat(),
            "cardIssuedOn": card.isoformat(),
            "age": age,
            "tampered": tampered,
        },
    }


def code(value: str = CODE) -> dict[str, Any]:
    return {"event": "SubmitCode", "code": value}


DOC_VIDEO = ev(SubmitDocumentVideo(sides=("front", "back"), usable=True, media=_MEDIA))
DOC_VIDEO_BAD = ev(SubmitDocumentVideo(sides=("front", "back"), usable=False, media=_MEDIA))
FACE = ev(SubmitFaceCapture(kind="photo", usable=True, media=_MEDIA))
FACE_BAD = ev(SubmitFaceCapture(kind="video", usable=False, media=_MEDIA))
PIN = ev(PersonalCodeSet())
TICK = ev(Tick())
CANCEL = ev(Cancel())
NEW_CODE = ev(RequestNewCode())
FI = ev(ChooseFranceIdentite())


def doc(document: str = "id-card-fr") -> dict[str, Any]:
    return ev(ChooseDocument(document=document))


def decided(approved: bool, reason: str = "") -> dict[str, Any]:
    return ev(VerificationDecided(approved=approved, reason=reason))


@dataclass(frozen=True, kw_only=True)
class StepRecord:
    at: datetime
    slot: int
    event: dict[str, Any]
    state: str | None
    transition: tuple[str, str, str] | None
    side_transitions: tuple[tuple[str, str, str], ...]
    messages: tuple[str, ...]
    refused: str | None


def wrong_code(latest: str) -> str:
    """The code a trace's `@wrong` stands for, given the latest code e-mailed."""
    return f"{(int(latest) + 1) % 1_000_000:06d}"


def _assertion(spec: dict[str, Any], now: datetime) -> str:
    identity = FiIdentity(
        nir=spec["nir"],
        birth_date=date.fromisoformat(spec["birthDate"]),
        card_issued_on=date.fromisoformat(spec["cardIssuedOn"]),
    )
    signed = samples.FRANCE_IDENTITE.assert_identity(identity, now - timedelta(seconds=spec["age"]))
    if spec["tampered"]:
        signed = bytes([signed[0] ^ 1]) + signed[1:]  # a tag that does not verify
    return signed.hex()


def _recorded(event: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The event as the trace file records it: assertions signed at the step's time."""
    if IDENTITY in event:
        return {"event": event["event"], "assertion": _assertion(event[IDENTITY], now)}
    return event


def _resolve(event: dict[str, Any], service: EnrolmentService, enrolment_id: str) -> dict[str, Any]:
    """What is sent: `@code` and `@wrong` read from the mailbox of the enrolment."""
    if event.get("code") == CODE:
        return {**event, "code": samples.last_code(service, enrolment_id)}
    if event.get("code") == WRONG:
        return {**event, "code": wrong_code(samples.last_code(service, enrolment_id))}
    return event


class TraceRunner:
    """Applies trace steps one at a time to `service`, keeping the slot -> enrolment map."""

    def __init__(self, start_at: datetime, service: EnrolmentService) -> None:
        self.start_at = start_at
        self.service = service
        self.slots: dict[int, str] = {}

    def step(self, offset: int, slot: int, raw: dict[str, Any]) -> StepRecord:
        service, slots = self.service, self.slots
        now = self.start_at + timedelta(seconds=offset)
        data = _recorded(raw, now)
        event = event_from_json(_resolve(data, service, slots.get(slot, "")))
        before = len(service.outbox())
        state: str | None
        transition: tuple[str, str, str] | None
        refused: str | None
        try:
            if isinstance(event, StartEnrolment):
                created = service.start(event, now=now)
                slots[slot] = created.id
                state, transition = created.state.value, ("START", event.name, "always")
            else:
                step = service.handle(slots[slot], event, now=now)
                assert step.record is not None
                state = step.record.state.value
                transition = None if step.transition is None else step.transition.key
            refused = None
        except EnrolmentRefusedError as error:
            state = service.get(slots[slot]).state.value if slot in slots else None
            transition, refused = None, error.reason.value
        return StepRecord(
            at=now,
            slot=slot,
            event=data,
            state=state,
            transition=transition,
            side_transitions=tuple(
                s.transition.key for s in service.side_steps if s.transition is not None
            ),
            messages=tuple(m.kind for m in service.outbox()[before:]),
            refused=refused,
        )


def run(
    start_at: datetime,
    steps: tuple[tuple[int, int, dict[str, Any]], ...],
    *,
    seed: str,
    service: EnrolmentService | None = None,
) -> list[StepRecord]:
    """Run the steps on a fresh simulated service (or `service`), recording each outcome."""
    runner = TraceRunner(start_at, service or samples.make_service(seed=seed))
    return [runner.step(offset, slot, raw) for offset, slot, raw in steps]


T2024 = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)
T2023 = datetime(2023, 1, 9, 9, 0, tzinfo=UTC)
C, D, S = samples.CAMILLE, samples.DOMINIQUE, samples.SACHA
_T0 = samples.T0
_DOC_TO_PIN = ((0, 0, doc()), (60, 0, code()), (120, 0, DOC_VIDEO), (180, 0, FACE))
_DOC_TO_PENDING = (*_DOC_TO_PIN, (240, 0, PIN))


def _s(
    name: str, comment: str, *steps: tuple[int, int, dict[str, Any]], at: datetime = _T0
) -> Scenario:
    return Scenario(name=name, comment=comment, start=at, steps=tuple(steps))


def _doc_start(label: str) -> tuple[tuple[int, int, dict[str, Any]], ...]:
    return ((0, 0, start(C, label)), *_DOC_TO_PENDING)


SCENARIOS: tuple[Scenario, ...] = (
    _s(
        "fi-active",
        "France Identité route to an active card",
        (0, 0, start(C, "fi-active", device_os="ios", version=17)),
        (10, 0, FI),
        (40, 0, asserted(C)),
        (70, 0, PIN),
    ),
    _s(
        "document-active-with-retries",
        "identity-document route with a wrong code and one retry of each capture",
        (0, 0, start(C, "document-active")),
        (10, 0, doc()),
        (30, 0, code(WRONG)),
        (40, 0, code()),
        (60, 0, DOC_VIDEO_BAD),
        (80, 0, DOC_VIDEO),
        (100, 0, FACE_BAD),
        (120, 0, FACE),
        (140, 0, PIN),
        (40 * 60, 0, decided(True)),
        (50 * 60, 0, ev(FirstUnlock())),
    ),
    _s(
        "switch-route-new-code-cancel",
        "France Identité then the document route (passport), a new code, then cancellation",
        (0, 0, start(C, "switch", device_os="ios", version=16)),
        (10, 0, FI),
        (20, 0, doc("passport-fr")),
        (30, 0, NEW_CODE),
        (40, 0, code()),
        (50, 0, ev(SubmitDocumentVideo(sides=("front",), usable=True, media=_MEDIA))),
        (90, 0, CANCEL),
    ),
    _s(
        "lock-then-new-code",
        "ten consecutive wrong codes lock; the lock ends after 24 h",
        (0, 0, start(C, "lock")),
        (10, 0, doc()),
        *((20 + i, 0, code(WRONG)) for i in range(3)),
        (30, 0, code(WRONG)),
        (40, 0, NEW_CODE),
        *((50 + i, 0, code(WRONG)) for i in range(3)),
        (60, 0, NEW_CODE),
        *((70 + i, 0, code(WRONG)) for i in range(3)),
        (80, 0, NEW_CODE),
        (90, 0, code(WRONG)),
        (100, 0, NEW_CODE),
        (110, 0, CANCEL),
        (90 + 24 * H - 1, 0, NEW_CODE),
        (90 + 24 * H, 0, NEW_CODE),
        (90 + 48 * H, 0, TICK),
        (91 + 48 * H, 0, TICK),
    ),
    _s(
        "locked-abandoned",
        "a lock left alone is abandoned 24 h after it ends",
        (0, 0, start(C, "locked-abandoned")),
        (10, 0, doc()),
        *((20 + i, 0, code(WRONG)) for i in range(3)),
        (30, 0, NEW_CODE),
        *((40 + i, 0, code(WRONG)) for i in range(3)),
        (50, 0, NEW_CODE),
        *((60 + i, 0, code(WRONG)) for i in range(3)),
        (70, 0, NEW_CODE),
        (80, 0, code(WRONG)),
        (80 + 48 * H, 0, TICK),
        (81 + 48 * H, 0, TICK),
    ),
    _s(
        "rejected",
        "the identity-proofing service rejects; captures are deleted",
        *_doc_start("rejected"),
        (H, 0, decided(False, "document unreadable")),
        (H + 1, 0, ev(FirstUnlock())),
    ),
    _s(
        "verification-expires",
        "no decision within 48 h: expired; a decision at exactly 48 h would have counted",
        *_doc_start("expires"),
        (240 + 48 * H, 0, TICK),
        (241 + 48 * H, 0, TICK),
    ),
    _s(
        "captures-exhausted-document",
        "three unusable document videos end the enrolment",
        (0, 0, start(C, "exhausted-doc")),
        (10, 0, doc()),
        (20, 0, code()),
        (30, 0, DOC_VIDEO_BAD),
        (40, 0, DOC_VIDEO_BAD),
        (50, 0, DOC_VIDEO_BAD),
    ),
    _s(
        "captures-exhausted-face",
        "three unusable face captures end the enrolment",
        *((0, 0, start(C, "exhausted-face")), *_DOC_TO_PIN[:3]),
        (200, 0, FACE_BAD),
        (210, 0, FACE_BAD),
        (220, 0, FACE_BAD),
    ),
    *(
        _s(
            f"cancel-{label}",
            f"cancellation in {label.upper().replace('-', '_')}",
            (0, 0, start(C, f"cancel-{label}", device_os="ios", version=17)),
            *prefix,
            (1000, 0, CANCEL),
        )
        for label, prefix in (
            ("route-choice", ()),
            ("fi-assertion", ((10, 0, FI),)),
            ("code-sent", _DOC_TO_PIN[:1]),
            ("face-capture", _DOC_TO_PIN[:3]),
            ("pin-setup", _DOC_TO_PIN),
            ("verification-pending", _DOC_TO_PENDING),
            ("approved", (*_DOC_TO_PENDING, (500, 0, decided(True)))),
        )
    ),
    *(
        _s(
            f"abandon-{label}",
            f"no event for more than 24 h in {label.upper().replace('-', '_')}",
            (0, 0, start(C, f"abandon-{label}", device_os="ios", version=17)),
            *prefix,
            (200 + 24 * H, 0, TICK),
            (201 + 24 * H, 0, TICK),
        )
        for label, prefix in (
            ("route-choice", ((200, 0, TICK),)),
            ("fi-assertion", ((200, 0, FI),)),
            ("document-capture", ((100, 0, doc()), (200, 0, code()))),
            ("face-capture", ((100, 0, doc()), (150, 0, code()), (200, 0, DOC_VIDEO))),
            ("pin-setup", (*_DOC_TO_PIN[:3], (200, 0, FACE))),
        )
    ),
    _s(
        "approval-expires",
        "an approval not followed by a first unlock within 30 days expires",
        *_doc_start("approval-expires"),
        (H, 0, decided(True)),
        (H + 30 * 24 * H, 0, TICK),
        (H + 30 * 24 * H + 1, 0, TICK),
    ),
    _s(
        "second-phone-replaces",
        "a second phone replaces the first card; the replaced one takes no event",
        (0, 0, start(C, "phone-1", device_os="ios", version=17)),
        (10, 0, FI),
        (20, 0, asserted(C)),
        (30, 0, PIN),
        (H, 1, start(C, "phone-2", device_os="ios", version=18)),
        (H + 10, 1, FI),
        (H + 20, 1, asserted(C)),
        (H + 30, 1, PIN),
        (H + 40, 0, CANCEL),
    ),
    _s(
        "refusals-at-start",
        "eligibility refusals: bad key, no account, no carte Vitale, too young, old system;"
        " stale, tampered and mismatching assertions, one exactly 5 minutes old accepted",
        (0, 0, start(C, "bad-nir") | {"nir": C.nir[:-2] + "00"}),
        (0, 0, start(C, "no-account") | {"nir": "178016938100515"}),
        (0, 0, start(samples.ALEX, "no-carte")),
        (0, 0, start(samples.LOU, "minor")),
        (0, 0, start(C, "old-os", device_os="android", version=7)),
        (0, 0, start(C, "fine", device_os="ios", version=16)),
        (10, 1, start(C, "parallel")),
        (20, 0, FI),
        (30, 0, PIN),
        (35, 0, asserted(C, age=301)),
        (36, 0, asserted(C, tampered=True)),
        (40, 0, asserted(C, nir=S.nir)),
        (50, 0, asserted(C, card=date(2021, 3, 14))),
        (60, 0, asserted(C, card=date(2021, 3, 15), age=300)),
        (70, 2, start(S, "old-ios", device_os="ios", version=15)),
        (80, 2, FI),
    ),
    _s(
        "refusals-document-route",
        "the identity-document route before it opened",
        (0, 0, start(D, "dominique-2023")),
        (10, 0, doc()),
        at=T2023,
    ),
    _s(
        "refusals-department-and-code",
        "department not yet open, then code refusals in a pilot department",
        (0, 0, start(D, "dominique-2024")),
        (10, 0, doc()),
        (20, 0, CANCEL),
        (30, 1, start(S, "sacha-2024")),
        (40, 1, doc("residence-card-be")),
        (45, 1, doc("driving-licence-fr")),
        (50, 1, doc()),
        (60, 1, code("12345")),
        (60 + 601, 1, code()),
        (700, 1, NEW_CODE),
        (710, 1, NEW_CODE),
        (720, 1, NEW_CODE),
        (730, 1, NEW_CODE),
        (740, 1, NEW_CODE),
        (750, 1, code()),
        (760, 1, DOC_VIDEO | {"sides": ["front"]}),
        at=T2024,
    ),
)
"""Every scenario; together they exercise each row of the transition table."""
