"""The enrolled holder as a vpcd card read through pcscd (VDC-PIN-021, VDC-HIST-007).

`StoreCard` is the card `vitale emulate --vpcd ... --store` serves: the transport's
thread opens its own store connection, presence is the stored window and the read
is in the history. pcscd runs in its loopback-only namespace; outside CI a machine
without it skips, in CI it fails.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner, Result

from tests._support import running_pcscd
from tests.app.app_support import PIN, enrol
from tools.pcsc.cards import READER, start_card
from vitale_ref.app import StoreCard, WorldReader
from vitale_ref.cli import main
from vitale_ref.device import HolderDevice
from vitale_ref.enrolment.samples import CAMILLE
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


def _cli_read(*options: str) -> Result:
    return CliRunner().invoke(main, ["read", "--pcsc", READER, "--pki", "enrolment", *options])


def test_vitale_read_trusts_the_enrolment_pki(tmp_path: Path, pki: TestPKI) -> None:
    """`vitale read --pki enrolment` verifies an enrolled holder served through pcscd, and
    with `--service-db` refuses it once a second phone has revoked it (VDC-CRED-050)."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=15)
    first = enrol(tmp_path, "france-identite", at=start)
    card = StoreCard(
        first.store, random=seeded_random("app-test/cli"), reader_root=pki.reader_root.certificate
    )
    with HolderDevice.open(first.store) as device:
        device.unlock(PIN, datetime.now(UTC))
    with running_pcscd() as (layout, _pid):
        emulated = start_card(layout, handler=card)
        try:
            trusted = _cli_read("--elements", "1,2", "--service-db", str(first.service_db))
            sample = CliRunner().invoke(main, ["read", "--pcsc", READER, "--clock", "system"])
            enrol(tmp_path, "france-identite", phone="phone-2", at=start + timedelta(minutes=5))
            revoked = _cli_read("--service-db", str(first.service_db))
            unchecked = _cli_read("--elements", "2")
        finally:
            emulated.stop()
    assert trusted.exit_code == 0, trusted.output
    lines = ["".join(line.split()) for line in trusted.output.splitlines()]
    assert f"1nir{CAMILLE.nir}" in lines and lines[1] == "verifieddata(synthetic):"
    assert f"revocation: checked against the status list published from {first.service_db}" in (
        trusted.output
    )
    # The sample world's reader is not in the holder's trusted reader root.
    assert sample.exit_code == 1 and "read failed" in sample.output, sample.output
    assert revoked.exit_code == 1
    assert "revoked (list 1, index 0)" in revoked.output, revoked.output
    assert unchecked.exit_code == 0, unchecked.output
    assert "revocation: not checked (no --service-db)" in unchecked.output


def test_vitale_read_refuses_mixed_worlds() -> None:
    """The sample clock with the enrolment PKI, and a service database with the sample PKI,
    are usage errors before any reader is opened."""
    clock = _cli_read("--clock", "sample")
    assert clock.exit_code == 2 and "follows the system clock" in clock.output
    mixed = CliRunner().invoke(main, ["read", "--pcsc", "--service-db", "x.db"])
    assert mixed.exit_code == 2 and "--service-db goes with --pki enrolment" in mixed.output
