"""Fixtures of the holder device tests: a provisioned store with test-only Argon2 costs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from vitale_ref.device import HolderDevice
from vitale_ref.device.synthetic import SYNTHETIC_CODE, provision_synthetic
from vitale_ref.pin import TEST_ONLY_PARAMETERS
from vitale_ref.randomness import seeded_random

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "holder.sqlite"
    with HolderDevice.open(path) as device:
        provision_synthetic(
            device,
            code=SYNTHETIC_CODE,
            random=seeded_random("device-fixture"),
            now=T0,
            parameters=TEST_ONLY_PARAMETERS,
        )
    return path


@pytest.fixture
def device(store_path: Path) -> Iterator[HolderDevice]:
    with HolderDevice.open(store_path) as opened:
        yield opened
