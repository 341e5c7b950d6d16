"""Recognising one class of equivalent mutants: those that change only an error's text.

A mutant that changes nothing but the message (first argument) of a raised error, or
its `requirement=` attribute, leaves every observable answer as it was: the driver
protocol carries the error's kind, and its message is free text (spec/harness.md). Such
a survivor is proposed for tools/mutation/equivalent.toml with that reason; every other
survivor needs a case or a reason written by hand.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

MESSAGE_ONLY = (
    "changes only the message or the requirement attribute of a raised error; the driver "
    "answers the error's kind, and its message is free text"
)


class _Normaliser(ast.NodeTransformer):
    """Blanks the message and drops the `requirement=` keyword of every raised call."""

    def visit_Raise(self, node: ast.Raise) -> ast.AST:
        if isinstance(node.exc, ast.Call):
            call = node.exc
            if call.args:
                call.args[0] = ast.Constant("<message>")
            call.keywords = [k for k in call.keywords if k.arg != "requirement"]
        return self.generic_visit(node)


def _normalised(code: str) -> str:
    return ast.dump(_Normaliser().visit(ast.parse(code)))


def message_only(original: str, mutant: str) -> bool:
    """Whether two versions of a function differ only in their raised errors' text.

    >>> message_only('def f():\\n raise E("a", requirement="X")',
    ...              'def f():\\n raise E(None, requirement="Y")')
    True
    >>> message_only('def f():\\n raise E("a", "month")', 'def f():\\n raise E("a", "day")')
    False
    """
    if original == mutant:
        return False
    return _normalised(original) == _normalised(mutant)


_MODULES: dict[tuple[Path, str], object] = {}
"""Parsed mutants modules (one libcst parse per file, not per mutant)."""


def functions_of(work: Path, name: str, file: str) -> tuple[str, str]:
    """The original and the mutated function's source, as mutmut recorded them."""
    import libcst as cst
    from mutmut.mutation.diff_apply import (
        read_mutant_function,
        read_mutants_module,
        read_original_function,
    )

    key = (work, file)
    if key not in _MODULES:
        previous = Path.cwd()
        os.chdir(work)
        try:
            _MODULES[key] = read_mutants_module(file)
        finally:
            os.chdir(previous)
    module = _MODULES[key]
    assert isinstance(module, cst.Module)
    pair = (read_original_function(module, name), read_mutant_function(module, name))
    original, mutant = (cst.Module([function]).code for function in pair)
    # A method is recorded at its indentation in the class: dedent for the parser.
    return _dedent(original), _dedent(mutant)


def _dedent(code: str) -> str:
    import textwrap

    return textwrap.dedent(code)
