"""Recognising one class of equivalent mutants: those that change only an error's text.

A mutant that changes nothing but the message of a raised error, its `requirement=`
attribute, or the label an error message names a field with (the `what` or `name`
arguments of the DER readers and of the credential model's checks, used in messages
only) leaves every observable answer as it was: the driver protocol carries the error's
kind, and its message is free text (spec/harness.md). Such a survivor is proposed for
tools/mutation/equivalent.toml with that reason; every other survivor needs a case or a
reason written by hand.

The comparison walks the original and the mutated function side by side and forgives a
difference only in such a place: the first argument of a raised error when it is text
(a string, an f-string, a variable named `message`), a label argument, a `requirement=`
keyword. A raised error whose first argument is a kind (`Reason.X`) is compared in full.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

MESSAGE_ONLY = (
    "changes only the text of an error (its message, requirement attribute or the label "
    "naming a field in it); the driver answers the error's kind, and its message is free text"
)

LABELS: dict[str, tuple[int, ...]] = {
    # DER readers (vitale_ref.pki.der): `what`/`name` only label error messages.
    "Reader": (1,),
    "decode_one": (1,),
    "read_tlv": (2,),
    "read": (1,),
    "nested": (1,),
    "items": (1,),
    "parse_integer": (1,),
    "parse_octets": (1,),
    "parse_utf8": (1,),
    "parse_numeric": (1,),
    "parse_printable": (1,),
    "parse_time": (1,),
    "parse_oid": (1,),
    "parse_bits": (1,),
    # The credential model's checks (vitale_ref.credential._model) and decoders.
    "check_nir": (1,),
    "check_name": (1,),
    "check_birth_date": (1,),
    "check_calendar_date": (1,),
    "check_range": (3, 4),
    "check_count": (3,),
    "_digits": (2, 3),
    "element_id_of": (1,),
    "_read_period": (1,),
    # The NIR validator's error helper: message and requirement (the component is compared).
    "_component": (0, 2),
}
"""Callee name -> positions of the arguments that only label an error message."""

DEFAULT_LABEL = {"check_birth_date": 1, "decode_one": 1}
"""Callees whose label may be left out (it has a default)."""

_READER_METHODS = {"read", "nested", "items"}


def _name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _textual(node: ast.AST) -> bool:
    """Whether an error's first argument is its message (not a kind such as Reason.X)."""
    if isinstance(node, ast.Constant):
        return node.value is None or isinstance(node.value, str)
    if isinstance(node, ast.Name):
        return node.id == "message"
    return isinstance(node, ast.JoinedStr | ast.BinOp)


def _labels(call: ast.Call) -> tuple[int, ...]:
    name = _name(call)
    if name in _READER_METHODS:
        # der.Reader's methods take a tag of the der module first; other `read`s do not.
        first = call.args[0] if call.args else None
        is_tag = (
            isinstance(first, ast.Attribute)
            and isinstance(first.value, ast.Name)
            and first.value.id == "der"
        )
        if not is_tag and not isinstance(first, ast.BoolOp):
            return ()
    return LABELS.get(name, ())


def _is_super_init(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "__init__"
        and isinstance(func.value, ast.Call)
        and isinstance(func.value.func, ast.Name)
        and func.value.func.id == "super"
    )


def _same(a: object, b: object, *, free: bool = False) -> bool:
    if free:
        return True
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if not isinstance(a, ast.AST) or not isinstance(b, ast.AST):
        return a == b
    if type(a) is not type(b):
        return False
    if isinstance(a, ast.Raise) and isinstance(b, ast.Raise):
        return _same_call(a.exc, b.exc, raised=True) and _same(a.cause, b.cause)
    if isinstance(a, ast.Call) and isinstance(b, ast.Call):
        return _same_call(a, b, raised=False)
    return all(
        _same(getattr(a, field), getattr(b, field))
        for field in a._fields
        if field not in ("ctx", "type_comment")
    )


def _same_call(a: ast.AST | None, b: ast.AST | None, *, raised: bool) -> bool:
    if not (isinstance(a, ast.Call) and isinstance(b, ast.Call)):
        return _same(a, b)
    if not _same(a.func, b.func):
        return False
    free = set(_labels(a))
    raised = raised or _is_super_init(a)  # an error's constructor passing its message on
    if raised and a.args and _textual(a.args[0]):
        free.add(0)
    args_a, args_b = list(a.args), list(b.args)
    default = DEFAULT_LABEL.get(_name(a))
    if default is not None and len(args_a) == default + 1 and len(args_b) == default:
        args_b.append(args_a[default])  # the label left out: its default, also a label
    if len(args_a) != len(args_b):
        return False
    if not all(
        _same(x, y, free=i in free) for i, (x, y) in enumerate(zip(args_a, args_b, strict=True))
    ):
        return False
    kept_a = [k for k in a.keywords if k.arg != "requirement"]
    kept_b = [k for k in b.keywords if k.arg != "requirement"]
    return _same(kept_a, kept_b)


def message_only(original: str, mutant: str) -> bool:
    """Whether two versions of a function differ only in their errors' text.

    >>> message_only('def f():\\n raise E("a", requirement="X")',
    ...              'def f():\\n raise E(None, requirement="Y")')
    True
    >>> message_only('def f():\\n raise E("a", "month")', 'def f():\\n raise E("a", "day")')
    False
    >>> message_only('def f():\\n raise E(Reason.A, "text")', 'def f():\\n raise E(None, "text")')
    False
    >>> message_only('def f(r):\\n return der.parse_numeric(r.read(der.UTF8_STRING, "a"), "a")',
    ...              'def f(r):\\n return der.parse_numeric(r.read(der.UTF8_STRING, "A"), None)')
    True
    >>> message_only('def f(r):\\n return der.parse_numeric(r, "a", 2, 2)',
    ...              'def f(r):\\n return der.parse_numeric(r, "a", 2, 3)')
    False
    """
    if original == mutant:
        return False
    return _same(ast.parse(original), ast.parse(mutant))


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
