"""`vitale read --pcsc [READER]`: a full authenticated read through a PC/SC reader."""

from __future__ import annotations

import time

import click

from vitale_ref.cli._verified import echo_verified
from vitale_ref.holder.samples import sample_world
from vitale_ref.randomness import system_random
from vitale_ref.reader import ReaderError, run_read
from vitale_ref.sm import Receipt
from vitale_ref.transport import PcscReaderTransport, TransportError
from vitale_ref.transport._nfc import NfcReaderTransport
from vitale_ref.transport._vpcd_socket import utc_now


def _open(reader: str | None, nfc_path: str | None) -> PcscReaderTransport | NfcReaderTransport:
    if nfc_path is not None:
        nfc = NfcReaderTransport(nfc_path)
        click.echo(f"reader: nfc {nfc_path}")
        return nfc
    pcsc = PcscReaderTransport(reader or None)
    click.echo(f"reader: {pcsc.reader}; ATR {pcsc.atr.hex(' ').upper()}")
    return pcsc


def _elements(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise click.BadParameter("a comma-separated list of element numbers") from None
    if not values:
        raise click.BadParameter("at least one element")
    return values


@click.command("read")
@click.option(
    "--pcsc",
    "reader",
    is_flag=False,
    flag_value="",
    metavar="[READER]",
    help="PC/SC reader name; alone, the first reader holding a card.",
)
@click.option(
    "--nfc",
    "nfc_path",
    metavar="udp[:HOST[:PORT]]",
    help="read through nfcpy instead (udp link, loopback only).",
)
@click.option(
    "--as",
    "role",
    default="doctor",
    show_default=True,
    type=click.Choice(["doctor", "pharmacist", "nurse"]),
    help="Which sample reader certificate to authenticate with.",
)
@click.option("--elements", default="1,2,3,4", show_default=True, help="Element numbers.")
@click.option("--receipt/--no-receipt", default=False, show_default=True)
@click.option("--short", is_flag=True, help="Short APDUs with command chaining only.")
@click.option(
    "--clock",
    type=click.Choice(["sample", "system"]),
    default="sample",
    show_default=True,
    help="sample: the synthetic world's date, in which its certificates are valid.",
)
def command(
    *,
    reader: str | None,
    nfc_path: str | None,
    role: str,
    elements: str,
    receipt: bool,
    short: bool,
    clock: str,
) -> None:
    """Read and verify a holder's data through PC/SC or nfcpy with a sample reader identity."""
    if (reader is None) == (nfc_path is None):
        raise click.UsageError("give exactly one of --pcsc and --nfc")
    requested = _elements(elements)
    world = sample_world()
    now = world.now if clock == "sample" else utc_now()
    bill = Receipt(time=now, rpps=world.rpps(role), act="G", amount_cents=3000)
    started = time.perf_counter()
    try:
        with _open(reader, nfc_path) as transport:
            result = run_read(
                transport.transmit,
                identity=world.reader(role),
                requested=requested,
                verifier=world.verifier,
                random=system_random,
                now=now,
                receipt=bill if receipt else None,
                extended=not short,
            )
    except TransportError as error:
        raise click.ClickException(str(error)) from None
    except ReaderError as error:
        raise click.ClickException(f"read failed: {error}") from None
    elapsed = (time.perf_counter() - started) * 1000
    echo_verified(result.elements)
    if receipt:
        click.echo(f"receipt acknowledged: {'yes' if result.receipt_acknowledged else 'no'}")
    click.echo(f"read completed in {elapsed:.1f} ms")
