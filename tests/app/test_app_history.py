"""Events are filed with the response, once (VDC-HIST-007, VDC-HIST-008).

A store that cannot take the entry withholds the response (6F00, session ended); a
holder process killed before each SQL statement of a presentation leaves a history that
shows every response that left, and never an entry twice.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from tests.app.app_support import PIN, PRESENT_AT, UNLOCK_AT, enrol, open_app, read
from vitale_ref.apdu import INS
from vitale_ref.app import AppLink, HolderApp, WorldReader
from vitale_ref.device import HolderDevice
from vitale_ref.holder import State
from vitale_ref.pki import TestPKI
from vitale_ref.randomness import seeded_random
from vitale_ref.reader import ReaderError


def test_a_read_whose_entry_cannot_be_filed_discloses_nothing(tmp_path: Path, pki: TestPKI) -> None:
    """VDC-HIST-007: the READ response is replaced by 6F00 and the session ends."""
    enrolled = enrol(tmp_path, "france-identite")
    with open_app(enrolled.store, pki) as app:
        app.device.unlock(PIN, UNLOCK_AT)
        with sqlite3.connect(enrolled.store) as other:
            other.execute("DROP TABLE history")
        link, result = read(app, WorldReader(pki=pki))
        assert isinstance(result, ReaderError)
        assert (str(result), result.sw) == (
            "READ answered 6F00 (internal error, no precise diagnosis)",
            0x6F00,
        )
        assert [e.response for e in link.exchanges][-1] == b"\x6f\x00"
        assert app.state is State.IDLE


def _present_then_die(store: Path, pki: TestPKI, kill_at: int, report: int) -> None:
    """Child process: count SQL statements; die before statement `kill_at`.

    Writes one byte per response the app released: R for the READ, F for FILE RECEIPT.
    """
    seen = 0

    def trace(_statement: str) -> None:
        nonlocal seen
        seen += 1
        if seen == kill_at:
            os._exit(9)

    app = HolderApp.open(
        store,
        random=seeded_random("app-test/holder"),
        reader_root=pki.reader_root.certificate,
        trace=trace,
    )
    link = AppLink(app, PRESENT_AT)
    transmit = link.transmit

    def reporting(command: bytes) -> bytes:
        response = transmit(command)
        if command[1] == INS.READ and response.endswith(b"\x90\x00"):
            os.write(report, b"R")
        if command[1] == INS.RECEIPT and response.endswith(b"\x90\x00"):
            os.write(report, b"F")
        return response

    try:
        WorldReader(pki=pki).read(
            reporting, now=PRESENT_AT, random=seeded_random("app-test/reader")
        )
    except BaseException as error:
        os.write(report, repr(error).encode())
    finally:
        os.write(report, f"|{seen}".encode())
        os._exit(0)


def _run_child(store: Path, pki: TestPKI, kill_at: int) -> tuple[str, int]:
    """(bytes the child reported, its exit status)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child ends with os._exit
        os.close(read_end)
        _present_then_die(store, pki, kill_at, write_end)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 64):
        chunks.append(chunk)
    os.close(read_end)
    _, status = os.waitpid(pid, 0)
    return b"".join(chunks).decode(), os.waitstatus_to_exitcode(status)


def test_a_kill_before_any_statement_neither_loses_nor_duplicates(
    tmp_path: Path, pki: TestPKI
) -> None:
    """VDC-HIST-007, VDC-HIST-008: for every kill point, a released READ or receipt
    acknowledgement has its entry, and each kind is filed at most once."""
    enrolled = enrol(tmp_path, "france-identite")
    with HolderDevice.open(enrolled.store) as device:
        device.unlock(PIN, UNLOCK_AT)
    pristine = enrolled.store.read_bytes()
    full, code = _run_child(enrolled.store, pki, kill_at=0)
    assert code == 0 and full.startswith("RF|")
    statements = int(full.split("|")[1])
    outcomes = set()
    for kill_at in range(1, statements + 1):
        enrolled.store.write_bytes(pristine)
        reported, code = _run_child(enrolled.store, pki, kill_at)
        assert code == 9, (kill_at, reported)
        with HolderDevice.open(enrolled.store) as device:
            kinds = [entry.kind for entry in device.history(PRESENT_AT)]
        assert sorted(kinds) in ([], ["presentation"], ["presentation", "receipt"])
        if "R" in reported:
            assert "presentation" in kinds, kill_at
        if "F" in reported:
            assert "receipt" in kinds, kill_at
        outcomes.add((reported, len(kinds)))
    # Killed up to the COMMIT of the presentation: nothing filed, nothing released; from
    # then to the COMMIT of the receipt: the READ left and its entry is there.
    assert outcomes == {("", 0), ("R", 1)}
    # The open reads the schema and the window once each to check them (VDC-PIN-024).
    assert statements == 17
