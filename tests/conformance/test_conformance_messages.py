"""Failure messages teach: every check of the suite says what it expected (issue: a
failure message that hides the answer leaves an implementer guessing).

`expect` and `CaseFailure` take `expected` as a required keyword (mypy holds the suite to
it); this test also refuses an empty literal and any call that omits it, in every module
of the conformance package.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "conformance"
CHECKS = ("expect", "CaseFailure")


def _name(call: ast.Call) -> str:
    function = call.func
    return function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")


def empty_expectations(root: Path = PACKAGE) -> list[str]:
    """`file:line` of every check whose `expected` is missing or an empty literal."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _name(node) not in CHECKS:
                continue
            given = {k.arg: k.value for k in node.keywords}
            value = given.get("expected")
            empty = isinstance(value, ast.Constant) and not value.value
            if value is None or empty:
                found.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    return found


def test_no_failure_message_has_an_empty_expected() -> None:
    assert empty_expectations() == []


def test_the_check_finds_an_empty_expected(tmp_path: Path) -> None:
    (tmp_path / "case.py").write_text(
        'expect(ok, "x", got="y")\nexpect(ok, "x", expected="")\nexpect(ok, "x", expected="z")\n',
        encoding="utf-8",
    )
    assert empty_expectations(tmp_path) == [
        f"{tmp_path.name}/case.py:1",
        f"{tmp_path.name}/case.py:2",
    ]
