"""SQLite storage of the enrolment service: one transaction per transition (VDC-ENR-080).

The record, its captures, its outbox messages and the credential/status rows an
activation writes all change inside one `BEGIN IMMEDIATE ... COMMIT`; a crash at any
statement leaves the previous version or the next, never a mix. Outbox message ids are
`<enrolment>/<version>/<n>`, so a message can be neither written twice nor lost
(VDC-ENR-081).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from vitale_ref.enrolment._record import Enrolment, from_json, to_json
from vitale_ref.enrolment._states import IN_PROGRESS, State
from vitale_ref.randomness import RandomSource

_SCHEMA = """
CREATE TABLE IF NOT EXISTS enrolments (
    id TEXT PRIMARY KEY, nir TEXT NOT NULL, state TEXT NOT NULL,
    version INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS enrolments_nir ON enrolments (nir);
CREATE TABLE IF NOT EXISTS captures (
    enrolment_id TEXT NOT NULL, kind TEXT NOT NULL, captured_at TEXT NOT NULL,
    media BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
    id TEXT PRIMARY KEY, enrolment_id TEXT NOT NULL, kind TEXT NOT NULL,
    recipient TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL,
    created_at TEXT NOT NULL, dispatched INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS service_key (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1), key BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS credentials (
    enrolment_id TEXT PRIMARY KEY, status_index INTEGER NOT NULL UNIQUE,
    credential BLOB NOT NULL, issued_at TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
"""


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
        self.connection = sqlite3.connect(str(path), isolation_level=None)
        # Write-ahead log: a commit is one append, and a killed process leaves the
        # database at its last commit (VDC-ENR-080).
        self.connection.execute("PRAGMA journal_mode = WAL")
        self.connection.execute("PRAGMA synchronous = NORMAL")
        self.connection.executescript(_SCHEMA)

    def close(self) -> None:
        self.connection.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def service_key(self, random: RandomSource) -> bytes:
        """The service's OTP MAC key, made once from `random` and kept (VDC-OTP-007)."""
        with self.transaction() as db:
            row = db.execute("SELECT key FROM service_key").fetchone()
            if row is None:
                key = random(32)
                db.execute("INSERT INTO service_key VALUES (1, ?)", (key,))
                return key
        return bytes(row[0])

    def load(self, enrolment_id: str) -> Enrolment | None:
        row = self.connection.execute(
            "SELECT data FROM enrolments WHERE id = ?", (enrolment_id,)
        ).fetchone()
        return None if row is None else from_json(json.loads(row[0]))

    def for_nir(self, nir: str) -> list[Enrolment]:
        rows = self.connection.execute(
            "SELECT data FROM enrolments WHERE nir = ? ORDER BY rowid", (nir,)
        ).fetchall()
        return [from_json(json.loads(row[0])) for row in rows]

    def ids(self, states: frozenset[State] | None = None) -> list[str]:
        rows = self.connection.execute("SELECT id, state FROM enrolments ORDER BY rowid")
        return [i for i, s in rows if states is None or State(s) in states]

    def in_progress_ids(self) -> list[str]:
        return self.ids(IN_PROGRESS)

    def save(self, record: Enrolment) -> None:
        data = json.dumps(to_json(record), sort_keys=True)
        self.connection.execute(
            "INSERT INTO enrolments (id, nir, state, version, data) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET state = excluded.state, "
            "version = excluded.version, data = excluded.data",
            (record.id, record.nir, record.state.value, record.version, data),
        )

    def add_capture(self, enrolment_id: str, kind: str, at: datetime, media: bytes) -> None:
        self.connection.execute(
            "INSERT INTO captures VALUES (?, ?, ?, ?)", (enrolment_id, kind, at.isoformat(), media)
        )

    def delete_captures(self, enrolment_id: str) -> None:
        self.connection.execute("DELETE FROM captures WHERE enrolment_id = ?", (enrolment_id,))

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

    def mark_dispatched(self, message_id: str) -> None:
        self.connection.execute("UPDATE outbox SET dispatched = 1 WHERE id = ?", (message_id,))

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

    def next_status_index(self) -> int:
        row = self.connection.execute("SELECT MAX(status_index) FROM credentials").fetchone()
        return 0 if row[0] is None else int(row[0]) + 1

    def add_credential(
        self, enrolment_id: str, index: int, credential: bytes, at: datetime
    ) -> None:
        self.connection.execute(
            "INSERT INTO credentials VALUES (?, ?, ?, ?, 0)",
            (enrolment_id, index, credential, at.isoformat()),
        )

    def revoke_credential(self, enrolment_id: str) -> None:
        self.connection.execute(
            "UPDATE credentials SET revoked = 1 WHERE enrolment_id = ?", (enrolment_id,)
        )

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

    def revoked_indices(self) -> set[int]:
        rows = self.connection.execute("SELECT status_index FROM credentials WHERE revoked = 1")
        return {int(r[0]) for r in rows}
