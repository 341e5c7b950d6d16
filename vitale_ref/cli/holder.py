"""`vitale holder`: the holder app's personal code and history on a device store.

`unlock` checks the personal code (hidden prompt, or one line on standard input with
`--code-stdin`) and arms the presentation for 60 s; `history` shows the last 7 days;
`status` shows the counter and the window; `init-synthetic` fills a store with the
synthetic holder for demonstrations. Errors are one line on standard error, exit 1.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import click

from vitale_ref.cli._options import parse_now
from vitale_ref.device import DeviceStatus, HolderDevice
from vitale_ref.device.synthetic import SYNTHETIC_HOLDER, provision_synthetic
from vitale_ref.errors import VitaleError
from vitale_ref.history import HistoryEntry, Presentation, format_utc
from vitale_ref.pin import (
    MAX_TRIES,
    PRESENTATION_WINDOW,
    UnlockOutcome,
    UnlockResult,
    confirm_personal_code,
)
from vitale_ref.randomness import system_random

_STORE = click.option(
    "--store",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The holder device store (SQLite file).",
)
_NOW = click.option(
    "--now",
    "now_text",
    hidden=True,
    help="Current time, ISO 8601 UTC (tests and scripts); default: the system clock.",
)
_CODE_STDIN = click.option(
    "--code-stdin", is_flag=True, help="Read the personal code from standard input."
)


def _open(store: Path, now: datetime, *, create: bool = False) -> HolderDevice:
    try:
        return HolderDevice.open(store, now=now, create=create)
    except VitaleError as error:
        raise click.ClickException(str(error)) from None


def _shown(when: datetime) -> str:
    """A time for a terminal line, to the second."""
    return format_utc(when.replace(microsecond=0))


def _read_code(from_stdin: bool, prompt: str) -> str:
    if from_stdin:
        return sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    return str(click.prompt(prompt, hide_input=True, show_default=False))


@click.group("holder")
def command() -> None:
    """The holder app: unlock with the personal code, usage history, status."""


def _describe(result: UnlockResult) -> str:
    word = f"{result.status_word:04X}"
    if result.outcome is UnlockOutcome.UNLOCKED:
        assert result.armed_until is not None
        seconds = int(PRESENTATION_WINDOW.total_seconds())
        return f"unlocked: presentation armed until {_shown(result.armed_until)} ({seconds} s)"
    if result.outcome is UnlockOutcome.BLOCKED:
        return f"blocked ({word}): too many wrong personal codes; enrol the app again"
    if result.tries_remaining == 0:
        return f"wrong personal code ({word}): the app is now blocked; enrol it again"
    tries = result.tries_remaining
    return f"wrong personal code ({word}): {tries} {'try' if tries == 1 else 'tries'} left"


@command.command("unlock")
@_STORE
@_CODE_STDIN
@_NOW
def unlock(store: Path, code_stdin: bool, now_text: str | None) -> None:
    """Type the personal code; a right code arms the NFC presentation for 60 s.

    Prints one line: unlocked with the end of the window, or the status word and the
    tries left (VDC-PIN-015). Exit status 1 unless unlocked.
    """
    now = parse_now(now_text)
    with _open(store, now) as device:
        try:
            if device.status(now).blocked:  # no prompt for a code that cannot be evaluated
                result = UnlockResult(outcome=UnlockOutcome.BLOCKED, tries_remaining=0)
            else:
                result = device.unlock(_read_code(code_stdin, "Personal code"), now)
        except VitaleError as error:
            raise click.ClickException(str(error)) from None
    if not result.ok:
        click.echo(_describe(result), err=True)
        raise SystemExit(1)
    click.echo(_describe(result))


def _history_line(entry: HistoryEntry) -> str:
    when = _shown(entry.at)
    if isinstance(entry, Presentation):
        elements = ", ".join(entry.element_names()) or "none"
        return f"{when}  presentation  reader {entry.reader_rpps}  elements: {elements}"
    euros, cents = divmod(entry.amount_cents, 100)
    return (
        f"{when}  receipt       practitioner {entry.practitioner_rpps}  act {entry.act}"
        f"  {euros}.{cents:02d} EUR"
    )


@command.command("history")
@_STORE
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of lines.")
@_NOW
def history(store: Path, as_json: bool, now_text: str | None) -> None:
    """Show the presentations and receipts of the last 7 days, newest first (VDC-HIST)."""
    now = parse_now(now_text)
    with _open(store, now) as device:
        entries = device.history(now)
    if as_json:
        click.echo(json.dumps([entry.to_json() for entry in entries], indent=2))
    elif not entries:
        click.echo("no use of the card in the last 7 days")
    else:
        for entry in entries:
            click.echo(_history_line(entry))


def _status_lines(status: DeviceStatus) -> list[str]:
    if status.blocked:
        code = "personal code: blocked (6983); enrol the app again"
    else:
        code = f"personal code: {status.tries_remaining} of {MAX_TRIES} tries left"
    window = "not armed"
    if status.armed_until is not None:
        window = f"armed until {_shown(status.armed_until)}"
    return [
        f"holder: {status.holder.display_name()}",
        code,
        f"presentation: {window}",
        f"verifier: {status.parameters.describe()}",
    ]


@command.command("status")
@_STORE
@_NOW
def status(store: Path, now_text: str | None) -> None:
    """Show the holder, the tries left, the presentation window and the verifier costs."""
    now = parse_now(now_text)
    with _open(store, now) as device:
        try:
            lines = _status_lines(device.status(now))
        except VitaleError as error:
            raise click.ClickException(str(error)) from None
    for line in lines:
        click.echo(line)


@command.command("init-synthetic")
@_STORE
@_CODE_STDIN
@click.option("--force", is_flag=True, help="Replace a holder already in the store.")
@_NOW
def init_synthetic(store: Path, code_stdin: bool, force: bool, now_text: str | None) -> None:
    """Create a store holding the synthetic holder EXEMPLE (demonstration only).

    The personal code is asked twice and must pass the policy (VDC-PIN-001..008). The
    credential is a placeholder: `vitale enrol` is how a real holder is activated.
    """
    now = parse_now(now_text)
    with _open(store, now, create=True) as device:
        if device.is_provisioned() and not force:
            raise click.ClickException(f"{store} already holds a holder (use --force)")
        first = _read_code(code_stdin, "Choose a personal code (6 digits)")
        second = _read_code(code_stdin, "Type it again")
        try:
            code = confirm_personal_code(first, second, birth_date=SYNTHETIC_HOLDER.birth_date)
            provision_synthetic(device, code=code, random=system_random, now=now)
        except VitaleError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"store {store}: synthetic holder {SYNTHETIC_HOLDER.display_name()} ready")
