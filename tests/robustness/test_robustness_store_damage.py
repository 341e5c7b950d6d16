"""The store-corruption battery: damage is a typed error, never a traceback or a reset.

A provisioned holder store and an enrolment service database are damaged in every way
a disk, a crash or a person with a hex editor can: truncated, a page zeroed, bits
flipped, each column set out of range or to another type, a table dropped. Then the
commands that read them run (in process, through click's CliRunner). Each run either
succeeds, or fails with one `Error:` line and status 1 (never 70, the report of a bug)
and leaves the file exactly as it was (VDC-PIN-024, VDC-ENR-090). Damage that SQLite or
the decoders can always see (truncation, a zeroed first page, a value out of type or
range, a dropped table) must fail as `damaged ...`, naming the store.

A damaged history entry does not stop a presentation (VDC-HIST-010): the read goes
through and is filed; listing the history names the entry.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.app.app_support import PIN, enrol
from vitale_ref.cli import main

NOW = "2026-06-01T13:00:00Z"  # an hour after app_support enrols
PAGE = 4096
SERVICE_DB = "service.db"

# (column, value) pairs no holder row can hold: out of range or of another type.
HOLDER_DAMAGE = [
    ("tries_remaining", -1),
    ("tries_remaining", 6),
    ("tries_remaining", "five"),
    ("blocked", 2),
    ("blocked", 1),  # contradicts a counter above 0
    ("pin_salt", b"short"),
    ("pin_salt", "text"),
    ("pin_digest", 7),
    ("argon2_memory_kib", 2**40),
    ("argon2_memory_kib", 2.5),
    ("argon2_iterations", 0),
    ("argon2_lanes", b"\x01"),
    ("family_name", b"\xff\x00"),
    ("birth_date", "19911331x"),
    ("nir", b"1" * 15),
    ("credential", b""),
    ("credential", "not bytes"),
    ("device_key_pkcs8", b"\x30\x03\x02\x01\x00"),
    ("device_key_pkcs8", "text"),
    ("armed_until_us", 2**62),
    ("armed_until_us", "soon"),
    ("provisioned_at_us", -(2**62)),
]
HISTORY_DAMAGE = [
    ("detail", "[" * 50_000 + "]" * 50_000),
    ("detail", '{"reader": 1, "elements": "all"}'),
    ("kind", "payment"),
    ("at_us", "yesterday"),
]
SERVICE_DAMAGE = [
    ("enrolments", "data", "{not json"),
    ("enrolments", "data", '{"id": 1}'),
    ("enrolments", "data", "[" * 50_000 + "]" * 50_000),
    ("enrolments", "state", "NO_SUCH_STATE"),
    ("credentials", "status_index", "many"),
    ("credentials", "revoked", "perhaps"),
    ("outbox", "body", "sealed-v1:AAAA"),
    ("outbox", "created_at", "tomorrow"),
]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An enrolled holder (store, service database, key), read once: two history entries."""
    enrolled = enrol(tmp_path_factory.mktemp("damage"), "document")
    store = str(enrolled.store)
    assert _cli("holder", "unlock", "--store", store, "--code-stdin", stdin=PIN).exit_code == 0
    assert _present(enrolled.store).exit_code == 0
    _settle(enrolled.store.with_name(SERVICE_DB))
    return enrolled.store


def _present(store: Path) -> Result:
    service = str(store.parent / SERVICE_DB)
    return _cli("present", "--store", str(store), "--service-db", service, "--now", NOW)


def _cli(*args: str, stdin: str | None = None) -> Result:
    arguments = list(args)
    if "--now" not in arguments and args[0] == "holder":
        arguments += ["--now", NOW]
    return CliRunner().invoke(main, arguments, input=stdin)


@pytest.fixture
def store(pristine: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the enrolled store and its service database, per test."""
    for source in pristine.parent.iterdir():
        if source.is_file():
            shutil.copy(source, tmp_path / source.name)
    yield tmp_path / pristine.name


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _set(path: Path, table: str, column: str, value: object) -> None:
    """Write a value SQLite's constraints would refuse, as a hex editor would."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA ignore_check_constraints = ON")
        db.execute(f"UPDATE {table} SET {column} = ?", (value,))
    _settle(path)


def _settle(path: Path) -> None:
    """Fold a write-ahead log into the file, so that the file is the whole database."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _holder_commands(store: Path) -> Iterator[tuple[str, Callable[[], Result]]]:
    s = str(store)
    yield "status", lambda: _cli("holder", "status", "--store", s)
    yield "history", lambda: _cli("holder", "history", "--store", s)
    yield "unlock", lambda: _cli("holder", "unlock", "--store", s, "--code-stdin", stdin=PIN)
    yield "present", lambda: _present(store)


def _expect_typed(result: Result, where: str) -> str:
    """No traceback and no bug; a failure is one `Error:` line with status 1."""
    assert result.exception is None or isinstance(result.exception, SystemExit), where
    assert "Traceback" not in result.output, where
    assert result.exit_code in (0, 1), f"{where}: status {result.exit_code}: {result.stderr}"
    if result.exit_code == 1 and "Error:" in result.stderr:
        return result.stderr.strip().splitlines()[-1]
    return ""


ALL = frozenset({"status", "history", "unlock", "present"})
VERIFIER = {"pin_salt", "pin_digest", "argon2_memory_kib", "argon2_iterations", "argon2_lanes"}


def _readers_of(column: str) -> set[str]:
    """The commands that read `column` of the holder row, and so must refuse it."""
    if column in ("credential", "device_key_pkcs8"):
        return {"present"}  # the app's credential and key (VDC-PIN-022)
    if column == "armed_until_us":
        return {"status", "present"}
    if column in VERIFIER:
        return {"status", "unlock"} - ({"status"} if column.startswith("pin_") else set())
    if column in ("tries_remaining", "blocked"):
        return {"status", "unlock"}
    return {"status"}


def _run_all(
    store: Path, label: str, *, must_fail: set[str] | frozenset[str], only: frozenset[str] = ALL
) -> None:
    for name, command in _holder_commands(store):
        if name not in only:
            continue
        before = _digest(store)
        result = command()
        where = f"{label}: vitale {name}"
        line = _expect_typed(result, where)
        # A read the reader refused after the holder answered (a flipped bit in the
        # credential's signature) was made, and the holder filed it (VDC-HIST-001).
        refused_by_reader = line.startswith("Error: read failed: ")
        if result.exit_code != 0 and not refused_by_reader:
            assert _digest(store) == before, f"{where}: failed and changed the store"
        if name in must_fail:
            assert result.exit_code == 1, f"{where}: accepted the damaged store"
            assert line.startswith("Error: ") and "damaged holder store: " in line, where


@pytest.mark.parametrize(("column", "value"), HOLDER_DAMAGE, ids=lambda v: repr(v)[:20])
def test_holder_column_damage_is_a_typed_error(store: Path, column: str, value: object) -> None:
    """VDC-PIN-024: a value out of type or range in any column of the holder row is
    refused by every command that reads that column."""
    _set(store, "holder", column, value)
    readers = _readers_of(column)
    # The commands that read the column, and the listing, which reads none of the row.
    _run_all(
        store,
        f"holder.{column}={value!r}"[:60],
        must_fail=readers,
        only=frozenset(readers | {"history"}),
    )


def _damage_bytes(path: Path, damage: str) -> None:
    data = bytearray(path.read_bytes())
    if damage == "truncated-half":
        data = data[: len(data) // 2]
    elif damage == "truncated-100":
        data = data[:100]
    elif damage == "first-page-zeroed":
        data[:PAGE] = bytes(PAGE)
    elif damage == "second-page-zeroed":
        data[PAGE : 2 * PAGE] = bytes(PAGE)
    else:  # bit flips at fixed offsets, spread over the file
        offset = int(damage.split("-")[1])
        data[offset * len(data) // 16] ^= 1 << (offset % 8)
    path.write_bytes(bytes(data))


BYTE_DAMAGE = ["truncated-half", "truncated-100", "first-page-zeroed", "second-page-zeroed"]
BIT_FLIPS = [f"flip-{n}" for n in range(1, 16, 2)]


@pytest.mark.parametrize("damage", BYTE_DAMAGE + BIT_FLIPS)
def test_holder_file_damage_is_a_typed_error(store: Path, damage: str) -> None:
    """VDC-PIN-024: cut, zeroed or flipped bytes; a visible damage is `damaged`."""
    _damage_bytes(store, damage)
    visible = damage in ("truncated-100", "first-page-zeroed")
    _run_all(store, damage, must_fail=ALL if visible else set())


@pytest.mark.parametrize("table", ["holder", "history"])
def test_holder_dropped_table_is_a_typed_error(store: Path, table: str) -> None:
    """VDC-PIN-024: a store missing one of its tables is damaged, not a new store."""
    with sqlite3.connect(store) as db:
        db.execute(f"DROP TABLE {table}")
    _run_all(store, f"drop {table}", must_fail=ALL)


@pytest.mark.parametrize(("column", "value"), HISTORY_DAMAGE, ids=lambda v: repr(v)[:20])
def test_damaged_history_entry_does_not_stop_a_presentation(
    store: Path, column: str, value: object
) -> None:
    """VDC-HIST-010: the read goes through and is filed; the listing names the entry."""
    _set(store, "history", column, value)
    s = str(store)
    assert _cli("holder", "unlock", "--store", s, "--code-stdin", stdin=PIN).exit_code == 0
    presented = _present(store)
    assert presented.exit_code == 0, presented.output
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT count(*) FROM history").fetchone()[0] == 4
    before = _digest(store)
    listed = _cli("holder", "history", "--store", s)
    line = _expect_typed(listed, "history")
    assert listed.exit_code == 1 and line.startswith("Error: damaged holder store: history entry")
    assert _digest(store) == before


@pytest.mark.parametrize(("table", "column", "value"), SERVICE_DAMAGE, ids=lambda v: str(v)[:16])
def test_service_database_damage_is_a_typed_error(
    store: Path, table: str, column: str, value: object
) -> None:
    """VDC-ENR-090: the service database's rows checked on read; the file unchanged."""
    database = store.with_name(SERVICE_DB)
    _set(database, table, column, value)
    before = _digest(database)
    second = str(store.with_name("second.db"))
    runs = [
        _present(store),
        _cli(
            "enrol",
            "--store",
            second,
            "--service-db",
            str(database),
            "--route",
            "document",
            "--now",
            "2026-06-02T09:00:00Z",
            stdin="\n",
        ),
    ]
    for result in runs:
        _expect_typed(result, f"{table}.{column}")
        if result.exit_code != 0:
            assert _digest(database) == before


@pytest.mark.parametrize("damage", [*BYTE_DAMAGE, "empty"])
def test_service_database_file_damage_is_refused(store: Path, damage: str) -> None:
    """VDC-ENR-090: an empty or broken service database is refused, never made anew."""
    database = store.with_name(SERVICE_DB)
    for sidecar in ("-wal", "-shm"):
        database.with_name(database.name + sidecar).unlink(missing_ok=True)
    if damage == "empty":
        database.write_bytes(b"")
    else:
        _damage_bytes(database, damage)
    before = _digest(database)
    result = _present(store)
    line = _expect_typed(result, damage)
    if damage in ("empty", "truncated-100", "first-page-zeroed"):
        assert result.exit_code == 1 and line.startswith("Error: damaged service database"), line
    assert _digest(database) == before


def test_store_locked_by_another_process_is_busy_not_damaged(store: Path) -> None:
    """VDC-PIN-024: a store another process holds is reported busy (it was reported as
    "not a holder store" after 10 s)."""
    import vitale_ref.device._connection as connection

    holder = sqlite3.connect(store, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    previous, connection.BUSY_TIMEOUT = connection.BUSY_TIMEOUT, 0.2
    try:
        result = _cli("holder", "status", "--store", str(store))
    finally:
        connection.BUSY_TIMEOUT = previous
        holder.execute("ROLLBACK")
        holder.close()
    line = _expect_typed(result, "locked")
    assert result.exit_code == 1
    assert line == (
        f"Error: holder store {store} is in use by another process (still locked after 0.2 s); "
        "try again"
    )
