"""`vitale emulate`: run a card as a virtual card of pcscd's vpcd reader (VDC-TRN-00x).

The holder the conformance suite provisions over a control socket is the suite's own
command (`vitale conformance emulate`), built from the same options and `serve`.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

import click

from vitale_ref.app import AppError, StoreCard, enrolment_pki
from vitale_ref.cli._options import read_certificate
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
from vitale_ref.transport._nfc_card import NfcCardEmulator
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


def _holder(presence: bool, store: Path | None, reader_root: Path | None) -> CardHandler:
    """The reference holder with the synthetic sample data (VDC-NFC), trusting the sample
    reader root or `reader_root`, or the holder app over an enrolled device store, whose
    presence is the window `vitale holder unlock` armed (VDC-PIN-021)."""
    if store is not None:
        try:
            root = enrolment_pki().reader_root.certificate
            return StoreCard(store, random=system_random, reader_root=root)
        except AppError as error:
            raise click.ClickException(str(error)) from None
    trusted = read_certificate(reader_root) if reader_root is not None else None
    holder = sample_world().holder(random=system_random, reader_root=trusted)
    return _PresentHolder(holder) if presence else holder


def _hex(_ctx: click.Context, _param: click.Parameter, value: str | None) -> bytes | None:
    if value is None:
        return None
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise click.BadParameter(f"not hexadecimal: {value!r}") from None


def transport_options(function: Callable[..., None]) -> Callable[..., None]:
    """The options choosing and tuning the card's transport, shared with the conformance
    suite's emulated holder (`vitale conformance emulate`)."""
    options = [
        click.option(
            "--vpcd",
            "endpoint",
            metavar="[HOST:]PORT",
            help="vpcd to connect to (host defaults to 127.0.0.1; pcscd's first reader is 35963).",
        ),
        click.option(
            "--nfc",
            "nfc_path",
            metavar="udp[:HOST[:PORT]]|usb[:…]|tty:PORT[:DRIVER]",
            help="be an ISO-DEP card with nfcpy instead: on the udp link (loopback only) or "
            "on an NFC device that can emulate a Type 4A card.",
        ),
        click.option(
            "--historical",
            callback=_hex,
            metavar="HEX",
            help=f"historical bytes of the ATR (default {DEFAULT_HISTORICAL_BYTES.hex().upper()}).",
        ),
        click.option(
            "--quickack/--no-quickack",
            default=True,
            show_default=True,
            help="acknowledge at once before each receive (Linux); without it each APDU waits "
            "~40 ms.",
        ),
        click.option(
            "--max-frame",
            type=click.IntRange(261, 65535),
            default=65535,
            show_default=True,
            help="longest vpcd message accepted; a longer length prefix closes the connection.",
        ),
        click.option("-q", "--quiet", is_flag=True, help="print nothing but errors."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@click.command("emulate")
@transport_options
@click.option(
    "--card",
    type=click.Choice(["holder", "test"]),
    default="holder",
    show_default=True,
    help="holder: the reference holder with synthetic data; test: SELECT and ECHO only.",
)
@click.option(
    "--presence/--no-presence",
    default=True,
    show_default=True,
    help="holder card: the app is open and the presentation armed (not with --store).",
)
@click.option(
    "--store",
    type=click.Path(dir_okay=False, path_type=Path),
    help="holder card: the holder enrolled in this device store (vitale enrol) instead of "
    "the sample; reads are answered while `vitale holder unlock` has armed it.",
)
@click.option(
    "--reader-root",
    type=click.Path(dir_okay=False, path_type=Path),
    help="holder card: trust this reader root (PEM or DER) instead of the sample's, to be "
    "read by a reader of another implementation (not with --store).",
)
@click.option(
    "--clock",
    type=click.Choice(["sample", "system"]),
    help="sample: the synthetic world's date, in which its certificates are valid "
    "(default); system: the computer's clock (default with --store).",
)
def command(
    *,
    card: str,
    presence: bool,
    store: Path | None,
    reader_root: Path | None,
    clock: str | None,
    **transport: Any,
) -> None:
    """Run a virtual card for pcscd's vpcd reader (or nfcpy's udp link) until interrupted.

    Over vpcd the card connects, answers power, reset and ATR requests and every APDU,
    and connects again whenever pcscd restarts. Over nfc it waits for a reader, answers
    RATS and carries APDUs in ISO-DEP blocks.
    """
    if (store is not None or reader_root is not None) and card != "holder":
        raise click.UsageError("--store and --reader-root need --card holder")
    if store is not None and reader_root is not None:
        raise click.UsageError("--reader-root goes with the sample holder, not --store")
    check_transport(**transport)
    handler: CardHandler = (
        _holder(presence, store, reader_root) if card == "holder" else LoopbackTestCard()
    )
    clock = clock or ("system" if store is not None else "sample")
    serve(handler, now=sample_clock() if clock == "sample" else utc_now, **transport)


def check_transport(*, endpoint: str | None, nfc_path: str | None, **_options: Any) -> None:
    """Exactly one transport is chosen."""
    if (endpoint is None) == (nfc_path is None):
        raise click.UsageError("give exactly one of --vpcd and --nfc")


def sample_clock() -> Callable[[], datetime]:
    """The synthetic world's moment, advancing with real time from now on."""
    return _SampleClock(sample_world().now)


def serve(
    handler: CardHandler,
    *,
    now: Callable[[], datetime],
    endpoint: str | None,
    nfc_path: str | None,
    historical: bytes | None,
    quickack: bool,
    max_frame: int,
    quiet: bool,
) -> None:
    """Serve `handler` as a card over the chosen transport until SIGTERM or SIGINT."""
    historical = DEFAULT_HISTORICAL_BYTES if historical is None else historical
    if nfc_path is not None:
        _run_nfc(handler, nfc_path, now=now, historical=historical, quiet=quiet)
        return
    assert endpoint is not None
    _run_vpcd(
        VirtualCard(handler, atr=_atr(historical), max_payload=max_frame),
        endpoint,
        now=now,
        quickack=quickack,
        quiet=quiet,
    )


def _atr(historical: bytes) -> bytes:
    try:
        return build_atr(historical)
    except TransportError as error:
        raise click.ClickException(str(error)) from None


def _run_vpcd(
    card: VirtualCard,
    endpoint: str,
    *,
    now: Callable[[], datetime],
    quickack: bool,
    quiet: bool,
) -> None:
    try:
        host, port = parse_endpoint(endpoint)
    except TransportError as error:
        raise click.ClickException(str(error)) from None

    def status(message: str) -> None:
        if not quiet:
            click.echo(message)
            sys.stdout.flush()

    client = VpcdCardClient(
        card,
        tcp_connector(host, port),
        quickack=quickack,
        clock=now,
        status=status,
    )
    status(f"emulating a card for vpcd at {host}:{port}, ATR {card.atr.hex(' ').upper()}")
    client.start()
    _wait_for_signal()
    client.stop()
    status("stopped")


def _wait_for_signal() -> None:
    done = threading.Event()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    done.wait()


def _run_nfc(
    handler: CardHandler,
    path: str,
    *,
    now: Callable[[], datetime],
    historical: bytes,
    quiet: bool,
) -> None:
    def status(message: str) -> None:
        if not quiet:
            click.echo(message)
            sys.stdout.flush()

    try:
        emulator = NfcCardEmulator(
            handler, path, clock=now, status=status, historical=historical
        ).start()
    except (TransportError, OSError) as error:
        raise click.ClickException(f"cannot listen on {path}: {error}") from None
    _wait_for_signal()
    emulator.stop()
    status("stopped")
