"""The holder store is private to its owner (VDC-PIN-023) and never taken for a new one
when it is empty (VDC-PIN-024).

The store keeps the device key (PKCS#8, unencrypted: spec/pin.md, limits of the keystore
model) and the verifier of the personal code: it is created 0600, the journal SQLite
writes beside it during a transaction is 0600 too, and a store its group or other users
may read or change is refused, unchanged, with the file and its mode in the message.
"""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from vitale_ref.cli import main
from vitale_ref.device import DeviceStoreError, HolderDevice
from vitale_ref.device.synthetic import SYNTHETIC_CODE, provision_synthetic
from vitale_ref.pin import TEST_ONLY_PARAMETERS
from vitale_ref.randomness import seeded_random

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _provisioned(path: Path, *, trace: object = None) -> None:
    with HolderDevice.open(path, trace=trace) as device:  # type: ignore[arg-type]
        provision_synthetic(
            device,
            code=SYNTHETIC_CODE,
            random=seeded_random("secrets"),
            now=T0,
            parameters=TEST_ONLY_PARAMETERS,
        )


def test_store_and_its_journal_are_created_private(tmp_path: Path) -> None:
    """VDC-PIN-023: 0600 for the store and for every file SQLite writes beside it."""
    path = tmp_path / "holder.db"
    seen: dict[str, int] = {}

    def trace(_statement: str) -> None:
        for sidecar in tmp_path.iterdir():
            seen[sidecar.name] = _mode(sidecar)

    _provisioned(path, trace=trace)
    assert _mode(path) == 0o600
    assert "holder.db-journal" in seen, seen
    assert set(seen.values()) == {0o600}, seen


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620, 0o602, 0o660])
def test_store_open_to_others_is_refused_unchanged(tmp_path: Path, mode: int) -> None:
    """VDC-PIN-023: refused with the file and its mode named; the file is not touched."""
    path = tmp_path / "holder.db"
    _provisioned(path)
    path.chmod(mode)
    before = path.read_bytes()
    with pytest.raises(DeviceStoreError, match=rf"open to other users \(mode {mode:04o}\)"):
        HolderDevice.open(path, now=T0)
    assert path.read_bytes() == before and _mode(path) == mode


def test_cli_names_the_store_open_to_others(tmp_path: Path) -> None:
    """VDC-PIN-023: one `Error:` line, exit 1, and how to fix it."""
    path = tmp_path / "holder.db"
    _provisioned(path)
    path.chmod(0o644)
    result = CliRunner().invoke(main, ["holder", "status", "--store", str(path)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: holder store {path} is open to other users (mode 0644); it holds secrets: "
        f"check who may have copied it, then run: chmod 600 {path}\n"
    )


def test_empty_file_is_not_a_store(tmp_path: Path) -> None:
    """VDC-PIN-024: a 0-byte file is refused and stays 0 bytes (it used to become a new
    store silently, losing whatever was meant to be there)."""
    path = tmp_path / "holder.db"
    path.touch(mode=0o600)
    with pytest.raises(DeviceStoreError, match=r"^damaged holder store: .* is empty"):
        HolderDevice.open(path, create=True)
    assert path.stat().st_size == 0


def test_new_store_appears_complete_or_not_at_all(tmp_path: Path) -> None:
    """VDC-PIN-024: the store is made under a temporary name and linked in place, so an
    interrupted creation never leaves an empty store behind."""
    path = tmp_path / "holder.db"
    with HolderDevice.open(path) as device:
        assert not device.is_provisioned()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["holder.db"]
    assert path.stat().st_size > 0
