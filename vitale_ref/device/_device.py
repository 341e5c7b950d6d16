"""The holder device app state: one SQLite store per device.

Every public method that changes the store does so in one transaction (VDC-PIN-018).
Unlock follows smart-card anti-tearing practice: the try is taken and committed before
the code is compared (VDC-PIN-013), and given back only with a success (VDC-PIN-014).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Self

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from vitale_ref.device import _rows
from vitale_ref.device._connection import TraceHook, connect, sql, transaction
from vitale_ref.device._errors import DeviceNotProvisionedError, DeviceStoreError
from vitale_ref.device._summary import HolderSummary
from vitale_ref.history import (
    HistoryEntry,
    Presentation,
    Receipt,
    purge_before,
    require_utc,
    to_micros,
)
from vitale_ref.pin import (
    MAX_TRIES,
    PRESENTATION_WINDOW,
    PinFormatError,
    PinVerifier,
    UnlockOutcome,
    UnlockResult,
    VerifierParameters,
    is_well_formed,
)

_VERIFIER_COLUMNS = (
    "pin_salt, pin_digest, argon2_memory_kib, argon2_iterations, argon2_lanes, tries_remaining"
)


@dataclass(frozen=True, kw_only=True)
class DeviceStatus:
    """What `vitale holder status` shows; no secret in it."""

    holder: HolderSummary
    tries_remaining: int
    blocked: bool
    armed_until: datetime | None
    parameters: VerifierParameters
    provisioned_at: datetime


class HolderDevice:
    """The holder device store. Open with `HolderDevice.open(path)`; close when done."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        now: datetime | None = None,
        create: bool = True,
        trace: TraceHook | None = None,
    ) -> HolderDevice:
        """Open (or, with `create`, create) the store at `path`; purge history if `now` given."""
        device = cls(connect(Path(path), create=create, trace=trace), Path(path))
        if now is not None:
            device.purge_history(now)
        return device

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- provisioning -------------------------------------------------------------------

    def provision(
        self,
        *,
        holder: HolderSummary,
        verifier: PinVerifier,
        credential: bytes,
        device_key: ec.EllipticCurvePrivateKey,
        now: datetime,
    ) -> None:
        """Save an activated holder; a second call is a re-enrolment (VDC-PIN-020).

        The private key is kept as PKCS#8 DER, modelling a hardware keystore.
        """
        if not isinstance(credential, bytes) or not credential:
            raise DeviceStoreError("credential must be non-empty bytes")
        key_der = device_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        row = (
            holder.family_name,
            holder.given_names,
            holder.birth_date,
            holder.nir,
            verifier.salt,
            verifier.digest,
            verifier.parameters.memory_kib,
            verifier.parameters.iterations,
            verifier.parameters.lanes,
            MAX_TRIES,
            credential,
            key_der,
            to_micros(require_utc(now, "now")),
        )
        with transaction(self._db, self.path) as db:
            db.execute("DELETE FROM holder")
            db.execute("DELETE FROM history")
            db.execute(
                "INSERT INTO holder (singleton, family_name, given_names, birth_date, nir,"
                " pin_salt, pin_digest, argon2_memory_kib, argon2_iterations, argon2_lanes,"
                " tries_remaining, blocked, credential, device_key_pkcs8, armed_until_us,"
                " provisioned_at_us) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, NULL, ?)",
                row,
            )

    def is_provisioned(self) -> bool:
        with sql(self.path):
            (count,) = self._db.execute("SELECT count(*) FROM holder").fetchone()
        return bool(count == 1)

    def _holder_row(self, columns: str) -> tuple[object, ...]:
        with sql(self.path):
            row = self._db.execute(f"SELECT {columns} FROM holder").fetchone()
        if row is None:
            raise DeviceNotProvisionedError()
        return tuple(row)

    def credential(self) -> bytes:
        """The credential bytes as the issuer delivered them."""
        (credential,) = self._holder_row("credential")
        return _rows.blob(credential, "credential")

    def device_key(self) -> ec.EllipticCurvePrivateKey:
        """The private key the credential is bound to."""
        (der,) = self._holder_row("device_key_pkcs8")
        return _rows.device_key(der)

    # -- personal code ------------------------------------------------------------------

    def unlock(self, code: str, now: datetime) -> UnlockResult:
        """Verify the personal code; a success arms the presentation for 60 s (VDC-PIN-017)."""
        now = require_utc(now, "now")
        if not is_well_formed(code):
            # VDC-PIN-015: cannot be right, so it is refused before any try is taken.
            raise PinFormatError("personal code must be exactly 6 digits")
        with transaction(self._db, self.path) as db:
            salt, digest, memory, iterations, lanes, remaining, blocked = self._holder_row(
                _VERIFIER_COLUMNS + ", blocked"
            )
            tries = _rows.tries(remaining, blocked)
            if tries == 0:
                # VDC-PIN-012: blocked; the code is not evaluated.
                return UnlockResult(outcome=UnlockOutcome.BLOCKED, tries_remaining=0)
            verifier = _verifier(salt, digest, memory, iterations, lanes)
            tries -= 1
            # VDC-PIN-013: the try is taken and committed before the comparison.
            db.execute(
                "UPDATE holder SET tries_remaining = ?, blocked = ?, armed_until_us = NULL",
                (tries, int(tries == 0)),
            )
        if not verifier.matches(code):
            return UnlockResult(outcome=UnlockOutcome.WRONG_CODE, tries_remaining=tries)
        armed_until = now + PRESENTATION_WINDOW
        with transaction(self._db, self.path) as db:
            # VDC-PIN-014: the counter comes back only with the success, with the arming.
            db.execute(
                "UPDATE holder SET tries_remaining = ?, blocked = 0, armed_until_us = ?",
                (MAX_TRIES, to_micros(armed_until)),
            )
        return UnlockResult(
            outcome=UnlockOutcome.UNLOCKED, tries_remaining=MAX_TRIES, armed_until=armed_until
        )

    def armed_until(self) -> datetime | None:
        """End of the last presentation window, or None; fits HolderCore(presence_until=...)."""
        (armed_us,) = self._holder_row("armed_until_us")
        return _rows.optional_instant(armed_us, "armed_until_us")

    def presentation_armed_until(self, now: datetime) -> datetime | None:
        """End of the window if the presentation is armed at `now` (now < end), else None."""
        now = require_utc(now, "now")
        armed_until = self.armed_until()
        return armed_until if armed_until is not None and now < armed_until else None

    def is_presentation_armed(self, now: datetime) -> bool:
        return self.presentation_armed_until(now) is not None

    def disarm(self) -> None:
        """Close the presentation window (after a presentation, or when the app closes)."""
        with transaction(self._db, self.path) as db:
            db.execute("UPDATE holder SET armed_until_us = NULL")

    def status(self, now: datetime) -> DeviceStatus:
        columns = "family_name, given_names, birth_date, nir, tries_remaining, blocked, "
        columns += "argon2_memory_kib, argon2_iterations, argon2_lanes, provisioned_at_us"
        family, given, birth, nir, remaining, blocked, memory, iterations, lanes, since = (
            self._holder_row(columns)
        )
        tries = _rows.tries(remaining, blocked)
        return DeviceStatus(
            holder=_rows.summary(family, given, birth, nir),
            tries_remaining=tries,
            blocked=tries == 0,
            armed_until=self.presentation_armed_until(now),
            parameters=_rows.parameters(memory, iterations, lanes),
            provisioned_at=_rows.instant(since, "provisioned_at_us"),
        )

    # -- history ------------------------------------------------------------------------

    def record(self, entry: HistoryEntry, now: datetime) -> None:
        """Record a presentation or receipt and purge what is older than 7 days, atomically."""
        if not isinstance(entry, Presentation | Receipt):
            raise DeviceStoreError("only presentations and receipts are recorded")
        cutoff = to_micros(purge_before(now))
        detail = json.dumps(entry.detail(), separators=(",", ":"), sort_keys=True)
        with transaction(self._db, self.path) as db:
            db.execute("DELETE FROM history WHERE at_us < ?", (cutoff,))
            if to_micros(entry.at) >= cutoff:
                db.execute(
                    "INSERT INTO history (kind, at_us, detail) VALUES (?, ?, ?)",
                    (entry.kind, to_micros(entry.at), detail),
                )

    def record_presentation(
        self, *, reader_rpps: str, elements: tuple[int, ...], at: datetime, now: datetime
    ) -> None:
        """VDC-HIST-001: the holder core's Presented(reader, elements, time) event."""
        self.record(Presentation(reader_rpps=reader_rpps, elements=elements, at=at), now)

    def record_receipt(
        self, *, practitioner_rpps: str, act: str, amount_cents: int, at: datetime, now: datetime
    ) -> None:
        """VDC-HIST-002: the holder core's ReceiptFiled(date, practitioner, act, amount) event."""
        entry = Receipt(
            practitioner_rpps=practitioner_rpps, act=act, amount_cents=amount_cents, at=at
        )
        self.record(entry, now)

    def purge_history(self, now: datetime) -> int:
        """VDC-HIST-004: delete entries older than 7 days; returns how many went."""
        cutoff = to_micros(purge_before(now))
        with transaction(self._db, self.path) as db:
            return db.execute("DELETE FROM history WHERE at_us < ?", (cutoff,)).rowcount

    def history(self, now: datetime) -> list[HistoryEntry]:
        """VDC-HIST-003: the entries of the last 7 days, newest first (older ones purged).

        A row that does not decode is the store's typed error, naming the entry.
        """
        self.purge_history(now)
        with sql(self.path):
            rows = self._db.execute(
                "SELECT id, kind, at_us, detail FROM history ORDER BY at_us DESC, id DESC"
            ).fetchall()
        return [_rows.history_entry(*row) for row in rows]

    def history_count(self, now: datetime) -> int:
        """How many entries the last 7 days hold, counted without decoding any (VDC-HIST-010).

        A presentation needs the count, not the entries, so that a damaged entry never
        stops the holder from presenting the card.
        """
        cutoff = to_micros(purge_before(now))
        with sql(self.path):
            (count,) = self._db.execute(
                "SELECT count(*) FROM history WHERE at_us >= ?", (cutoff,)
            ).fetchone()
        return int(count)


def _verifier(
    salt: object, digest: object, memory: object, iterations: object, lanes: object
) -> PinVerifier:
    """The stored verifier, its parameters bounded before any use (VDC-PIN-010)."""
    return _rows.verifier(salt, digest, _rows.parameters(memory, iterations, lanes))
