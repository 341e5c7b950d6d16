"""The enrolled holder as a vpcd card read through pcscd (VDC-PIN-021, VDC-HIST-007).

`StoreCard` is the card `vitale emulate --vpcd ... --store` serves: the transport's
thread opens its own store connection, presence is the stored window and the read
is in the history. pcscd runs in its loopback-only namespace; outside CI a machine
without it skips, in CI it fails.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests._support import running_pcscd
from tests.app.app_support import PIN, enrol
from tools.pcsc.cards import READER, start_card
from vitale_ref.app import StoreCard, WorldReader
from vitale_ref.device import HolderDevice
from vitale_ref.pki import TestPKI
from vitale_ref.randomness import seeded_random
from vitale_ref.reader import ReaderError
from vitale_ref.transport import PcscReaderTransport


def _read(reader: WorldReader) -> str:
    with PcscReaderTransport(READER) as transport:
        try:
            reader.read(
                transport.transmit,
                now=datetime.now(UTC),
                random=seeded_random("app-test/pcsc"),
                requested=(1, 2, 3),
            )
        except ReaderError as error:
            return str(error)
    return "read"


def test_store_card_over_vpcd_and_pcscd(tmp_path: Path, pki: TestPKI) -> None:
    """Refused before the unlock, read after it, and filed in the store's history."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=15)
    enrolled = enrol(tmp_path, "france-identite", at=start)
    card = StoreCard(
        enrolled.store,
        random=seeded_random("app-test/card"),
        reader_root=pki.reader_root.certificate,
    )
    reader = WorldReader(pki=pki, name="doctor")
    with running_pcscd() as (layout, _pid):
        emulated = start_card(layout, handler=card)
        try:
            assert _read(reader) == "READ answered 6982 (holder presence not armed)"
            with HolderDevice.open(enrolled.store) as device:
                device.unlock(PIN, datetime.now(UTC))
            assert _read(reader) == "read"
        finally:
            emulated.stop()
    with HolderDevice.open(enrolled.store) as device:
        kinds = sorted(entry.kind for entry in device.history(datetime.now(UTC)))
    assert kinds == ["presentation", "receipt"]
