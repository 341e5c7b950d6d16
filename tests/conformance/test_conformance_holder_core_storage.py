"""The reference holder core persists nothing itself (VDC-NFC-132, verified by inspection).

No conformance case can see whether a holder's APDU core writes to storage, so the
specification marks VDC-NFC-132 for inspection of the reference and names this file as
its evidence: the core's modules import no storage module, and a whole authenticated
read runs while every way of opening a file or a database fails.
"""

from __future__ import annotations

import ast
import builtins
import io
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import vitale_ref.holder
from conformance.adapters import open_iut
from conformance.cases.holder._reader import provisioned

STORAGE_MODULES = {"sqlite3", "shelve", "dbm", "pickle", "tempfile", "pathlib", "io", "os"}
CORE = Path(vitale_ref.holder.__file__).parent
CORE_MODULES = ("_core.py", "_session.py", "_state.py", "_events.py", "_ports.py")


@pytest.mark.parametrize("name", CORE_MODULES)
def test_core_modules_import_no_storage(name: str) -> None:
    tree = ast.parse((CORE / name).read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id != "open", f"{name} calls open()"
    assert imported & STORAGE_MODULES == set()


def _read() -> list[str]:
    iut = open_iut("ref")
    try:
        holder = provisioned(iut)
        result = holder.read([2, 4])
        events = iut.call("holder.events", {})["events"]
    finally:
        iut.close()
    return [*sorted(str(e) for e in result.elements), *(str(e) for e in events)]


def test_a_read_touches_no_storage(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same read, once normally and once with every file and database refused."""
    expected = _read()

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"storage opened: {args[:1]}")

    for target, name in (
        (builtins, "open"),
        (io, "open"),
        (os, "open"),
        (sqlite3, "connect"),
    ):
        monkeypatch.setattr(target, name, refused)
    assert _read() == expected
    assert expected[:2] == ["2", "4"]
