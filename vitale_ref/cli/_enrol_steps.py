"""The steps of `vitale enrol`: prompts, the simulated clock and each route's screens.

Each step drives the enrolment service the way the app's screens would and prints
what the person sees; e-mails are read from the service's outbox.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import click
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from vitale_ref.enrolment import (
    IN_PROGRESS,
    Cancel,
    ChooseDocument,
    ChooseFranceIdentite,
    Enrolment,
    EnrolmentRefusedError,
    EnrolmentService,
    FiIdentity,
    FirstUnlock,
    PersonalCodeSet,
    Reason,
    RequestNewCode,
    Route,
    SimulatedFranceIdentite,
    StartEnrolment,
    State,
    SubmitCode,
    SubmitDocumentVideo,
    SubmitFaceCapture,
)
from vitale_ref.enrolment import samples as synthetic
from vitale_ref.errors import VitaleError
from vitale_ref.nir import compact as record_nir
from vitale_ref.nir import validate as nir_validate
from vitale_ref.pin import PinError, PinVerifier, confirm_personal_code
from vitale_ref.randomness import RandomSource

_MEDIA = b"synthetic capture recorded by vitale enrol"
_TRIES = 5
_ASKS = 5
"""Answers tried for one prompt before the walk stops (a file that keeps giving bad ones)."""
Check = Callable[[str], str | None]
"""A prompt's check: why the answer cannot be used, or None when it can."""


class Prompts:
    """Answers from a file when given, else from the terminal.

    In an answers file, the line `@code` stands for the code of the latest e-mail,
    which a script cannot know in advance.
    """

    def __init__(self, answers: Iterator[str] | None) -> None:
        self.answers = answers
        self.latest_code: Callable[[], str] = lambda: ""

    def ask(
        self,
        text: str,
        default: str | None = None,
        *,
        hide: bool = False,
        check: Check | None = None,
    ) -> str:
        """The answer to `text`; an answer `check` refuses is explained and asked again."""
        for _ in range(_ASKS):
            answer = self._one(text, default, hide)
            problem = check(answer) if check is not None else None
            if problem is None:
                return answer
            click.echo(f"  {problem}; please answer again.")
        raise click.ClickException(f"no usable answer to {text!r} after {_ASKS} tries")

    def _one(self, text: str, default: str | None, hide: bool) -> str:
        if self.answers is None:
            return str(click.prompt(text, default=default, hide_input=hide))
        try:
            answer = next(self.answers) or (default or "")
        except StopIteration:
            raise click.ClickException(f"the answers file ended at the prompt {text!r}") from None
        if answer == "@code":
            answer = self.latest_code()
        click.echo(f"{text}: {'******' if hide else answer}")
        return answer


def one_of(*choices: str) -> Check:
    return lambda answer: None if answer in choices else f"{answer!r} is not one of {choices}"


def _nir(answer: str) -> str | None:
    try:
        nir_validate(answer)
    except VitaleError as error:
        return f"{answer!r} is not a valid NIR: {error}"
    return None


def _version(answer: str) -> str | None:
    return None if answer.isdigit() and len(answer) <= 3 else f"{answer!r} is not a number"


def _date(answer: str) -> str | None:
    try:
        date.fromisoformat(answer)
    except ValueError:
        return f"{answer!r} is not a date (YYYY-MM-DD)"
    return None


@dataclass
class Walk:
    """One walk-through: the service, the simulated clock and the phone being enrolled."""

    service: EnrolmentService
    france_identite: SimulatedFranceIdentite
    prompts: Prompts
    random: RandomSource
    now: datetime
    device_key: ec.EllipticCurvePrivateKey
    cancel_previous: bool = False
    clock: Callable[[], datetime] | None = None
    ahead: timedelta = timedelta(0)
    record_id: str = ""
    """The enrolment this walk started (cancelled if the walk stops half-way)."""

    def later(self, seconds: int = 20) -> datetime:
        """The time of the next step: `seconds` on in a scripted walk (--now), otherwise
        the real clock plus any fast-forward, so that the credential issued at the end is
        valid at once for a reader on the real clock (VDC-CRED-012)."""
        if self.clock is None:
            self.now += timedelta(seconds=seconds)
        else:
            self.now = max(self.now + timedelta(microseconds=1), self.clock() + self.ahead)
        return self.now

    def fast_forward(self, seconds: int) -> None:
        """Move the simulated time on instead of waiting."""
        if self.clock is not None:
            self.ahead += timedelta(seconds=seconds)

    def mail(self, enrolment_id: str) -> None:
        message = [m for m in self.service.outbox() if m.enrolment_id == enrolment_id][-1]
        click.echo(f"  [e-mail to {message.recipient}] {message.subject}")
        click.echo(f"  {message.body}")

    def state(self, enrolment_id: str) -> Enrolment:
        return self.service.get(enrolment_id)


def start(walk: Walk) -> Enrolment:
    people = ", ".join(f"{a.given_names} {a.nir}" for a in synthetic.ACCOUNTS)
    click.echo(f"Synthetic accounts: {people}")
    nir = walk.prompts.ask("NIR (15 characters)", synthetic.CAMILLE.nir, check=_nir)
    device_os = walk.prompts.ask(
        "Phone system (android/ios)", "android", check=lambda a: one_of("android", "ios")(a.lower())
    ).lower()
    version = walk.prompts.ask("System version", "14", check=_version)
    public = walk.device_key.public_key().public_bytes(
        Encoding.X962, PublicFormat.UncompressedPoint
    )
    event = StartEnrolment(
        nir=nir, device_os=device_os, os_version=int(version), device_public_key=public
    )
    walk.service.process(now=walk.now)  # deadlines of interrupted earlier runs
    try:
        record = walk.service.start(event, now=walk.later())
    except EnrolmentRefusedError as refusal:
        if refusal.reason is not Reason.ENROLMENT_IN_PROGRESS:
            raise
        if not walk.cancel_previous:
            raise click.ClickException(
                f"{refusal}; run again with --cancel-previous to cancel it"
            ) from None
        for earlier in walk.service.store.for_nir(record_nir(nir)):
            if earlier.state in IN_PROGRESS:
                walk.service.handle(earlier.id, Cancel(), now=walk.later())
                click.echo(f"Earlier enrolment {earlier.id} cancelled.")
        record = walk.service.start(event, now=walk.later())
    click.echo(f"Enrolment {record.id} started for department {record.department}.")
    walk.record_id = record.id
    return record


def france_identite(walk: Walk, record: Enrolment) -> None:
    walk.service.handle(record.id, ChooseFranceIdentite(), now=walk.later())
    click.echo("France Identité (simulated): hold your identity card to the phone.")
    issued = walk.prompts.ask(
        "Issue date of your identity card (YYYY-MM-DD)", "2022-05-01", check=_date
    )
    card_issued_on = date.fromisoformat(issued)
    identity = FiIdentity(
        nir=record.nir, birth_date=record.birth_date, card_issued_on=card_issued_on
    )
    assertion = walk.france_identite.assert_identity(identity, walk.later())
    walk.service.submit_france_identite(record.id, assertion, now=walk.later())
    click.echo("France Identité confirmed your identity.")


def choose_document(walk: Walk, record: Enrolment) -> str:
    rules = walk.service.policy.on(walk.now.date())
    documents = rules.documents_for(Route.DOCUMENT)
    for number, document in enumerate(documents, start=1):
        click.echo(f"  {number}. {document.label}")
    numbers = [str(number) for number in range(1, len(documents) + 1)]
    ids = [document.id for document in documents]
    answer = walk.prompts.ask("Document", "1", check=one_of(*numbers, *ids))
    document_id = documents[int(answer) - 1].id if answer in numbers else answer
    walk.service.handle(record.id, ChooseDocument(document=document_id), now=walk.later())
    walk.mail(record.id)
    return document_id


def enter_code(walk: Walk, record: Enrolment) -> None:
    walk.prompts.latest_code = lambda: synthetic.last_code(walk.service, record.id)
    for _ in range(20):
        code = walk.prompts.ask("Code from the e-mail (or 'new')", None)
        event = RequestNewCode() if code.strip().lower() == "new" else SubmitCode(code=code.strip())
        try:
            walk.service.handle(record.id, event, now=walk.later())
        except EnrolmentRefusedError as refusal:
            click.echo(f"  Refused: {refusal.message}")
            if refusal.reason.value not in ("code-expired", "no-active-code"):
                continue
            walk.service.handle(record.id, RequestNewCode(), now=walk.later())
        current = walk.state(record.id)
        if current.state is State.DOCUMENT_CAPTURE:
            click.echo("Code accepted.")
            return
        if current.state is State.LOCKED:
            raise click.ClickException("too many wrong codes: the enrolment is locked for 24 h")
        if isinstance(event, RequestNewCode) or not current.otp.has_live_code:
            if not current.otp.has_live_code:
                walk.service.handle(record.id, RequestNewCode(), now=walk.later())
            walk.mail(record.id)
        else:
            click.echo(f"  Wrong code, {current.otp.tries_left} tries left for this code.")
    raise click.ClickException("no valid code entered")


def captures(walk: Walk, record: Enrolment, document_id: str) -> None:
    document = walk.service.policy.on(walk.now.date()).documents[document_id]
    sides = " and ".join(document.sides)
    while walk.state(record.id).state is State.DOCUMENT_CAPTURE:
        answer = walk.prompts.ask(
            f"Film the {sides} of your document (Enter; 'blurred' to fail)",
            "ok",
            check=one_of("ok", "blurred"),
        )
        event = SubmitDocumentVideo(sides=document.sides, usable=answer != "blurred", media=_MEDIA)
        walk.service.handle(record.id, event, now=walk.later())
    while walk.state(record.id).state is State.FACE_CAPTURE:
        kind = walk.prompts.ask(
            "Face capture: photo or video ('blurred' to fail)",
            "photo",
            check=one_of("photo", "video", "blurred"),
        )
        face = SubmitFaceCapture(
            kind=kind if kind in ("photo", "video") else "photo",
            usable=kind != "blurred",
            media=_MEDIA,
        )
        walk.service.handle(record.id, face, now=walk.later())
    if walk.state(record.id).state is State.REJECTED:
        walk.mail(record.id)
        raise click.ClickException("the captures could not be used: enrolment rejected")
    click.echo("Captures recorded.")


def personal_code(walk: Walk, record: Enrolment) -> PinVerifier:
    birth = record.birth_date.strftime("%Y%m%d")
    for _ in range(_TRIES):
        first = walk.prompts.ask("Choose your personal code (6 digits)", None, hide=True)
        second = walk.prompts.ask("Enter it again", None, hide=True)
        try:
            code = confirm_personal_code(first, second, birth_date=birth)
        except PinError as error:
            click.echo(f"  Refused: {error}")
            continue
        verifier = PinVerifier.create(code, random=walk.random)
        walk.service.handle(record.id, PersonalCodeSet(), now=walk.later())
        return verifier
    raise click.ClickException("no acceptable personal code chosen")


def verification(walk: Walk, record: Enrolment, delay: int, fast_forward: bool) -> None:
    walk.service.process(now=walk.later(1))
    click.echo("Verification in progress (it may take up to 48 h)...")
    if fast_forward:
        click.echo(f"  (fast-forward: the simulated clock moves {delay} s on)")
        walk.fast_forward(delay)
    else:
        wait(walk, delay)
    walk.service.process(now=walk.later(delay))
    current = walk.state(record.id)
    walk.mail(record.id)
    if current.state is not State.APPROVED:
        raise click.ClickException(f"enrolment {current.state.value.lower()}: {current.outcome}")


def wait(walk: Walk, seconds: int, *, sleep: Callable[[float], None] = time.sleep) -> None:
    """Wait for a simulated service in real time, counting down; Ctrl-C skips the rest
    (the simulated clock then moves on instead, as --fast-forward does)."""
    remaining = seconds
    try:
        click.echo(
            f"  waiting {_duration(seconds)} for the simulated identity proofing; "
            "Ctrl-C skips the wait (--fast-forward never waits)"
        )
        while remaining > 0:
            step = min(remaining, 10)
            sleep(step)
            remaining -= step
            if remaining:
                click.echo(f"  {_duration(remaining)} left (Ctrl-C skips)")
    except KeyboardInterrupt:
        click.echo(f"  wait skipped: the simulated clock moves {_duration(remaining)} on")
        walk.fast_forward(remaining)


def _duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def first_unlock(walk: Walk, record: Enrolment, verifier: PinVerifier) -> None:
    for _ in range(_TRIES):
        code = walk.prompts.ask("Open the app: your personal code", None, hide=True)
        if verifier.matches(code):
            walk.service.handle(record.id, FirstUnlock(), now=walk.later())
            return
        click.echo("  Wrong personal code.")
    raise click.ClickException("the app could not be unlocked")
