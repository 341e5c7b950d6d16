"""The `vitale` command line.

Each module of this package that defines a click object named `command` becomes a
sub-command; adding a command group means adding a module, not editing this file.
"""

from __future__ import annotations

import importlib
import pkgutil

import click

from vitale_ref import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vitale")
def main() -> None:
    """Open model of the digital carte Vitale: reference, tools and conformance suite.

    Independent project, not affiliated with Assurance Maladie or GIE SESAM-Vitale.
    """


def _register_subcommands() -> None:
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        command = getattr(module, "command", None)
        if isinstance(command, click.Command):
            main.add_command(command)


_register_subcommands()
