"""`vitale enrol`: walk a person through either enrolment route, as the app would.

The enrolment service (SQLite, `--service-db`) runs with the simulated collaborators:
the synthetic account directory, France Identité, the identity-proofing service and
the reference issuer under the test PKI. Codes and decisions are shown from the mail
outbox. The run ends with an active holder saved in the device store (`--store`),
which `vitale holder unlock` then opens. Answers come from `--answers FILE` (one line
per prompt, an empty line takes the default) or from the terminal. Every identity
offered is synthetic.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TextIO

import click
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from vitale_ref.device import HolderDevice, HolderSummary
from vitale_ref.enrolment import (
    ChooseDocument,
    ChooseFranceIdentite,
    Collaborators,
    Enrolment,
    EnrolmentRefusedError,
    EnrolmentService,
    EnrolmentStore,
    FiIdentity,
    FirstUnlock,
    PersonalCodeSet,
    ReferenceIssuer,
    RequestNewCode,
    Route,
    ScriptedDecision,
    ScriptedProofing,
    SimulatedFranceIdentite,
    StartEnrolment,
    State,
    SubmitCode,
    SubmitDocumentVideo,
    SubmitFaceCapture,
)
from vitale_ref.enrolment import samples as synthetic
from vitale_ref.errors import VitaleError
from vitale_ref.pin import PinError, PinVerifier, confirm_personal_code
from vitale_ref.randomness import RandomSource, p256_private_key, seeded_random, system_random

_MEDIA = b"synthetic capture recorded by vitale enrol"
_TRIES = 5


class Prompts:
    """Answers from a file when given, else from the terminal.

    In an answers file, the line `@code` stands for the code of the latest e-mail,
    which a script cannot know in advance.
    """

    def __init__(self, answers: Iterator[str] | None) -> None:
        self.answers = answers
        self.latest_code: Callable[[], str] = lambda: ""

    def ask(self, text: str, default: str | None = None, *, hide: bool = False) -> str:
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


@dataclass
class Walk:
    """One walk-through: the service, the simulated clock and the phone being enrolled."""

    service: EnrolmentService
    france_identite: SimulatedFranceIdentite
    prompts: Prompts
    random: RandomSource
    now: datetime
    device_key: ec.EllipticCurvePrivateKey

    def later(self, seconds: int = 20) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now

    def mail(self, enrolment_id: str) -> None:
        message = [m for m in self.service.outbox() if m.enrolment_id == enrolment_id][-1]
        click.echo(f"  [e-mail to {message.recipient}] {message.subject}")
        click.echo(f"  {message.body}")

    def state(self, enrolment_id: str) -> Enrolment:
        return self.service.get(enrolment_id)


def _start(walk: Walk) -> Enrolment:
    people = ", ".join(f"{a.given_names} {a.nir}" for a in synthetic.ACCOUNTS)
    click.echo(f"Synthetic accounts: {people}")
    nir = walk.prompts.ask("NIR (15 characters)", synthetic.CAMILLE.nir)
    device_os = walk.prompts.ask("Phone system (android/ios)", "android").lower()
    version = walk.prompts.ask("System version", "14")
    if not version.isdigit() or len(version) > 3:
        raise click.ClickException(f"system version {version!r} is not a number")
    public = walk.device_key.public_key().public_bytes(
        Encoding.X962, PublicFormat.UncompressedPoint
    )
    event = StartEnrolment(
        nir=nir, device_os=device_os, os_version=int(version), device_public_key=public
    )
    record = walk.service.start(event, now=walk.later())
    click.echo(f"Enrolment {record.id} started for department {record.department}.")
    return record


def _france_identite(walk: Walk, record: Enrolment) -> None:
    walk.service.handle(record.id, ChooseFranceIdentite(), now=walk.later())
    click.echo("France Identité (simulated): hold your identity card to the phone.")
    issued = walk.prompts.ask("Issue date of your identity card (YYYY-MM-DD)", "2022-05-01")
    try:
        card_issued_on = date.fromisoformat(issued)
    except ValueError:
        raise click.ClickException(f"{issued!r} is not a date (YYYY-MM-DD)") from None
    identity = FiIdentity(
        nir=record.nir, birth_date=record.birth_date, card_issued_on=card_issued_on
    )
    assertion = walk.france_identite.assert_identity(identity, walk.later())
    walk.service.submit_france_identite(record.id, assertion, now=walk.later())
    click.echo("France Identité confirmed your identity.")


def _choose_document(walk: Walk, record: Enrolment) -> str:
    rules = walk.service.policy.on(walk.now.date())
    documents = rules.documents_for(Route.DOCUMENT)
    for number, document in enumerate(documents, start=1):
        click.echo(f"  {number}. {document.label}")
    answer = walk.prompts.ask("Document", "1")
    chosen = (
        documents[int(answer) - 1]
        if answer.isdigit() and 0 < int(answer) <= len(documents)
        else None
    )
    document_id = chosen.id if chosen is not None else answer
    walk.service.handle(record.id, ChooseDocument(document=document_id), now=walk.later())
    walk.mail(record.id)
    return document_id


def _enter_code(walk: Walk, record: Enrolment) -> None:
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


def _captures(walk: Walk, record: Enrolment, document_id: str) -> None:
    document = walk.service.policy.on(walk.now.date()).documents[document_id]
    sides = " and ".join(document.sides)
    while walk.state(record.id).state is State.DOCUMENT_CAPTURE:
        answer = walk.prompts.ask(
            f"Film the {sides} of your document (Enter; 'blurred' to fail)", "ok"
        )
        event = SubmitDocumentVideo(sides=document.sides, usable=answer != "blurred", media=_MEDIA)
        walk.service.handle(record.id, event, now=walk.later())
    while walk.state(record.id).state is State.FACE_CAPTURE:
        kind = walk.prompts.ask("Face capture: photo or video ('blurred' to fail)", "photo")
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


def _personal_code(walk: Walk, record: Enrolment) -> PinVerifier:
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


def _verification(walk: Walk, record: Enrolment, delay: int, fast_forward: bool) -> None:
    walk.service.process(now=walk.later(1))
    click.echo("Verification in progress (it may take up to 48 h)...")
    if fast_forward:
        click.echo(f"  (fast-forward: the simulated clock moves {delay} s on)")
    else:
        time.sleep(delay)
    walk.service.process(now=walk.later(delay))
    current = walk.state(record.id)
    walk.mail(record.id)
    if current.state is not State.APPROVED:
        raise click.ClickException(f"enrolment {current.state.value.lower()}: {current.outcome}")


def _first_unlock(walk: Walk, record: Enrolment, verifier: PinVerifier) -> None:
    for _ in range(_TRIES):
        code = walk.prompts.ask("Open the app: your personal code", None, hide=True)
        if verifier.matches(code):
            walk.service.handle(record.id, FirstUnlock(), now=walk.later())
            return
        click.echo("  Wrong personal code.")
    raise click.ClickException("the app could not be unlocked")


def _save(walk: Walk, record: Enrolment, verifier: PinVerifier, store: Path) -> None:
    row = walk.service.store.credential(record.id)
    account = walk.service.collaborators.directory.lookup(record.nir)
    if row is None or account is None:
        raise click.ClickException("the activation left no credential")
    holder = HolderSummary(
        family_name=account.family_name,
        given_names=account.given_names,
        birth_date=record.birth_date.strftime("%Y%m%d"),
        nir=record.nir,
    )
    device = HolderDevice.open(store, now=walk.now, create=True)
    try:
        device.provision(
            holder=holder,
            verifier=verifier,
            credential=row.credential,
            device_key=walk.device_key,
            now=walk.now,
        )
    finally:
        device.close()
    replaced = [s for s in walk.service.side_steps if s.record is not None]
    for step in replaced:
        assert step.record is not None
        click.echo(f"Previous card {step.record.id} replaced; its credential is revoked.")
    click.echo(
        f"Active: {holder.display_name()} ({record.route.value if record.route else ''} route), "
        f"credential status index {row.status_index}, holder saved to {store}"
    )


def _service(service_db: Path, random: RandomSource, decision: str, delay: int) -> EnrolmentService:
    store = EnrolmentStore(service_db)
    proofing = ScriptedProofing(
        default=ScriptedDecision(
            approved=decision == "approve",
            delay=timedelta(seconds=delay),
            reason="" if decision == "approve" else "the document could not be verified",
        )
    )
    collaborators = Collaborators(
        directory=synthetic.synthetic_directory(),
        proofing=proofing,
        france_identite=SimulatedFranceIdentite(),
        issuer=ReferenceIssuer(random=random),
    )
    return EnrolmentService(
        store, otp_key=store.service_key(random), collaborators=collaborators, random=random
    )


def _parse_now(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter("not an ISO 8601 time", param_hint="--now") from None
    if when.utcoffset() is None:
        raise click.BadParameter("needs a time zone (Z)", param_hint="--now")
    return when.astimezone(UTC)


def _walk_route(
    walk: Walk, route: str, delay: int, fast_forward: bool
) -> tuple[Enrolment, PinVerifier]:
    record = _start(walk)
    if route == "france-identite":
        _france_identite(walk, record)
        verifier = _personal_code(walk, record)
    else:
        document_id = _choose_document(walk, record)
        _enter_code(walk, record)
        _captures(walk, record, document_id)
        verifier = _personal_code(walk, record)
        _verification(walk, record, delay, fast_forward)
        _first_unlock(walk, record, verifier)
    return walk.state(record.id), verifier


@click.command("enrol")
@click.option(
    "--store",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The holder device store (SQLite file) the activated holder is saved to.",
)
@click.option(
    "--service-db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The enrolment service database (default: the store's name + .service.db).",
)
@click.option(
    "--route",
    type=click.Choice(["france-identite", "document"]),
    help="The enrolment route (asked when not given).",
)
@click.option(
    "--answers",
    type=click.File("r"),
    help="One answer per line in prompt order; '@code' stands for the e-mailed code.",
)
@click.option("--fast-forward", is_flag=True, help="Move the simulated clock instead of waiting.")
@click.option(
    "--verification-delay",
    type=click.IntRange(0, 14 * 24 * 3600),
    default=3,
    show_default=True,
    help="Seconds the simulated identity proofing takes (over 172800: the enrolment expires).",
)
@click.option(
    "--decision",
    type=click.Choice(["approve", "reject"]),
    default="approve",
    show_default=True,
    help="What the simulated identity-proofing service decides.",
)
@click.option("--now", "now_text", hidden=True, help="Start time, ISO 8601 UTC (tests).")
@click.option("--seed", hidden=True, help="Seeded randomness (tests only).")
def command(  # noqa: PLR0917 (one parameter per click option)
    store: Path,
    service_db: Path | None,
    route: str | None,
    answers: TextIO | None,
    fast_forward: bool,
    verification_delay: int,
    decision: str,
    now_text: str | None,
    seed: str | None,
) -> None:
    """Enrol a phone by either route and save the active holder to STORE (synthetic people)."""
    random = seeded_random(seed) if seed else system_random
    lines = iter(answers.read().splitlines()) if answers is not None else None
    prompts = Prompts(lines)
    try:
        database = service_db or store.with_name(store.name + ".service.db")
        service = _service(database, random, decision, verification_delay)
        chosen = route or prompts.ask("Route (france-identite/document)", "document")
        if chosen not in ("france-identite", "document"):
            raise click.ClickException(f"unknown route {chosen!r}")
        walk = Walk(
            service=service,
            france_identite=service.collaborators.france_identite,  # type: ignore[arg-type]
            prompts=prompts,
            random=random,
            now=_parse_now(now_text),
            device_key=p256_private_key(random),
        )
        record, verifier = _walk_route(walk, chosen, verification_delay, fast_forward)
        if record.state is not State.ACTIVE:
            raise click.ClickException(f"enrolment ended in {record.state.value}")
        _save(walk, record, verifier, store)
    except VitaleError as error:
        raise click.ClickException(str(error)) from None
