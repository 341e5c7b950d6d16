"""SQLite storage of the enrolment service: one transaction per transition (VDC-ENR-080).

The record, its captures, its outbox messages and the credential/status rows an
activation writes all change inside one `BEGIN IMMEDIATE ... COMMIT`; a crash at any
statement leaves the previous version or the next, never a mix. Outbox message ids are
`<enrolment>/<version>/<n>`, so a message can be neither written twice nor lost
(VDC-ENR-081).

The database is created private and refused when others can read it; it does not hold
the key of the e-mailed codes' hashes (VDC-OTP-015). A file that is empty, not SQLite,
of another schema or damaged is refused with one typed error and left as it is; so is
any row that does not decode (VDC-ENR-090).
"""

from __future__ import annotations

import contextlib
import functools
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import ParamSpec, TypeVar

from vitale_ref.enrolment._errors import EnrolmentError
from vitale_ref.enrolment._record import Enrolment, from_json, to_json
from vitale_ref.enrolment._states import IN_PROGRESS, State
from vitale_ref.errors import VitaleError
from vitale_ref.private_files import PrivateFileError, create_with, require_private

SCHEMA_VERSION = 1
_SCHEMA = f"""
CREATE TABLE enrolments (
    id TEXT PRIMARY KEY, nir TEXT NOT NULL, state TEXT NOT NULL,
    version INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX enrolments_nir ON enrolments (nir);
CREATE TABLE captures (
    enrolment_id TEXT NOT NULL, kind TEXT NOT NULL, captured_at TEXT NOT NULL,
    media BLOB NOT NULL);
CREATE TABLE outbox (
    id TEXT PRIMARY KEY, enrolment_id TEXT NOT NULL, kind TEXT NOT NULL,
    recipient TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL,
    created_at TEXT NOT NULL, dispatched INTEGER NOT NULL DEFAULT 0);
CREATE TABLE credentials (
    enrolment_id TEXT PRIMARY KEY, status_index INTEGER NOT NULL UNIQUE,
    credential BLOB NOT NULL, issued_at TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
PRAGMA user_version = {SCHEMA_VERSION};
"""

_DECODING = (ValueError, TypeError, KeyError, IndexError, RecursionError, OverflowError)
"""What decoding a damaged row can raise; each becomes EnrolmentStoreError."""

P = ParamSpec("P")
R = TypeVar("R")


class EnrolmentStoreError(EnrolmentError):
    """The service database is missing, open to others, busy, not writable or damaged."""


def _store_error(error: BaseException, path: str) -> EnrolmentStoreError:
    """A SQLite or decoding error as the store's one typed error (VDC-ENR-090)."""
    if isinstance(error, EnrolmentStoreError):
        return error
    name = getattr(error, "sqlite_errorname", "")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return EnrolmentStoreError(f"service database {path} is in use by another process")
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")):
        return EnrolmentStoreError(f"service database {path} cannot be written: {error}")
    detail = str(error) or type(error).__name__
    return EnrolmentStoreError(f"damaged service database: {path}: {detail}")


def _guarded(method: Callable[P, R]) -> Callable[P, R]:
    """Run a store method; SQLite and decoding errors become EnrolmentStoreError."""

    @functools.wraps(method)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except (sqlite3.Error, VitaleError, *_DECODING) as error:
            raise _store_error(error, getattr(args[0], "path", "?")) from None

    return guarded


@cache
def _expected_schema() -> frozenset[tuple[str, str, str]]:
    memory = sqlite3.connect(":memory:")
    try:
        memory.executescript(_SCHEMA)
        return frozenset(memory.execute("SELECT type, name, sql FROM sqlite_master"))
    finally:
        memory.close()


def _initialise(path: Path) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.executescript(_SCHEMA)
    finally:
        connection.close()


def _prepare(path: Path) -> None:
    """Create the database if absent, then check the file (VDC-OTP-015, VDC-ENR-090)."""
    try:
        if not path.exists():
            create_with(path, _initialise)  # complete and private, or not there at all
        require_private(path, "service database")
    except PrivateFileError as error:
        raise EnrolmentStoreError(str(error)) from None
    if path.stat().st_size == 0:
        raise EnrolmentStoreError(f"damaged service database: {path} is empty")


@dataclass(frozen=True, kw_only=True)
class OutboxMessage:
    """One message written by a transition (mail or a request to a collaborator)."""

    id: str
    enrolment_id: str
    kind: str
    recipient: str
    subject: str
    body: str
    created_at: datetime
    dispatched: bool


@dataclass(frozen=True, kw_only=True)
class CredentialRow:
    enrolment_id: str
    status_index: int
    credential: bytes
    revoked: bool


class EnrolmentStore:
    """The service's database; `path=":memory:"` for a throw-away store."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        memory = self.path == ":memory:"
        if not memory:
            _prepare(Path(path))
        try:
            self.connection = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
        except sqlite3.Error as error:
            raise _store_error(error, self.path) from None
        try:
            self._open(memory)
        except BaseException:
            self.connection.close()
            raise

    @_guarded
    def _open(self, memory: bool) -> None:
        if memory:
            self.connection.executescript(_SCHEMA)
        found = frozenset(self.connection.execute("SELECT type, name, sql FROM sqlite_master"))
        version = self.connection.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION or found != _expected_schema():
            if "service_key" in {name for _, name, _ in found}:
                raise EnrolmentStoreError(
                    f"service database {self.path} keeps its OTP key inside (an earlier "
                    "version made it): anyone who can read it can recover the codes; "
                    "delete it and enrol again"
                )
            raise EnrolmentStoreError(
                f"{self.path} is not a service database of schema version {SCHEMA_VERSION}"
            )
        # Write-ahead log: a commit is one append, and a killed process leaves the
        # database at its last commit (VDC-ENR-080).
        self.connection.execute("PRAGMA journal_mode = WAL")
        self.connection.execute("PRAGMA synchronous = NORMAL")

    def close(self) -> None:
        self.connection.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise _store_error(error, self.path) from None
        try:
            yield self.connection
            self.connection.execute("COMMIT")
        except BaseException as error:
            if self.connection.in_transaction:
                with contextlib.suppress(sqlite3.Error):  # the first error is reported
                    self.connection.execute("ROLLBACK")
            # A refusal of the service is its own answer; only SQLite fails the store.
            if isinstance(error, sqlite3.Error):
                raise _store_error(error, self.path) from None
            raise

    @_guarded
    def load(self, enrolment_id: str) -> Enrolment | None:
        row = self.connection.execute(
            "SELECT data FROM enrolments WHERE id = ?", (enrolment_id,)
        ).fetchone()
        return None if row is None else from_json(json.loads(row[0]))

    @_guarded
    def for_nir(self, nir: str) -> list[Enrolment]:
        rows = self.connection.execute(
            "SELECT data FROM enrolments WHERE nir = ? ORDER BY rowid", (nir,)
        ).fetchall()
        return [from_json(json.loads(row[0])) for row in rows]

    @_guarded
    def ids(self, states: frozenset[State] | None = None) -> list[str]:
        rows = self.connection.execute("SELECT id, state FROM enrolments ORDER BY rowid")
        return [i for i, s in rows if states is None or State(s) in states]

    @_guarded
    def in_progress_ids(self) -> list[str]:
        return self.ids(IN_PROGRESS)

    @_guarded
    def save(self, record: Enrolment) -> None:
        data = json.dumps(to_json(record), sort_keys=True)
        self.connection.execute(
            "INSERT INTO enrolments (id, nir, state, version, data) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET state = excluded.state, "
            "version = excluded.version, data = excluded.data",
            (record.id, record.nir, record.state.value, record.version, data),
        )

    @_guarded
    def add_capture(self, enrolment_id: str, kind: str, at: datetime, media: bytes) -> None:
        self.connection.execute(
            "INSERT INTO captures VALUES (?, ?, ?, ?)", (enrolment_id, kind, at.isoformat(), media)
        )

    @_guarded
    def delete_captures(self, enrolment_id: str) -> None:
        self.connection.execute("DELETE FROM captures WHERE enrolment_id = ?", (enrolment_id,))

    @_guarded
    def captures(self, enrolment_id: str | None = None) -> list[tuple[str, str, datetime]]:
        """(enrolment, kind, captured_at) of every kept capture."""
        rows = self.connection.execute(
            "SELECT enrolment_id, kind, captured_at FROM captures ORDER BY rowid"
        ).fetchall()
        return [
            (e, k, datetime.fromisoformat(t))
            for e, k, t in rows
            if enrolment_id is None or e == enrolment_id
        ]

    @_guarded
    def add_message(self, message: OutboxMessage) -> None:
        self.connection.execute(
            "INSERT INTO outbox VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
            (
                message.id,
                message.enrolment_id,
                message.kind,
                message.recipient,
                message.subject,
                message.body,
                message.created_at.isoformat(),
            ),
        )

    @_guarded
    def mark_dispatched(self, message_id: str) -> None:
        self.connection.execute("UPDATE outbox SET dispatched = 1 WHERE id = ?", (message_id,))

    @_guarded
    def messages(self, *, kind: str | None = None) -> list[OutboxMessage]:
        rows = self.connection.execute("SELECT * FROM outbox ORDER BY rowid").fetchall()
        return [
            OutboxMessage(
                id=r[0],
                enrolment_id=r[1],
                kind=r[2],
                recipient=r[3],
                subject=r[4],
                body=r[5],
                created_at=datetime.fromisoformat(r[6]),
                dispatched=bool(r[7]),
            )
            for r in rows
            if kind is None or r[2] == kind
        ]

    @_guarded
    def next_status_index(self) -> int:
        row = self.connection.execute("SELECT MAX(status_index) FROM credentials").fetchone()
        return 0 if row[0] is None else int(row[0]) + 1

    @_guarded
    def add_credential(
        self, enrolment_id: str, index: int, credential: bytes, at: datetime
    ) -> None:
        self.connection.execute(
            "INSERT INTO credentials VALUES (?, ?, ?, ?, 0)",
            (enrolment_id, index, credential, at.isoformat()),
        )

    @_guarded
    def revoke_credential(self, enrolment_id: str) -> None:
        self.connection.execute(
            "UPDATE credentials SET revoked = 1 WHERE enrolment_id = ?", (enrolment_id,)
        )

    @_guarded
    def credential(self, enrolment_id: str) -> CredentialRow | None:
        row = self.connection.execute(
            "SELECT enrolment_id, status_index, credential, revoked FROM credentials "
            "WHERE enrolment_id = ?",
            (enrolment_id,),
        ).fetchone()
        if row is None:
            return None
        return CredentialRow(
            enrolment_id=row[0], status_index=row[1], credential=row[2], revoked=bool(row[3])
        )

    @_guarded
    def revoked_indices(self) -> set[int]:
        rows = self.connection.execute("SELECT status_index FROM credentials WHERE revoked = 1")
        return {int(r[0]) for r in rows}
