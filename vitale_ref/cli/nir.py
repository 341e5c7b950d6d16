"""`vitale nir`: check and format social-security numbers (spec chapter VDC-NIR).

`check` accepts only the canonical form (VDC-NIR-003); `format` first tidies human
entry with `compact` (VDC-NIR-019), then validates. Both print one line per argument,
in printable ASCII whatever the argument holds, and exit 1 if any number is refused.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from vitale_ref import nir

_SHOWN = 20
"""Characters of a refused argument echoed back; the rest is elided (bounded output,
as VDC-NIR-017 asks of the messages)."""


def shown(argument: str) -> str:
    """A refused argument for a terminal: quoted, escaped to ASCII, truncated."""
    head = ascii(argument[:_SHOWN])
    return head + "..." if len(argument) > _SHOWN else head


def _report(numbers: tuple[str, ...], prepare: Callable[[str], str]) -> None:
    refused = 0
    for number in numbers:
        try:
            line = f"OK {nir.format(prepare(number))}"
        except nir.NIRError as error:
            refused += 1
            line = f"INVALID {shown(number)}: {error.message}"
        click.echo(line)
    if refused:
        click.get_current_context().exit(1)


@click.group("nir")
def command() -> None:
    """Check and format French social-security numbers (NIR).

    Every argument gets one line: OK and the number grouped for display, or INVALID,
    the argument and the reason. The exit status is 1 if any argument is invalid.
    """


@command.command("check")
@click.argument("numbers", nargs=-1, required=True, metavar="NIR...")
def check(numbers: tuple[str, ...]) -> None:
    """Validate NIRs in canonical form.

    15 characters, no separators, the Corsican departments written 2A and 2B; any
    other spelling is refused with the reason.
    """
    _report(numbers, lambda number: number)


@command.command("format")
@click.argument("numbers", nargs=-1, required=True, metavar="NIR...")
def format_(numbers: tuple[str, ...]) -> None:
    """Tidy typed NIRs, validate them and group them.

    Surrounding whitespace, spaces, dots and hyphens are removed and 2a/2b upper-cased
    before validation.
    """
    _report(numbers, nir.compact)
