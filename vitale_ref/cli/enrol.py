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

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from vitale_ref.cli._enrol_steps import (
    Prompts,
    Walk,
    captures,
    choose_document,
    enter_code,
    first_unlock,
    france_identite,
    one_of,
    personal_code,
    start,
    verification,
)
from vitale_ref.cli._options import check_output_file, parse_now
from vitale_ref.device import HolderDevice, HolderSummary
from vitale_ref.enrolment import (
    IN_PROGRESS,
    KEY_VARIABLE,
    Cancel,
    Collaborators,
    Enrolment,
    EnrolmentService,
    EnrolmentStore,
    ReferenceIssuer,
    ScriptedDecision,
    ScriptedProofing,
    SimulatedFranceIdentite,
    State,
    default_key_path,
    load_service_key,
)
from vitale_ref.enrolment import samples as synthetic
from vitale_ref.errors import VitaleError
from vitale_ref.pin import PinVerifier
from vitale_ref.randomness import RandomSource, p256_private_key, seeded_random, system_random


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


def _cancel_unfinished(walk: Walk) -> None:
    """A walk that stops half-way leaves nothing in progress: its enrolment is cancelled
    (a later run would otherwise need --cancel-previous)."""
    if walk.record_id and walk.state(walk.record_id).state in IN_PROGRESS:
        walk.service.handle(walk.record_id, Cancel(), now=walk.later())
        click.echo(f"Enrolment {walk.record_id} cancelled: nothing is left in progress.")


MAX_ANSWERS = 1 << 20
"""Largest answers file read, in bytes."""


def _answers(path: Path) -> Iterator[str]:
    """The lines of the answers file: UTF-8 text of at most MAX_ANSWERS bytes."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_ANSWERS + 1)
    except OSError as error:
        reason = error.strerror or error
        raise click.BadParameter(f"{path}: {reason}", param_hint="--answers") from None
    if len(data) > MAX_ANSWERS:
        raise click.BadParameter(
            f"{path} is larger than {MAX_ANSWERS} bytes", param_hint="--answers"
        )
    try:
        return iter(data.decode("utf-8").splitlines())
    except UnicodeDecodeError:
        raise click.BadParameter(f"{path} is not UTF-8 text", param_hint="--answers") from None


def _check_store(store: Path) -> None:
    """The holder store is checked before the walk, not found unusable at its end."""
    if store.exists():
        HolderDevice.open(store, create=False).close()
    else:
        check_output_file(store, "--store")


def _service(
    service_db: Path, key_file: Path, random: RandomSource, decision: str, delay: int
) -> EnrolmentService:
    store = EnrolmentStore(service_db)
    # VDC-OTP-015: the key of the codes' hashes is not in the database that holds them.
    try:
        otp_key = load_service_key(key_file, random)
    except BaseException:
        store.close()
        raise
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
    return EnrolmentService(store, otp_key=otp_key, collaborators=collaborators, random=random)


def _enrol(
    service: EnrolmentService,
    store: Path,
    prompts: Prompts,
    *,
    route: str | None,
    random: RandomSource,
    now: datetime,
    scripted: bool,
    delay: int,
    fast_forward: bool,
    cancel_previous: bool,
) -> None:
    """Walk the chosen route with `service` and save the active holder to `store`."""
    chosen = route or prompts.ask(
        "Route (france-identite/document)",
        "document",
        check=one_of("france-identite", "document"),
    )
    walk = Walk(
        service=service,
        france_identite=service.collaborators.france_identite,  # type: ignore[arg-type]
        prompts=prompts,
        random=random,
        now=now,
        device_key=p256_private_key(random),
        cancel_previous=cancel_previous,
        clock=None if scripted else (lambda: datetime.now(UTC)),
    )
    try:
        record, verifier = _walk_route(walk, chosen, delay, fast_forward)
    except (click.ClickException, VitaleError, KeyboardInterrupt):
        _cancel_unfinished(walk)
        raise
    if record.state is not State.ACTIVE:
        raise click.ClickException(f"enrolment ended in {record.state.value}")
    _save(walk, record, verifier, store)


def _walk_route(
    walk: Walk, route: str, delay: int, fast_forward: bool
) -> tuple[Enrolment, PinVerifier]:
    record = start(walk)
    if route == "france-identite":
        france_identite(walk, record)
        verifier = personal_code(walk, record)
    else:
        document_id = choose_document(walk, record)
        enter_code(walk, record)
        captures(walk, record, document_id)
        verifier = personal_code(walk, record)
        verification(walk, record, delay, fast_forward)
        first_unlock(walk, record, verifier)
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
    "--otp-key",
    "otp_key_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file holding the service's OTP key, made private on first use (default: the "
    f"service database's name + .otp-key; ${KEY_VARIABLE} wins when set).",
)
@click.option(
    "--route",
    type=click.Choice(["france-identite", "document"]),
    help="The enrolment route (asked when not given).",
)
@click.option(
    "--answers",
    type=click.Path(dir_okay=False, path_type=Path),
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
@click.option(
    "--cancel-previous",
    is_flag=True,
    help="Cancel an unfinished earlier enrolment of the same person first.",
)
@click.option("--now", "now_text", hidden=True, help="Start time, ISO 8601 UTC (tests).")
@click.option("--seed", hidden=True, help="Seeded randomness (tests only).")
def command(  # noqa: PLR0917 (one parameter per click option)
    store: Path,
    service_db: Path | None,
    otp_key_file: Path | None,
    route: str | None,
    answers: Path | None,
    fast_forward: bool,
    verification_delay: int,
    decision: str,
    cancel_previous: bool,
    now_text: str | None,
    seed: str | None,
) -> None:
    """Enrol a phone by either route and save the active holder to STORE (synthetic people)."""
    random = seeded_random(seed) if seed else system_random
    now = parse_now(now_text)
    prompts = Prompts(_answers(answers) if answers is not None else None)
    try:
        _check_store(store)
        database = service_db or store.with_name(store.name + ".service.db")
        key_file = otp_key_file or default_key_path(database)
        service = _service(database, key_file, random, decision, verification_delay)
        try:
            _enrol(
                service,
                store,
                prompts,
                route=route,
                random=random,
                now=now,
                scripted=now_text is not None,
                delay=verification_delay,
                fast_forward=fast_forward,
                cancel_previous=cancel_previous,
            )
        finally:
            service.store.close()
    except VitaleError as error:
        raise click.ClickException(str(error)) from None
