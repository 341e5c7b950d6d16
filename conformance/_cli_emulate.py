"""`vitale conformance emulate`: the reference holder behind a reader, provisioned by the
suite over a control socket (VDC-TRN-040, VDC-TRN-041).

The card is `vitale emulate`'s, over the same transports and options; its holder is the
reference driver's (conformance.driver), so the holder the suite tests through a reader
is exactly the one it tests in memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from conformance.driver._driven import DrivenCard
from vitale_ref.cli.emulate import check_transport, sample_clock, serve, transport_options
from vitale_ref.transport._control import ControlServer, default_control_path


@click.command("emulate")
@transport_options
@click.option(
    "--control",
    "control_path",
    default=str(default_control_path()),
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Unix socket serving the driver protocol's holder set-up operations.",
)
def emulate(*, control_path: Path, **transport: Any) -> None:
    """Emulate the reference holder for the suite's `pcsc:` and `nfc:` adapters.

    The suite provisions, arms and resets the holder on the control socket and sends
    every APDU through the reader (pcscd with vpcd, or nfcpy).
    """
    check_transport(**transport)
    driven = DrivenCard()
    try:
        control = ControlServer(control_path, driven.control)
    except OSError as error:
        raise click.ClickException(f"cannot serve {control_path}: {error}") from None
    try:
        serve(driven, now=sample_clock(), **transport)
    finally:
        control.stop()
