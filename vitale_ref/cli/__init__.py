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
import os
import pkgutil
from typing import Any

import click

from vitale_ref import __version__
from vitale_ref.errors import VitaleError

ENTRY_POINT_GROUP = "vitale.commands"
DEBUG_VARIABLE = "VDC_DEBUG"
"""Set it to get the traceback of an unexpected error instead of its one-line report."""


class InternalError(click.ClickException):
    """An error no command expected: a bug, reported on one line (exit status 70)."""

    exit_code = 70

    def __init__(self, error: BaseException) -> None:
        super().__init__(
            f"internal error ({type(error).__name__}: {_one_line(str(error))}); this is a "
            f"bug, please report it (set {DEBUG_VARIABLE}=1 for the traceback)"
        )


def _one_line(text: str, limit: int = 400) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit] + "..."


def _os_error(error: OSError) -> str:
    where = f"{error.filename}: " if error.filename else ""
    return f"{where}{error.strerror or error}"


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

    def invoke(self, ctx: click.Context) -> Any:
        """Run the sub-command; whatever goes wrong is one `Error:` line, never a traceback.

        Typed errors and the system's refusals (a file that cannot be read or written)
        exit with status 1; anything else is a bug and exits with status 70.
        """
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except VitaleError as error:
            raise click.ClickException(_one_line(str(error))) from None
        except OSError as error:
            raise click.ClickException(_os_error(error)) from None
        except Exception as error:
            if os.environ.get(DEBUG_VARIABLE):
                raise
            raise InternalError(error) from None

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
