"""Shared fixtures of the NFC tests: the synthetic sample world and scripted holders."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tools.vectorgen.nfc_script import Script
from vitale_ref.holder.samples import SampleWorld, sample_world


@pytest.fixture(scope="session")
def world() -> SampleWorld:
    return sample_world("vdc-nfc")


@pytest.fixture
def script(world: SampleWorld, request: pytest.FixtureRequest) -> Script:
    """A holder armed for 60 s, ephemeral keys seeded by the test name."""
    return Script(world, f"test/{request.node.name}", world.now, world.now + timedelta(seconds=60))
