"""The `vitale` command line.

Each module of this package that defines a click object named `command` becomes the
sub-command of its name; adding a command group means adding a module, not editing this
file. Other installed packages contribute commands through entry points of the group
`vitale.commands` (the conformance suite adds `vitale conformance` that way, so the
reference never imports the suite).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import pkgutil

import click

from vitale_ref import __version__

ENTRY_POINT_GROUP = "vitale.commands"


class _Subcommands(click.Group):
    """The modules of this package, each imported only when its command is used, so that
    `vitale nir check` does not load the protocol stack (about 0.2 s a call)."""

    @staticmethod
    def _modules() -> list[str]:
        modules = pkgutil.iter_modules(__path__)
        return [m.name for m in modules if not m.name.startswith("_")]

    @staticmethod
    def _plugins() -> dict[str, importlib.metadata.EntryPoint]:
        entries = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
        return {entry.name: entry for entry in entries}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self._modules(), *self._plugins()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self._modules():
            command = getattr(importlib.import_module(f"{__name__}.{cmd_name}"), "command", None)
        else:
            entry = self._plugins().get(cmd_name)
            command = entry.load() if entry is not None else None
        return command if isinstance(command, click.Command) else None


@click.group(cls=_Subcommands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vitale")
def main() -> None:
    """Open model of the digital carte Vitale: reference, tools and conformance suite.

    Independent project, not affiliated with Assurance Maladie or GIE SESAM-Vitale.
    """
