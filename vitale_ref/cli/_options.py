"""Option values shared by several commands: `--now`, `--elements`, input and output paths.

Each is checked when the command starts, before any work, so that a value the command
cannot use is one `Error:` line and nothing is left half done (VDC-HARN-902).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import click
from cryptography import x509

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
"""`--now` lies in [EARLIEST, LATEST): far enough from the ends of the calendar that no
period a command adds (a window, seven days, a certificate's validity) leaves it."""
MAX_ELEMENT = 127
"""Element identifiers are 1 to 127 (ElementValue in vdc.asn, VDC-HIST-009)."""
MAX_FILE_BYTES = 1 << 20
"""An input file (a certificate, a credential, a JSON description) is read up to 1 MiB."""


def parse_now(text: str | None) -> datetime:
    """The system clock, or `--now` (ISO 8601 with a zone) for scripts and tests."""
    if text is None:
        return datetime.now(UTC)
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter("not an ISO 8601 time", param_hint="--now") from None
    if when.utcoffset() is None:
        raise click.BadParameter("needs a time zone (Z)", param_hint="--now")
    try:
        when = when.astimezone(UTC)
    except OverflowError:
        when = EARLIEST if when.year < 2000 else LATEST
    if not EARLIEST <= when < LATEST:
        raise click.BadParameter(
            f"must lie from {EARLIEST:%Y-%m-%d} to before {LATEST:%Y-%m-%d}", param_hint="--now"
        )
    return when


def parse_elements(text: str) -> list[int]:
    """`--elements`: comma-separated element numbers 1 to 127, at least one."""
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise click.BadParameter("a comma-separated list of element numbers") from None
    if not values:
        raise click.BadParameter("at least one element")
    outside = [value for value in values if not 1 <= value <= MAX_ELEMENT]
    if outside:
        raise click.BadParameter(f"element numbers are 1 to {MAX_ELEMENT}, not {outside[0]}")
    return values


def check_output_file(path: Path, option: str) -> None:
    """Refuse, before any work, an output file that cannot be written there."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        reason = "is a folder"
    elif not folder.is_dir():
        reason = f"its folder {folder} does not exist"
    elif path.exists() and not os.access(path, os.W_OK):
        reason = "cannot be written"
    elif not path.exists() and not os.access(folder, os.W_OK):
        reason = f"its folder {folder} cannot be written"
    else:
        return
    raise click.BadParameter(f"{path} {reason}", param_hint=option)


def check_output_folder(path: Path, option: str) -> None:
    """Make the output folder, or refuse it before any work if it cannot be written."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".vitale-write-check-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise click.BadParameter(
            f"{path} cannot be used as a folder: {error.strerror or error}", param_hint=option
        ) from None


def read_small_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of an input file of at most `limit` bytes, or one `Error:` line."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise click.ClickException(f"cannot read {path}: {error.strerror or error}") from None
    if len(data) > limit:
        raise click.ClickException(f"{path}: larger than {limit} bytes")
    return data


def read_certificate(path: Path) -> x509.Certificate:
    """A certificate file in PEM or DER, or one `Error:` line."""
    data = read_small_file(path)
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except (ValueError, x509.InvalidVersion):  # InvalidVersion is no ValueError
        raise click.ClickException(f"{path}: not a PEM or DER certificate") from None
