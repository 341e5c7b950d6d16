"""The commands of the holder app: enrol, unlock, present and history, end to end.

Verifies VDC-PIN-021 and VDC-PIN-022 through `vitale present --store` and
`vitale emulate --store`, VDC-HIST-001 and VDC-HIST-002 through `vitale holder history`,
and VDC-ENR-013 with VDC-CRED-053 (a replaced phone refused by a checking reader).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from tests.app.app_support import ENROLLED_AT, PIN, enrol
from vitale_ref.app import WorldReader
from vitale_ref.cli import main
from vitale_ref.device import HolderDevice
from vitale_ref.enrolment.samples import CAMILLE
from vitale_ref.pki import TestPKI
from vitale_ref.randomness import seeded_random
from vitale_ref.reader import ReaderError
from vitale_ref.transport._nfc import NfcReaderTransport, free_udp_port

VITALE = str(Path(sys.executable).with_name("vitale"))
UNLOCK = (ENROLLED_AT + timedelta(hours=1)).isoformat()
PRESENT = (ENROLLED_AT + timedelta(hours=1, seconds=10)).isoformat()
LATER = (ENROLLED_AT + timedelta(hours=2)).isoformat()
DOCTOR = "19999999006"


def _run(*arguments: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [VITALE, *arguments], input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


def test_the_vitale_executable_enrols_unlocks_presents_and_shows_history(tmp_path: Path) -> None:
    """Four real processes share the store: the last shows the read and the receipt."""
    store = str(tmp_path / "holder.db")
    answers = f"{CAMILLE.nir}\nios\n17\n2022-05-01\n{PIN}\n{PIN}\n"
    now = ("--now", ENROLLED_AT.isoformat())
    enrolled = _run("enrol", "--store", store, "--route", "france-identite", *now, stdin=answers)
    assert enrolled.returncode == 0, enrolled.stderr
    assert "Active: EXEMPLE Camille (france-identite route)" in enrolled.stdout
    unlocked = _run(
        "holder", "unlock", "--store", store, "--code-stdin", "--now", UNLOCK, stdin=PIN
    )
    assert unlocked.stdout == "unlocked: presentation armed until 2026-06-01T13:01:00Z (60 s)\n"
    presented = _run("present", "--store", store, "--now", PRESENT)
    assert presented.returncode == 0, presented.stderr
    assert "trace: 4 command/response pairs" in presented.stdout
    assert "revocation: checked against the status list published from" in presented.stdout
    assert "    2 family_name    EXEMPLE\n    3 given_names    Camille\n" in presented.stdout
    assert "receipt acknowledged: yes\nfiled in the holder's history: 2 entries" in (
        presented.stdout
    )
    history = _run("holder", "history", "--store", store, "--now", LATER)
    assert history.stdout.splitlines() == [
        f"2026-06-01T13:00:10Z  receipt       practitioner {DOCTOR}  act G  30.00 EUR",
        f"2026-06-01T13:00:10Z  presentation  reader {DOCTOR}  elements: nir, family_name,"
        " given_names, birth_date, birth_rank, quality, affiliation, rights",
    ]


def _present(store: Path, *arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["present", "--store", str(store), "--now", PRESENT, *arguments]
    )
    return result.exit_code, result.output


def test_present_refusals_are_one_line_errors(tmp_path: Path) -> None:
    """No unlock: 6982 and nothing filed; a replaced phone: revoked; no store: exit 1."""
    first = enrol(tmp_path, "france-identite", phone="phone-1")
    code, output = _present(first.store, "--service-db", str(first.service_db))
    assert code == 1
    assert "filed in the holder's history: 0 entries" in output
    assert output.endswith("Error: read failed: READ answered 6982 (holder presence not armed)\n")
    second_at = ENROLLED_AT - timedelta(minutes=30)
    enrol(tmp_path, "france-identite", phone="phone-2", at=second_at)
    with HolderDevice.open(first.store) as device:
        device.unlock(PIN, datetime.fromisoformat(UNLOCK))
    code, output = _present(first.store, "--service-db", str(first.service_db))
    assert code == 1
    assert output.endswith(
        "Error: read failed: holder sent invalid data: revoked (list 1, index 0)\n"
    )
    code, output = _present(tmp_path / "nothing.db")
    assert (code, output) == (1, f"Error: no holder store at {tmp_path / 'nothing.db'}\n")
    code, output = _present(first.store, "--service-db", str(tmp_path / "none.db"))
    assert (code, output) == (
        1,
        f"Error: no enrolment service database at {tmp_path / 'none.db'}\n",
    )


def test_emulate_presents_the_enrolled_holder_over_nfc(tmp_path: Path, pki: TestPKI) -> None:
    """`vitale emulate --nfc ... --store`: refused before unlock, read after (VDC-PIN-021)."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=15)
    enrolled = enrol(tmp_path, "france-identite", at=start)
    path = f"udp:127.0.0.1:{free_udp_port()}"
    card = subprocess.Popen(
        [VITALE, "emulate", "--nfc", path, "--store", str(enrolled.store)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        reader = WorldReader(pki=pki, name="nurse")
        refused = _read_over_nfc(path, reader)
        assert refused == "READ answered 6982 (holder presence not armed)"
        with HolderDevice.open(enrolled.store) as device:
            device.unlock(PIN, datetime.now(UTC))
        assert _read_over_nfc(path, reader) == "read"
    finally:
        card.send_signal(signal.SIGTERM)
        card.wait(timeout=10)
    with HolderDevice.open(enrolled.store) as device:
        kinds = [entry.kind for entry in device.history(datetime.now(UTC))]
    assert sorted(kinds) == ["presentation", "receipt"]
    assert card.returncode == 0, card.stderr.read() if card.stderr else ""


def _read_over_nfc(path: str, reader: WorldReader) -> str:
    """The reader's verdict on one read through nfcpy's udp link (retried until it listens)."""
    deadline = time.monotonic() + 10
    while True:
        try:
            with NfcReaderTransport(path) as transport:
                try:
                    reader.read(
                        transport.transmit,
                        now=datetime.now(UTC),
                        random=seeded_random(f"app-test/nfc/{os.getpid()}"),
                        requested=(1, 2, 3, 4),
                    )
                except ReaderError as error:
                    return str(error)
                return "read"
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
