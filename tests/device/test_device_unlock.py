"""Unlocking the holder device: try counter, status words, presentation window.

Verifies VDC-PIN-012..017 against the SQLite store (test-only Argon2 costs).
"""

from __future__ import annotations

import hmac
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from vitale_ref.device import HolderDevice
from vitale_ref.device.synthetic import SYNTHETIC_CODE as CODE
from vitale_ref.device.synthetic import provision_synthetic
from vitale_ref.pin import TEST_ONLY_PARAMETERS, PinFormatError, UnlockOutcome
from vitale_ref.randomness import seeded_random

WRONG = "999990"
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _tries(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as db:
        row = db.execute("SELECT tries_remaining, blocked FROM holder").fetchone()
    return int(row[0]), int(row[1])


def test_device_right_code_unlocks_and_arms(device: HolderDevice) -> None:
    """VDC-PIN-015, VDC-PIN-017: 9000, counter 5, armed for 60 s."""
    result = device.unlock(CODE, T0)
    assert result.outcome is UnlockOutcome.UNLOCKED
    assert result.status_word == 0x9000
    assert result.tries_remaining == 5
    assert result.armed_until == T0 + timedelta(seconds=60)
    assert device.presentation_armed_until(T0) == T0 + timedelta(seconds=60)


def test_device_presentation_window_limit(device: HolderDevice) -> None:
    """VDC-PIN-017: armed just before t + 60 s, not at t + 60 s, not one second past."""
    device.unlock(CODE, T0)
    end = T0 + timedelta(seconds=60)
    assert device.is_presentation_armed(end - timedelta(microseconds=1))
    assert not device.is_presentation_armed(end)
    assert not device.is_presentation_armed(end + timedelta(seconds=1))
    assert device.armed_until() == end


def test_device_wrong_attempt_disarms(device: HolderDevice) -> None:
    """VDC-PIN-017: a later unlock attempt closes the window before comparing."""
    device.unlock(CODE, T0)
    device.unlock(WRONG, T0 + timedelta(seconds=1))
    assert device.presentation_armed_until(T0 + timedelta(seconds=2)) is None
    device.unlock(CODE, T0 + timedelta(seconds=3))
    device.disarm()
    assert device.armed_until() is None


def test_device_five_wrong_codes_block(device: HolderDevice, store_path: Path) -> None:
    """VDC-PIN-012, VDC-PIN-015: 63C4..63C0, then 6983 even for the right code."""
    words = [device.unlock(WRONG, T0).status_word for _ in range(5)]
    assert words == [0x63C4, 0x63C3, 0x63C2, 0x63C1, 0x63C0]
    assert _tries(store_path) == (0, 1)
    blocked = device.unlock(CODE, T0)
    assert blocked.outcome is UnlockOutcome.BLOCKED
    assert blocked.status_word == 0x6983
    assert blocked.blocked
    assert device.presentation_armed_until(T0) is None
    assert device.status(T0).blocked


def test_device_fourth_wrong_then_right_resets(device: HolderDevice, store_path: Path) -> None:
    """VDC-PIN-014: four wrong codes (one short of the limit), the right one resets to 5."""
    for _ in range(4):
        device.unlock(WRONG, T0)
    assert _tries(store_path) == (1, 0)
    result = device.unlock(CODE, T0)
    assert result.status_word == 0x9000
    assert _tries(store_path) == (5, 0)
    assert device.unlock(WRONG, T0).status_word == 0x63C4


def test_device_blocked_survives_reopen_and_ends_with_reenrolment(store_path: Path) -> None:
    """VDC-PIN-012, VDC-PIN-020: the block persists until a new provisioning."""
    with HolderDevice.open(store_path) as device:
        for _ in range(5):
            device.unlock(WRONG, T0)
    with HolderDevice.open(store_path) as device:
        assert device.unlock(CODE, T0).outcome is UnlockOutcome.BLOCKED
        device.record_presentation(reader_rpps="10000000001", elements=(1,), at=T0, now=T0)
        provision_synthetic(
            device,
            code="731904",
            random=seeded_random("again"),
            now=T0,
            parameters=TEST_ONLY_PARAMETERS,
        )
        assert device.history(T0) == []
        assert device.unlock("731904", T0).status_word == 0x9000


@pytest.mark.parametrize("code", ["48071", "4807150", "48071a", " 480715"])
def test_device_malformed_code_takes_no_try(
    device: HolderDevice, store_path: Path, code: str
) -> None:
    """VDC-PIN-015: a code that breaks VDC-PIN-001 is refused without a try."""
    with pytest.raises(PinFormatError, match=r"^personal code must be exactly 6 digits$"):
        device.unlock(code, T0)
    assert _tries(store_path) == (5, 0)


def test_device_try_committed_before_comparison(
    device: HolderDevice, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """VDC-PIN-013, VDC-PIN-011: during the comparison another connection already sees
    the decremented counter, and the comparison is hmac.compare_digest."""
    seen: list[tuple[int, int]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        seen.append(_tries(store_path))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    device.unlock(WRONG, T0)
    device.unlock(CODE, T0)
    assert seen == [(4, 0), (3, 0)]
    assert _tries(store_path) == (5, 0)


def test_device_last_try_right_code(
    device: HolderDevice, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """VDC-PIN-013, VDC-PIN-014: on the last try the counter is 0 (blocked) during the
    comparison and comes back to 5 with the success."""
    for _ in range(4):
        device.unlock(WRONG, T0)
    seen: list[tuple[int, int]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        seen.append(_tries(store_path))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert device.unlock(CODE, T0).ok
    assert seen == [(0, 1)]
    assert _tries(store_path) == (5, 0)


def test_device_unlock_is_two_transactions(store_path: Path) -> None:
    """VDC-PIN-018: take the try in one transaction, restore it in another."""
    statements: list[str] = []
    with HolderDevice.open(store_path, trace=statements.append) as device:
        statements.clear()
        device.unlock(CODE, T0)
    kinds = [s.split()[0] for s in statements]
    assert kinds == ["BEGIN", "SELECT", "UPDATE", "COMMIT", "BEGIN", "UPDATE", "COMMIT"]
    assert statements[0] == "BEGIN IMMEDIATE"


def test_device_status(device: HolderDevice) -> None:
    """VDC-PIN-010: the status shows the counter and the stored parameters, no secret."""
    status = device.status(T0)
    assert status.holder.family_name == "EXEMPLE"
    assert status.tries_remaining == 5
    assert not status.blocked
    assert status.armed_until is None
    assert status.parameters.describe() == "Argon2id m=32 KiB t=1 p=1"
    assert status.provisioned_at == T0
