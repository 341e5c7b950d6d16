"""A holder card backed by the SQLite device store, run as a process to be killed.

Used by test_robustness_faults.py: `python robustness_card.py DB NETNS EPOCH` connects
the reference holder core to vpcd from inside the loopback-only namespace NETNS, with
its presentation window, personal-code tries and history in the device store DB. Its
clock is the synthetic world's moment plus the real seconds elapsed since EPOCH (a Unix
time shared with the test), so successive processes agree on time.

The credential is the synthetic sample world's; the store holds what this test is
about: the presentation window, the personal-code tries and the history.

Every event of the core is written to the store before the R-APDU that caused it is
returned to vpcd: an acknowledged receipt is already filed (VDC-SM-043). Standard input
takes `unlock CODE` lines; each is answered `unlock OUTCOME TRIES` on standard output.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

if __name__ == "__main__":  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.pcsc import netns, service
from vitale_ref.device import HolderDevice
from vitale_ref.device.events import record_holder_events
from vitale_ref.holder import HolderCore
from vitale_ref.holder.adapters import PkiReaderAuthority
from vitale_ref.holder.samples import sample_world
from vitale_ref.randomness import system_random
from vitale_ref.transport import VirtualCard, VpcdCardClient


class Clock:
    """The synthetic world's moment, advancing with real time since `epoch`."""

    def __init__(self, epoch: float) -> None:
        self.epoch = epoch
        self.start = sample_world().now

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.time() - self.epoch)


class StoreBackedHolder:
    """The holder core whose presence, and whose events, live in the device store."""

    def __init__(self, db: Path, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._device: HolderDevice | None = None
        self._core: HolderCore | None = None

    def _ready(self) -> tuple[HolderDevice, HolderCore]:
        # Opened on first use, in the card thread: an SQLite connection stays in its thread.
        if self._device is None or self._core is None:
            device = HolderDevice.open(self._db, create=False)
            world = sample_world()
            self._core = HolderCore(
                credential=world.credential,
                readers=PkiReaderAuthority(world.pki.reader_root.certificate),
                random=system_random,
                presence_until=lambda: device.presentation_armed_until(self._clock()),
            )
            self._device = device
        return self._device, self._core

    def respond(self, command: bytes, now: datetime) -> bytes:
        device, core = self._ready()
        response = core.respond(command, now)
        record_holder_events(device, core.events(), now)
        return response

    def reset(self) -> None:
        if self._core is not None:
            self._core.reset()


def main(argv: list[str]) -> int:
    db, namespace, epoch = Path(argv[1]), Path(argv[2]), float(argv[3])
    clock = Clock(epoch)
    connector = netns.connector(namespace, "127.0.0.1", service.VPCD_PORT)
    client = VpcdCardClient(
        VirtualCard(StoreBackedHolder(db, clock)),
        connector,
        clock=clock,
        status=lambda message: print(f"status {message}", flush=True),
        retry_interval=0.05,
    ).start()
    device = HolderDevice.open(db, create=False)
    for line in sys.stdin:
        words = line.split()
        if words[:1] == ["unlock"] and len(words) == 2:
            result = device.unlock(words[1], clock())
            print(f"unlock {result.outcome.name} {result.tries_remaining}", flush=True)
    client.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
