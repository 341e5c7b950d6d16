"""Opening the SQLite file and running each transition in one transaction (VDC-PIN-018).

The store holds the device key and the verifier: it is created private and refused when
others can read it (VDC-PIN-023). A file that is empty, not SQLite, of another schema or
otherwise damaged is refused with one typed error and left as it is; it is never taken
for a new store (VDC-PIN-024).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from vitale_ref.device._errors import DeviceStoreError
from vitale_ref.device._schema import SCHEMA, SCHEMA_VERSION
from vitale_ref.private_files import PrivateFileError, create_with, require_private

TraceHook = Callable[[str], None]
"""Called with each SQL statement before SQLite runs it (crash-injection tests use it)."""

BUSY_TIMEOUT = 10.0
"""Seconds to wait for another process's transaction before giving up."""

_BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")
_READ_ONLY = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")


def damaged(reason: str) -> DeviceStoreError:
    """The one error of a store whose content cannot be trusted (VDC-PIN-024)."""
    return DeviceStoreError(f"damaged holder store: {reason}")


def store_error(error: sqlite3.Error, path: Path) -> DeviceStoreError:
    """A SQLite error as the store's typed error: busy, not writable, or damaged."""
    name = getattr(error, "sqlite_errorname", "")
    if name.startswith(_BUSY):
        return DeviceStoreError(
            f"holder store {path} is in use by another process (still locked after "
            f"{BUSY_TIMEOUT:g} s); try again"
        )
    if name.startswith(_READ_ONLY):
        return DeviceStoreError(f"holder store {path} cannot be written: {error}")
    return damaged(f"{path}: {error}")


@contextmanager
def sql(path: Path) -> Iterator[None]:
    """Run SQLite calls; any SQLite error becomes the store's typed error."""
    try:
        yield
    except sqlite3.Error as error:
        raise store_error(error, path) from None


def _initialise(path: Path) -> None:
    """Write the schema into the new, private file `path`."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        with transaction(connection, path):
            for statement in SCHEMA:
                connection.execute(statement)
    finally:
        connection.close()


def _prepare(path: Path, create: bool) -> None:
    """Create the store if asked and absent, then check the file (VDC-PIN-023, 024)."""
    try:
        if create and not path.exists():
            create_with(path, _initialise)  # complete and private, or not there at all
        if not path.exists():
            raise DeviceStoreError(f"no holder store at {path}")
        require_private(path, "holder store")
    except PrivateFileError as error:
        raise DeviceStoreError(str(error)) from None
    if path.stat().st_size == 0:
        raise damaged(f"{path} is empty (an empty file is not a store; remove it to start again)")


def connect(path: Path, *, create: bool, trace: TraceHook | None) -> sqlite3.Connection:
    """An autocommit connection (transactions are explicit) to a store of a known version."""
    _prepare(path, create)
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    except sqlite3.Error as error:
        raise store_error(error, path) from None
    try:
        connection.set_trace_callback(trace)
        with sql(path):
            connection.execute("PRAGMA synchronous = FULL")
            _ensure_schema(connection, path)
    except BaseException:
        connection.close()
        raise
    return connection


@cache
def _expected_schema() -> frozenset[tuple[str, str, str]]:
    """(type, name, sql) of every object a store of SCHEMA_VERSION holds."""
    memory = sqlite3.connect(":memory:")
    try:
        for statement in SCHEMA:
            memory.execute(statement)
        return frozenset(memory.execute("SELECT type, name, sql FROM sqlite_master"))
    finally:
        memory.close()


def _ensure_schema(connection: sqlite3.Connection, path: Path) -> None:
    with transaction(connection, path):
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            if version == 0:
                raise DeviceStoreError(f"{path} is not a holder store (no schema version)")
            raise DeviceStoreError(f"unknown holder store schema version {version}")
        found = frozenset(connection.execute("SELECT type, name, sql FROM sqlite_master"))
        if found != _expected_schema():
            raise damaged(f"{path}: its tables are not those of schema version {SCHEMA_VERSION}")


@contextmanager
def transaction(
    connection: sqlite3.Connection, path: Path = Path("holder store")
) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT; any exception rolls the whole transition back."""
    with sql(path):
        connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
        connection.execute("COMMIT")
    except sqlite3.Error as error:
        _rollback(connection)
        raise store_error(error, path) from None
    except BaseException:
        _rollback(connection)
        raise


def _rollback(connection: sqlite3.Connection) -> None:
    if connection.in_transaction:
        with contextlib.suppress(sqlite3.Error):  # the first error is the one reported
            connection.execute("ROLLBACK")
