"""The SQLite schema of the holder device store and its version (VDC-PIN-019).

The version is SQLite's `user_version`; the CHECK constraints restate invariants of
the personal code (VDC-PIN-012) so that a half-written row cannot exist.
"""

from __future__ import annotations

SCHEMA_VERSION = 1

SCHEMA = (
    """CREATE TABLE holder (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        family_name TEXT NOT NULL,
        given_names TEXT NOT NULL,
        birth_date TEXT NOT NULL,
        nir TEXT NOT NULL,
        pin_salt BLOB NOT NULL,
        pin_digest BLOB NOT NULL,
        argon2_memory_kib INTEGER NOT NULL,
        argon2_iterations INTEGER NOT NULL,
        argon2_lanes INTEGER NOT NULL,
        tries_remaining INTEGER NOT NULL CHECK (tries_remaining BETWEEN 0 AND 5),
        blocked INTEGER NOT NULL CHECK (blocked = (tries_remaining = 0)),
        credential BLOB NOT NULL,
        device_key_pkcs8 BLOB NOT NULL,
        armed_until_us INTEGER,
        provisioned_at_us INTEGER NOT NULL
    )""",
    """CREATE TABLE history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('presentation', 'receipt')),
        at_us INTEGER NOT NULL,
        detail TEXT NOT NULL
    )""",
    "CREATE INDEX history_at ON history (at_us)",
    f"PRAGMA user_version = {SCHEMA_VERSION}",
)
