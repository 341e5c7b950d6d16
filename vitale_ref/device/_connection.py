"""Opening the SQLite file and running each transition in one transaction (VDC-PIN-018)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from vitale_ref.device._errors import DeviceStoreError
from vitale_ref.device._schema import SCHEMA, SCHEMA_VERSION

TraceHook = Callable[[str], None]
"""Called with each SQL statement before SQLite runs it (crash-injection tests use it)."""


def connect(path: Path, *, create: bool, trace: TraceHook | None) -> sqlite3.Connection:
    """An autocommit connection (transactions are explicit) to a store of a known version."""
    if not create and not path.is_file():
        raise DeviceStoreError(f"no holder store at {path}")
    try:
        connection = sqlite3.connect(path, timeout=10.0, isolation_level=None)
    except sqlite3.Error as error:
        raise DeviceStoreError(f"cannot open the holder store at {path}: {error}") from error
    try:
        connection.set_trace_callback(trace)
        try:
            connection.execute("PRAGMA synchronous = FULL")
            _ensure_schema(connection)
        except sqlite3.DatabaseError as error:
            raise DeviceStoreError(f"not a holder store: {error}") from error
    except BaseException:
        connection.close()
        raise
    return connection


def _ensure_schema(connection: sqlite3.Connection) -> None:
    with transaction(connection):
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                raise DeviceStoreError("not a holder store: tables without a schema version")
            for statement in SCHEMA:
                connection.execute(statement)
        elif version != SCHEMA_VERSION:
            raise DeviceStoreError(f"unknown holder store schema version {version}")


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT; any exception rolls the whole transition back."""
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as error:
        raise DeviceStoreError(f"holder store unavailable: {error}") from error
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    try:
        connection.execute("COMMIT")
    except sqlite3.Error as error:
        connection.execute("ROLLBACK")
        raise DeviceStoreError(f"holder store commit failed: {error}") from error
