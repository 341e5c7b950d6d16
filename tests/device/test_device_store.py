"""The holder device store: schema version, provisioning, refusal of foreign files.

Verifies VDC-PIN-009, VDC-PIN-010, VDC-PIN-018..020.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from vitale_ref.device import (
    SCHEMA_VERSION,
    DeviceNotProvisionedError,
    DeviceStoreError,
    HolderDevice,
    HolderSummary,
    HolderSummaryError,
)
from vitale_ref.device.synthetic import PLACEHOLDER_CREDENTIAL, SYNTHETIC_CODE
from vitale_ref.pin import TEST_ONLY_PARAMETERS, PinVerifier
from vitale_ref.randomness import p256_private_key, seeded_random

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_device_new_store_has_version_and_no_holder(tmp_path: Path) -> None:
    """VDC-PIN-019: a new store records its schema version."""
    path = tmp_path / "new.sqlite"
    with HolderDevice.open(path) as device:
        assert not device.is_provisioned()
        with pytest.raises(
            DeviceNotProvisionedError, match=r"^the store holds no activated holder$"
        ):
            device.unlock(SYNTHETIC_CODE, T0)
        with pytest.raises(DeviceNotProvisionedError):
            device.status(T0)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 1


def test_device_unknown_version_refused(tmp_path: Path) -> None:
    """VDC-PIN-019: a store of another version is neither read nor changed."""
    path = tmp_path / "future.sqlite"
    HolderDevice.open(path).close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 2")
    with pytest.raises(DeviceStoreError, match=r"^unknown holder store schema version 2$"):
        HolderDevice.open(path)


def test_device_foreign_files_refused(tmp_path: Path) -> None:
    """VDC-PIN-019: another SQLite database, a non-database, a missing file."""
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    other.chmod(0o600)
    with pytest.raises(DeviceStoreError, match=r"other\.sqlite is not a holder store \(no schema"):
        HolderDevice.open(other)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    junk.chmod(0o600)
    with pytest.raises(DeviceStoreError, match=r"^damaged holder store: .*file is not a database"):
        HolderDevice.open(junk)
    missing = tmp_path / "missing.sqlite"
    with pytest.raises(DeviceStoreError, match=r"^no holder store at "):
        HolderDevice.open(missing, create=False)
    assert not missing.exists()


def test_device_provision_keeps_key_and_credential(tmp_path: Path) -> None:
    """VDC-PIN-009, VDC-PIN-020: the verifier, not the code; the key as PKCS#8 DER."""
    key = p256_private_key(seeded_random("key"))
    verifier = PinVerifier.create(
        SYNTHETIC_CODE, random=seeded_random("salt"), parameters=TEST_ONLY_PARAMETERS
    )
    holder = HolderSummary(
        family_name="EXEMPLE", given_names="Dominique", birth_date="19911200", nir="291127512345622"
    )
    path = tmp_path / "h.sqlite"
    with HolderDevice.open(path) as device:
        device.provision(
            holder=holder,
            verifier=verifier,
            credential=b"\x30\x03\x02\x01\x01",
            device_key=key,
            now=T0,
        )
        assert device.credential() == b"\x30\x03\x02\x01\x01"
        assert device.device_key().private_numbers() == key.private_numbers()
        assert device.status(T0).holder == holder
    raw = path.read_bytes()
    assert SYNTHETIC_CODE.encode() not in raw
    with sqlite3.connect(path) as db:
        der, salt, digest = db.execute(
            "SELECT device_key_pkcs8, pin_salt, pin_digest FROM holder"
        ).fetchone()
    assert der == key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    assert (salt, digest) == (verifier.salt, verifier.digest)


def test_device_tampered_parameters_refused_without_try(store_path: Path) -> None:
    """VDC-PIN-010: a stored memory cost over 1 GiB is refused before any allocation."""
    with sqlite3.connect(store_path) as db:
        db.execute("UPDATE holder SET argon2_memory_kib = ?", (1024 * 1024 + 1,))
    with (
        HolderDevice.open(store_path) as device,
        pytest.raises(
            DeviceStoreError, match=r"^damaged holder store: verifier parameters: .*memory"
        ),
    ):
        device.unlock(SYNTHETIC_CODE, T0)
    with sqlite3.connect(store_path) as db:
        assert db.execute("SELECT tries_remaining FROM holder").fetchone()[0] == 5


def test_device_constraints_forbid_inconsistent_rows(store_path: Path) -> None:
    """VDC-PIN-018: the schema itself refuses a counter out of range or a stray flag."""
    with sqlite3.connect(store_path) as db:
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("UPDATE holder SET tries_remaining = 6")
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("UPDATE holder SET blocked = 1")
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO holder SELECT * FROM holder")


def test_device_provision_is_one_transaction(tmp_path: Path) -> None:
    """VDC-PIN-018, VDC-PIN-020: provisioning is BEGIN IMMEDIATE ... COMMIT."""
    statements: list[str] = []
    verifier = PinVerifier.create(
        SYNTHETIC_CODE, random=seeded_random("s"), parameters=TEST_ONLY_PARAMETERS
    )
    holder = HolderSummary(
        family_name="EXEMPLE", given_names="Alix", birth_date="20000101", nir="100017512345642"
    )
    with HolderDevice.open(tmp_path / "p.sqlite", trace=statements.append) as device:
        statements.clear()
        device.provision(
            holder=holder,
            verifier=verifier,
            credential=PLACEHOLDER_CREDENTIAL,
            device_key=p256_private_key(seeded_random("k")),
            now=T0,
        )
    assert [s.split()[0] for s in statements] == ["BEGIN", "DELETE", "DELETE", "INSERT", "COMMIT"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"family_name": ""}, "family_name"),
        ({"given_names": "a\nb"}, "given_names"),
        ({"birth_date": "1980-01-01"}, "birth_date"),
        ({"nir": "18001751234566"}, "nir"),
    ],
)
def test_device_holder_summary_checked(fields: dict[str, str], message: str) -> None:
    """The identity summary refuses malformed fields with a typed error."""
    base = {
        "family_name": "EXEMPLE",
        "given_names": "Camille",
        "birth_date": "19800100",
        "nir": "180017512345660",
    }
    with pytest.raises(HolderSummaryError, match=message):
        HolderSummary(**{**base, **fields})


def test_device_requires_aware_now(device: HolderDevice) -> None:
    """Time is injected as an aware datetime; a naive one is refused."""
    from vitale_ref.history import HistoryError

    with pytest.raises(HistoryError, match=r"timezone-aware"):
        device.unlock(SYNTHETIC_CODE, datetime(2026, 3, 2, 9, 30))
