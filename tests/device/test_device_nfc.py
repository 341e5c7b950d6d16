"""The device store driving the NFC holder core: arming by unlock, events into history.

Verifies VDC-PIN-017 with VDC-NFC-111 (6982 outside the window), VDC-HIST-001 and
VDC-HIST-002 with the core's events (VDC-NFC-130, VDC-NFC-131).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from vitale_ref.device import HolderDevice
from vitale_ref.device.events import record_holder_events
from vitale_ref.device.synthetic import SYNTHETIC_CODE, SYNTHETIC_HOLDER
from vitale_ref.history import Presentation, Receipt
from vitale_ref.holder import HolderCore
from vitale_ref.holder.adapters import PkiReaderAuthority
from vitale_ref.holder.samples import SampleWorld, sample_world
from vitale_ref.link import InMemoryLink
from vitale_ref.pin import TEST_ONLY_PARAMETERS, PinVerifier
from vitale_ref.randomness import seeded_random
from vitale_ref.reader import ReaderError, run_read
from vitale_ref.sm import Receipt as BillingReceipt


@pytest.fixture(scope="module")
def world() -> SampleWorld:
    return sample_world()


def _read(world: SampleWorld, core: HolderCore, minutes: float) -> None:
    now = world.now + timedelta(minutes=minutes)
    bill = BillingReceipt(time=now, rpps=world.rpps(), act="G", amount_cents=3000)
    run_read(
        InMemoryLink(core, now).transmit,
        identity=world.reader(),
        requested=[1, 2, 3],
        verifier=world.verifier,
        random=seeded_random(f"reader/{minutes}"),
        now=now,
        receipt=bill,
    )


def test_device_arms_the_holder_core_and_files_its_events(
    world: SampleWorld, tmp_path: Path
) -> None:
    """Unlock arms the core for 60 s; the read's events land in the 7-day history."""
    with HolderDevice.open(tmp_path / "nfc.sqlite") as device:
        device.provision(
            holder=SYNTHETIC_HOLDER,
            verifier=PinVerifier.create(
                SYNTHETIC_CODE, random=seeded_random("nfc"), parameters=TEST_ONLY_PARAMETERS
            ),
            credential=b"opaque credential bytes",
            device_key=world.credential.device_key,
            now=world.now,
        )
        core = HolderCore(
            credential=world.credential,
            readers=PkiReaderAuthority(world.pki.reader_root.certificate),
            random=seeded_random("nfc/holder"),
            presence_until=device.armed_until,
        )
        with pytest.raises(ReaderError, match="6982"):
            _read(world, core, 0)
        assert core.events() == []
        assert device.unlock(SYNTHETIC_CODE, world.now).ok
        core.reset()
        _read(world, core, 0.5)
        after = world.now + timedelta(minutes=0.5)
        assert record_holder_events(device, core.events(), after) == 2
        assert device.history(after) == [
            Receipt(practitioner_rpps=world.rpps(), act="G", amount_cents=3000, at=after),
            Presentation(
                reader_rpps=world.rpps(),
                elements=tuple(e for e in (1, 2, 3) if e in world.credential.available()),
                at=after,
            ),
        ]
        core.reset()
        with pytest.raises(ReaderError, match="6982"):
            _read(world, core, 1)
