"""The e-mailed code cannot be recovered from the service database alone (VDC-OTP-015).

`vitale enrol` is stopped right after it e-mailed a code, so the code is live. The test
then plays someone who copied the service database (with its write-ahead log) but not
the key file: it looks for the code in every byte and every value, and tries as the HMAC
key of VDC-OTP-007 every value the database holds (raw, and decoded from hexadecimal or
base64). Before the key left the database (and while the outbox kept the mail in clear)
both attacks recovered the code at once.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from vitale_ref.cli import main
from vitale_ref.enrolment import (
    KEY_VARIABLE,
    EnrolmentStore,
    EnrolmentStoreError,
    ServiceKeyError,
    load_service_key,
)
from vitale_ref.enrolment.samples import CAMILLE
from vitale_ref.otp import code_mac
from vitale_ref.randomness import seeded_random

NOW = "2026-01-05T09:00:00Z"
# Up to the code prompt: NIR, phone, OS version, the first document; then the file ends.
UNTIL_THE_CODE = f"{CAMILLE.nir}\nandroid\n14\n1\n"


def _stop_after_the_code(tmp_path: Path) -> tuple[Path, str]:
    """Run `vitale enrol` until the code is mailed; return (service database, code)."""
    answers = tmp_path / "answers.txt"
    answers.write_text(UNTIL_THE_CODE, encoding="utf-8")
    store = tmp_path / "holder.db"
    result = CliRunner().invoke(
        main,
        [
            "enrol",
            "--store",
            str(store),
            "--route",
            "document",
            "--now",
            NOW,
            "--seed",
            "otp",
            "--answers",
            str(answers),
        ],
    )
    assert result.exit_code == 1
    assert "Error: the answers file ended at the prompt" in result.output
    codes = re.findall(r"Your code is (\d{6})\.", result.output)
    assert len(codes) == 1, result.output
    return tmp_path / "holder.db.service.db", codes[0]


def _copied_database(database: Path, into: Path) -> Path:
    """What the attacker has: the database file and its write-ahead log, not the key."""
    into.mkdir()
    for suffix in ("", "-wal", "-shm"):
        source = database.with_name(database.name + suffix)
        if source.exists():
            shutil.copy(source, into / source.name)
    return into / database.name


def _values(database: Path) -> list[object]:
    with sqlite3.connect(database) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [value for t in tables for row in db.execute(f"SELECT * FROM {t}") for value in row]


def _candidate_keys(values: list[object]) -> set[bytes]:
    """Every value as bytes, and every string decoded as hex or base64, and every
    hexadecimal run inside a string (a key written into a JSON document)."""
    candidates: set[bytes] = set()
    for value in values:
        if isinstance(value, bytes):
            candidates.add(value)
        if isinstance(value, str):
            candidates.add(value.encode())
            for run in re.findall(r"[0-9a-fA-F]{32,}", value):
                candidates.add(bytes.fromhex(run[: len(run) // 2 * 2]))
            with contextlib.suppress(binascii.Error, ValueError):
                candidates.add(base64.b64decode(value, validate=True))
    return candidates


def test_otp_code_cannot_be_recovered_from_the_service_database(tmp_path: Path) -> None:
    """VDC-OTP-015, VDC-OTP-007: neither the code nor its key is in the database."""
    database, code = _stop_after_the_code(tmp_path)
    copy = _copied_database(database, tmp_path / "copied")
    raw = b"".join(path.read_bytes() for path in copy.parent.iterdir())
    assert code.encode() not in raw, "the code is written in the database"
    values = _values(copy)
    (record,) = [json.loads(v) for v in values if isinstance(v, str) and '"code_mac"' in v]
    mac = bytes.fromhex(record["otp"]["code_mac"])
    context = record["id"].encode()
    found = [key for key in _candidate_keys(values) if code_mac(key, context, code) == mac]
    assert found == [], "the HMAC key of the codes is in the database"
    # The key is where the service keeps it, and with it the stored hash is the code's.
    key = load_service_key(database.with_name(database.name + ".otp-key"), seeded_random("x"))
    assert code_mac(key, context, code) == mac


def test_otp_secret_files_are_private(tmp_path: Path) -> None:
    """VDC-OTP-015, VDC-PIN-023: database, its log, the key file and the store are 0600."""
    _stop_after_the_code(tmp_path)
    made = sorted(p.name for p in tmp_path.iterdir() if p.name != "answers.txt")
    assert "holder.db.service.db.otp-key" in made and "holder.db.service.db" in made
    for name in made:
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600, name


def test_otp_key_file_open_to_others_is_refused(tmp_path: Path) -> None:
    """VDC-OTP-015: a key file others can read is refused, not used."""
    key_file = tmp_path / "service.otp-key"
    load_service_key(key_file, seeded_random("k"), environment={})
    key_file.chmod(0o640)
    with pytest.raises(ServiceKeyError, match=r"open to other users \(mode 0640\)"):
        load_service_key(key_file, seeded_random("k"), environment={})


def test_otp_key_from_the_environment(tmp_path: Path) -> None:
    """VDC-OTP-015: $VDC_OTP_KEY holds the key; no file is made; a bad value is refused."""
    key_file = tmp_path / "service.otp-key"
    key = load_service_key(key_file, seeded_random("k"), environment={KEY_VARIABLE: "ab" * 32})
    assert key == bytes.fromhex("ab" * 32) and not key_file.exists()
    with pytest.raises(ServiceKeyError, match=r"\$VDC_OTP_KEY must hold 64 hexadecimal"):
        load_service_key(key_file, seeded_random("k"), environment={KEY_VARIABLE: "abc"})


def test_otp_database_keeping_its_key_is_refused(tmp_path: Path) -> None:
    """VDC-OTP-015: a database made by the earlier version, its key inside, is refused."""
    old = tmp_path / "old.service.db"
    with sqlite3.connect(old) as db:
        db.execute("CREATE TABLE service_key (singleton INTEGER PRIMARY KEY, key BLOB)")
    old.chmod(0o600)
    with pytest.raises(EnrolmentStoreError, match=r"keeps its OTP key inside"):
        EnrolmentStore(old)
