"""`vitale emulate`: run a card as a virtual card of pcscd's vpcd reader (VDC-TRN-00x)."""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from types import FrameType

import click

from vitale_ref.holder import PRESENCE_WINDOW_SECONDS, HolderCore
from vitale_ref.holder.samples import sample_world
from vitale_ref.randomness import system_random
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
from vitale_ref.transport._vpcd_socket import utc_now


class _SampleClock:
    """The synthetic world's moment, advancing with real time from the start."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._origin = time.monotonic()

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._origin)


class _PresentHolder:
    """The holder with the app open: every command finds the presentation armed."""

    def __init__(self, holder: HolderCore) -> None:
        self.holder = holder

    def respond(self, command: bytes, now: datetime) -> bytes:
        self.holder.arm(now + timedelta(seconds=PRESENCE_WINDOW_SECONDS))
        return self.holder.respond(command, now)

    def reset(self) -> None:
        self.holder.reset()


def _holder(presence: bool) -> CardHandler:
    """The reference holder with the synthetic sample data (VDC-NFC)."""
    holder = sample_world().holder(random=system_random)
    return _PresentHolder(holder) if presence else holder


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
@click.option(
    "--presence/--no-presence",
    default=True,
    show_default=True,
    help="holder card: the app is open and the presentation armed.",
)
@click.option(
    "--clock",
    type=click.Choice(["sample", "system"]),
    default="sample",
    show_default=True,
    help="sample: the synthetic world's date, in which its certificates are valid.",
)
@click.option("-q", "--quiet", is_flag=True, help="print nothing but errors.")
def command(
    *,
    endpoint: str,
    card: str,
    historical: bytes | None,
    quickack: bool,
    presence: bool,
    clock: str,
    quiet: bool,
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
    handler = _holder(presence) if card == "holder" else LoopbackTestCard()
    now: Callable[[], datetime] = _SampleClock(sample_world().now) if clock == "sample" else utc_now

    def status(message: str) -> None:
        if not quiet:
            click.echo(message)
            sys.stdout.flush()

    client = VpcdCardClient(
        VirtualCard(handler, atr=atr),
        tcp_connector(host, port),
        quickack=quickack,
        clock=now,
        status=status,
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
