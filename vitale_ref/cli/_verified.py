"""How the commands that read a holder print the verified elements."""

from __future__ import annotations

from collections.abc import Mapping

import click

from vitale_ref.credential import ElementId, element_lines

_KNOWN = frozenset(int(e) for e in ElementId)


def verified_lines(elements: Mapping[int, object]) -> list[str]:
    """One line per element (id, name, value), complex values on continuation lines."""
    lines = ["verified data (synthetic):"]
    for element, value in sorted(elements.items()):
        if element not in _KNOWN:
            lines.append(f"  {element:>3} {'?':<14} {value}")
            continue
        shown = element_lines(ElementId(element), value)
        name = ElementId(element).short_name
        lines.append(f"  {element:>3} {name:<14} {shown[0] if shown else ''}")
        lines.extend(f"  {'':>3} {'':<14} {line}" for line in shown[1:])
    return lines


def echo_verified(elements: Mapping[int, object]) -> None:
    for line in verified_lines(elements):
        click.echo(line)
