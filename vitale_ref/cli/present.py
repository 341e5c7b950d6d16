"""`vitale present`: an in-memory presentation of a synthetic holder to a reader.

With `--store`, the holder enrolled in that device store (`vitale enrol`) is presented
instead, through the holder app: see `vitale_ref.cli._present_store`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import click

from vitale_ref.app import DEMO_ACT, DEMO_AMOUNT_CENTS
from vitale_ref.cli._options import check_output_file, parse_elements, parse_now
from vitale_ref.cli._present_store import read_enrolled
from vitale_ref.cli._verified import echo_verified
from vitale_ref.holder import PRESENCE_WINDOW_SECONDS
from vitale_ref.holder.samples import sample_world
from vitale_ref.link import InMemoryLink
from vitale_ref.randomness import seeded_random
from vitale_ref.reader import ReaderError, ReadResult, run_read
from vitale_ref.sm import Receipt, SessionKeys
from vitale_ref.trace import Trace, describe, estimate_table


@click.command("present")
@click.option(
    "--reader",
    "reader_name",
    default="doctor",
    show_default=True,
    type=click.Choice(["doctor", "pharmacist", "nurse"]),
)
@click.option(
    "--elements",
    default="1,2,3,4,5,6,7,8,9,10",
    show_default=True,
    help="Element numbers the reader requests.",
)
@click.option(
    "--presence/--no-presence",
    default=True,
    show_default=True,
    help="Whether the holder armed the presentation (sample holder; with --store the "
    "window armed by `vitale holder unlock` counts).",
)
@click.option(
    "--receipt/--no-receipt",
    default=True,
    show_default=True,
    help="Send a signed billing receipt after the read.",
)
@click.option("--short", is_flag=True, help="Short APDUs with command chaining only.")
@click.option(
    "--trace-out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the APDU trace (JSON) here.",
)
@click.option(
    "--store",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Present the holder enrolled in this device store (vitale enrol) to a reader of "
    "the enrolment's test PKI; the read and the receipt go to the store's history.",
)
@click.option(
    "--service-db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --store: the enrolment service database whose published status list the "
    "reader checks (default: the store's name + .service.db, when it exists).",
)
@click.option(
    "--show-keys",
    is_flag=True,
    help="Print the session keys and decrypt the secure-messaging payloads with them "
    "(they let anyone holding the trace read the disclosed data).",
)
@click.option("--now", "now_text", hidden=True, help="With --store: ISO 8601 UTC time (tests).")
def command(
    *,
    show_keys: bool,
    reader_name: str,
    elements: str,
    presence: bool,
    receipt: bool,
    short: bool,
    trace_out: Path | None,
    store: Path | None,
    service_db: Path | None,
    now_text: str | None,
) -> None:
    """Run a synthetic presentation; print the trace, verified data and on-air time.

    With --store, the holder enrolled by `vitale enrol` is presented instead: unlock it
    first with `vitale holder unlock`; `vitale holder history` then shows the read.
    """
    requested = parse_elements(elements)
    if trace_out is not None:
        check_output_file(trace_out, "--trace-out")
    if store is not None:
        _present_enrolled(
            store,
            service_db=service_db,
            reader_name=reader_name,
            requested=requested,
            receipt=receipt,
            extended=not short,
            trace_out=trace_out,
            now=parse_now(now_text),
            show_keys=show_keys,
        )
        return
    world = sample_world()
    holder = world.holder()
    if presence:
        holder.arm(world.now + timedelta(seconds=PRESENCE_WINDOW_SECONDS))
    link = InMemoryLink(holder, world.now)
    reader = world.reader(reader_name)
    bill = Receipt(
        time=world.now, rpps=world.rpps(reader_name), act=DEMO_ACT, amount_cents=DEMO_AMOUNT_CENTS
    )
    try:
        result = run_read(
            link.transmit,
            identity=reader,
            requested=requested,
            verifier=world.verifier,
            random=seeded_random("vdc-nfc/demo/reader"),
            now=world.now,
            receipt=bill if receipt else None,
            extended=not short,
        )
    except ReaderError as error:
        _print_trace(link.trace, None, show_keys=False)
        raise click.ClickException(f"read failed: {error}") from error
    finally:
        if trace_out is not None:
            trace_out.write_text(link.trace.to_json(), encoding="utf-8")
    _print_trace(link.trace, result.keys.to_hex(), show_keys=show_keys)
    _print_result(result)
    for event in holder.events():
        click.echo(f"holder event: {type(event).__name__} from RPPS {event.reader_rpps}")


def _present_enrolled(
    store: Path,
    *,
    service_db: Path | None,
    reader_name: str,
    requested: list[int],
    receipt: bool,
    extended: bool,
    trace_out: Path | None,
    now: datetime,
    show_keys: bool,
) -> None:
    done = read_enrolled(
        store,
        service_db=service_db,
        reader_name=reader_name,
        requested=requested,
        receipt=receipt,
        extended=extended,
        now=now,
    )
    if trace_out is not None:
        trace_out.write_text(done.trace.to_json(), encoding="utf-8")
    keys = done.result.keys.to_hex() if done.result else None
    _print_trace(done.trace, keys, show_keys=show_keys)
    if done.result is not None:
        # Only a read that got as far as the credential checked its status.
        click.echo(f"revocation: {done.revocation}")
        _print_result(done.result)
    entries = "entry" if done.filed == 1 else "entries"
    click.echo(f"filed in the holder's history: {done.filed} {entries} (vitale holder history)")
    if done.error is not None:
        raise click.ClickException(f"read failed: {done.error}")


def _print_result(result: ReadResult) -> None:
    echo_verified(result.elements)
    click.echo(f"receipt acknowledged: {'yes' if result.receipt_acknowledged else 'no'}")


def _print_trace(trace: Trace, keys: str | None, *, show_keys: bool) -> None:
    click.echo(f"trace: {len(trace.exchanges)} command/response pairs")
    shown = keys if show_keys else None
    for line in describe(trace, SessionKeys.from_hex(shown) if shown else None):
        click.echo(f"  {line}")
    if shown:
        click.echo(f"session keys (RD:DR): {shown}")
    elif keys:
        click.echo("  (payloads under secure messaging; --show-keys decrypts them)")
    click.echo("on-air estimate (ISO-DEP, FSC 256):")
    for line in estimate_table(trace):
        click.echo(f"  {line}")
