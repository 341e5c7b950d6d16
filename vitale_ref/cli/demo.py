"""`vitale demo`: an end-to-end tour of what the reference implements so far."""

from __future__ import annotations

from collections import Counter

import click

from conformance.requirements import load_requirements


@click.command("demo")
def command() -> None:
    """Show the specification index and exercise each implemented area once."""
    requirements = load_requirements()
    by_area = Counter(r.area for r in requirements)
    click.echo(f"specification: {len(requirements)} requirements")
    for area, count in sorted(by_area.items()):
        click.echo(f"  {area:<5} {count}")
