"""The layers of the project import downwards only (DESIGN: layers).

`vitale_ref` (cores, app, transports, command line) stands alone: no module of it imports
the conformance suite, the tools or the tests, not even inside a function. Protocol
cores import neither the transports nor the command line. The suite contributes its
`vitale conformance` commands through an entry point instead.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "vitale_ref"
OUTSIDE_THE_REFERENCE = ("conformance", "tools", "tests")
EDGE_LAYERS = ("cli", "transport")
"""Subpackages that may import the cores, never the other way round."""


def _imported(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Every module an import statement or an `import_module("...")` call names."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


def _modules() -> list[Path]:
    return sorted(REFERENCE.rglob("*.py"))


def _layer(path: Path) -> str:
    parts = path.relative_to(REFERENCE).parts
    return parts[0] if len(parts) > 1 else ""


def _top(name: str) -> str:
    return name.split(".", maxsplit=1)[0]


def test_the_reference_never_imports_the_suite_tools_or_tests() -> None:
    offending = [
        f"{path.relative_to(ROOT)}:{line}: imports {name}"
        for path in _modules()
        for line, name in _imported(ast.parse(path.read_text("utf-8")))
        if _top(name) in OUTSIDE_THE_REFERENCE
    ]
    assert offending == []


@pytest.mark.parametrize("edge", EDGE_LAYERS)
def test_cores_never_import_the_transports_or_the_command_line(edge: str) -> None:
    offending = [
        f"{path.relative_to(ROOT)}:{line}: imports {name}"
        for path in _modules()
        if _layer(path) not in EDGE_LAYERS
        for line, name in _imported(ast.parse(path.read_text("utf-8")))
        if name == f"vitale_ref.{edge}" or name.startswith(f"vitale_ref.{edge}.")
    ]
    assert offending == []


def test_the_rule_sees_an_import_inside_a_function() -> None:
    """The scanner itself: a late import, a from-import and import_module are all seen."""
    source = (
        "def f():\n"
        "    from conformance.driver import Driver\n"
        "    import tools.pcsc\n"
        "    importlib.import_module('conformance.cli')\n"
    )
    names = [name for _, name in _imported(ast.parse(source))]
    assert sorted(names) == ["conformance.cli", "conformance.driver", "tools.pcsc"]


def test_every_reference_module_imports_without_the_suite() -> None:
    """Imported in a process where `conformance` cannot be found, every module of the
    reference still loads (a string-built import would slip past the scanner)."""
    program = (
        "import importlib, pkgutil, sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('conformance', 'tools', 'tests'):\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import vitale_ref\n"
        "names = [m.name for m in pkgutil.walk_packages(vitale_ref.__path__, 'vitale_ref.')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "print(len(names))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout) > 50


def test_the_suite_contributes_its_commands_through_the_entry_point() -> None:
    """`vitale conformance` is found through the entry point group `vitale.commands`."""
    from click.testing import CliRunner

    from vitale_ref.cli import ENTRY_POINT_GROUP, main

    assert ENTRY_POINT_GROUP == "vitale.commands"
    result = CliRunner().invoke(main, ["conformance", "--help"])
    assert result.exit_code == 0, result.output
    for name in ("run", "catalogue", "check", "faults", "emulate"):
        assert f"  {name} " in result.output
