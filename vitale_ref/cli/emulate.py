"""`vitale emulate`: run a card as a virtual card of pcscd's vpcd reader (VDC-TRN-00x)."""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType

import click

from vitale_ref.transport import (
    CardHandler,
    TransportError,
    VirtualCard,
    VpcdCardClient,
    build_atr,
    parse_endpoint,
    tcp_connector,
)
from vitale_ref.transport._atr import DEFAULT_HISTORICAL_BYTES
from vitale_ref.transport._test_card import LoopbackTestCard


def _holder() -> CardHandler:
    """The reference holder with its synthetic demonstration data."""
    try:
        from vitale_ref.holder import demo_holder  # type: ignore[attr-defined]
    except ImportError:
        raise click.ClickException(
            "the reference holder is not available in this build; use --card test"
        ) from None
    card: CardHandler = demo_holder()
    return card


def _hex(_ctx: click.Context, _param: click.Parameter, value: str | None) -> bytes | None:
    if value is None:
        return None
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise click.BadParameter(f"not hexadecimal: {value!r}") from None


@click.command("emulate")
@click.option(
    "--vpcd",
    "endpoint",
    required=True,
    metavar="[HOST:]PORT",
    help="vpcd to connect to (host defaults to 127.0.0.1; pcscd's first reader is 35963).",
)
@click.option(
    "--card",
    type=click.Choice(["holder", "test"]),
    default="holder",
    show_default=True,
    help="holder: the reference holder with synthetic data; test: SELECT and ECHO only.",
)
@click.option(
    "--historical",
    callback=_hex,
    metavar="HEX",
    help=f"historical bytes of the ATR (default {DEFAULT_HISTORICAL_BYTES.hex().upper()}).",
)
@click.option(
    "--quickack/--no-quickack",
    default=True,
    show_default=True,
    help="acknowledge at once before each receive (Linux); without it each APDU waits ~40 ms.",
)
@click.option("-q", "--quiet", is_flag=True, help="print nothing but errors.")
def command(
    endpoint: str, card: str, historical: bytes | None, quickack: bool, quiet: bool
) -> None:
    """Run a virtual card for pcscd's vpcd reader until interrupted.

    The card connects to vpcd, answers power, reset and ATR requests and every APDU,
    and connects again whenever pcscd restarts.
    """
    try:
        host, port = parse_endpoint(endpoint)
        atr = build_atr(DEFAULT_HISTORICAL_BYTES if historical is None else historical)
    except TransportError as error:
        raise click.ClickException(str(error)) from None
    handler = _holder() if card == "holder" else LoopbackTestCard()

    def status(message: str) -> None:
        if not quiet:
            click.echo(message)
            sys.stdout.flush()

    client = VpcdCardClient(
        VirtualCard(handler, atr=atr), tcp_connector(host, port), quickack=quickack, status=status
    )
    status(f"emulating a {card} card for vpcd at {host}:{port}, ATR {atr.hex(' ').upper()}")
    done = threading.Event()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    client.start()
    done.wait()
    client.stop()
    status("stopped")
