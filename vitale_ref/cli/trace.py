"""`vitale trace`: decode an APDU trace file or export it as a pcap (VDC-NFC-300, 320)."""

from __future__ import annotations

from pathlib import Path

import click

from vitale_ref.cli._options import check_output_file, read_small_file
from vitale_ref.errors import VitaleError
from vitale_ref.sm import SessionKeys
from vitale_ref.trace import Trace, describe, estimate_table, to_pcap

MAX_TRACE_BYTES = 64 << 20
"""Largest trace file read (a full read with receipt is about 10 kB of JSON)."""


def _load(path: Path) -> Trace:
    data = read_small_file(path, MAX_TRACE_BYTES)
    try:
        return Trace.from_json(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise click.ClickException(f"{path}: not UTF-8 text") from None
    except RecursionError:
        raise click.ClickException(f"{path}: not a trace (JSON nested too deeply)") from None
    except VitaleError as error:
        raise click.ClickException(f"{path}: {error}") from None


@click.group("trace")
def command() -> None:
    """Inspect APDU traces written by `vitale present --trace-out`."""


@command.command("show")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--keys", help="Session keys RD:DR (hex) to show the decrypted view.")
def show(file: Path, keys: str | None) -> None:
    """Print the logical commands, TLVs, status words and the on-air estimate."""
    trace = _load(file)
    session_keys = None
    if keys is not None:
        try:
            session_keys = SessionKeys.from_hex(keys)
        except VitaleError as error:
            raise click.ClickException(str(error)) from error
    for line in describe(trace, session_keys):
        click.echo(line)
    click.echo("on-air estimate (ISO-DEP, FSC 256):")
    for line in estimate_table(trace):
        click.echo(f"  {line}")


@command.command("pcap")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="pcap file to write (link type 264, ISO 14443).",
)
def pcap(file: Path, output: Path) -> None:
    """Write the trace as ISO-DEP frames in a pcap that Wireshark and tshark open."""
    check_output_file(output, "--output")
    trace = _load(file)
    try:
        output.write_bytes(to_pcap(trace))
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error}") from error
    click.echo(f"wrote {output} ({len(trace.exchanges)} APDU pairs)")
