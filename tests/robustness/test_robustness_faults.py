"""Fault injection: kill the holder emulator and pcscd at random moments of sessions.

Verifies VDC-PIN-900 (with VDC-PIN-013, VDC-PIN-016 and VDC-SM-043 behind it): a holder
process backed by the SQLite device store (robustness_card.py) serves reads through the
real pcscd with vpcd (started by tools/pcsc, loopback-only namespace) to a pyscard
reader. In each round the test unlocks, starts a read with a billing receipt and kills,
after a seeded random delay, either the holder process (possibly in the middle of an
unlock) or pcscd. It then restarts what it killed and checks that the next session
works and that the store holds every completed personal-code try and every
acknowledged receipt exactly once.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.robustness.robustness_card import Clock
from tools.pcsc import service
from vitale_ref.device import HolderDevice
from vitale_ref.device.synthetic import SYNTHETIC_CODE, provision_synthetic
from vitale_ref.errors import VitaleError
from vitale_ref.history import Presentation
from vitale_ref.history import Receipt as HistoryReceipt
from vitale_ref.holder.samples import sample_world
from vitale_ref.pin import MAX_TRIES, VerifierParameters
from vitale_ref.randomness import seeded_random
from vitale_ref.reader import run_read
from vitale_ref.sm import Receipt
from vitale_ref.transport import PcscReaderTransport, TransportError, wait_for_card

CARD_SCRIPT = Path(__file__).with_name("robustness_card.py")
READER = service.READERS[0]
WRONG_CODE = "112358"
# Light enough for a test, heavy enough (tens of ms) for a kill to land inside an unlock.
PARAMETERS = VerifierParameters(memory_kib=8192, iterations=2, lanes=1)
ROUNDS = ("card", "pcscd", "card-unlock", "pcscd", "card", "card-unlock", "card", "pcscd")
WORLD = sample_world()


def _card_present(timeout: float = 10.0, *, present: bool = True) -> bool:
    """wait_for_card, patient with a pcscd that is still starting (RPC errors)."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            return wait_for_card(READER, left, present=present)
        except TransportError:
            time.sleep(0.1)
    return False


@dataclass
class CardProcess:
    """robustness_card.py in its own process group, with its output read by a thread."""

    db: Path
    layout: service.Layout
    clock: Clock
    lines: queue.Queue[str] = field(default_factory=queue.Queue)
    unlock_seconds: float = 0.05
    read_seconds: float = 0.1
    process: subprocess.Popen[str] | None = None
    pcscd_restarts: list[str] = field(default_factory=list)

    def start(self) -> None:
        command = [sys.executable, str(CARD_SCRIPT), str(self.db), str(self.layout.netns)]
        errors = self.db.with_name("card.stderr")
        with open(errors, "w", encoding="utf-8") as stderr:
            self.process = subprocess.Popen(
                [*command, repr(self.clock.epoch)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                start_new_session=True,
            )
        self.lines = queue.Queue()
        threading.Thread(target=self._pump, args=(self.process,), daemon=True).start()
        if _card_present():
            return
        # pcscd's vpcd driver has been seen, twice in about twenty full runs, to stay stuck
        # after a card was killed in the middle of a read: the new card is connected to
        # vpcd and never polled. That is the virtual reader's state, not the holder's, so
        # the test restarts pcscd, as its pcscd rounds do, and counts it (bounded in the
        # test); the store checks that follow are unchanged.
        stuck = self._evidence(errors)
        self.pcscd_restarts.append(stuck)
        os.kill(int(self.layout.pid("pcscd").read_text()), signal.SIGKILL)
        service.start_pcscd(self.layout)
        if not _card_present():
            raise AssertionError(
                f"the store-backed card reached neither pcscd nor a restarted one: "
                f"{self._evidence(errors)}; before the restart: {stuck}"
            )

    def _evidence(self, errors: Path) -> str:
        """The card's own account and pcscd's, for a failure message."""
        assert self.process is not None
        return (
            f"card exit {self.process.poll()}, said {list(self.lines.queue)}, stderr "
            f"{errors.read_text()[-1000:]!r}; pcscd log "
            f"{self.layout.log('pcscd').read_text(errors='replace')[-3000:]!r}"
        )

    def _pump(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.lines.put(line.strip())

    def send_unlock(self, code: str) -> None:
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(f"unlock {code}\n")
        self.process.stdin.flush()

    def unlock_answer(self, timeout: float = 10.0) -> tuple[str, int] | None:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                return None
            if line.startswith("unlock "):
                _, outcome, tries = line.split()
                return outcome, int(tries)
        return None

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=5)
            # pcscd polls the reader: let it see the card gone before the next one comes.
            _card_present(5.0, present=False)
        self.process = None


@dataclass
class Ledger:
    """What the test knows happened, to compare with the store."""

    tries: int = MAX_TRIES
    acknowledged: set[str] = field(default_factory=set)
    attempted: set[str] = field(default_factory=set)
    reads_completed: int = 0
    reads_started: int = 0
    errors: list[str] = field(default_factory=list)


def _read(number: int, clock: Clock, ledger: Ledger) -> bool:
    """One read with a receipt for act R<number>; True when the receipt was acknowledged."""
    act = f"R{number}"
    bill = Receipt(time=clock(), rpps=WORLD.rpps(), act=act, amount_cents=100 + number)
    ledger.attempted.add(act)
    ledger.reads_started += 1
    try:
        with PcscReaderTransport(READER) as transport:
            run_read(
                transport.transmit,
                identity=WORLD.reader(),
                requested=[1, 2, 3, 4],
                verifier=WORLD.verifier,
                random=seeded_random(f"robustness/reader/{number}"),
                now=clock(),
                receipt=bill,
            )
    except VitaleError as error:
        ledger.errors.append(f"R{number}: {error}")
        return False
    ledger.acknowledged.add(act)
    ledger.reads_completed += 1
    return True


def _unlock(card: CardProcess, code: str, ledger: Ledger) -> None:
    card.send_unlock(code)
    answer = card.unlock_answer()
    expected = MAX_TRIES if code == SYNTHETIC_CODE else ledger.tries - 1
    assert answer == ("UNLOCKED" if code == SYNTHETIC_CODE else "WRONG_CODE", expected)
    ledger.tries = expected


def _check_store(db: Path, clock: Clock, ledger: Ledger, in_flight: str | None) -> None:
    """Tries and history in the store against the ledger (VDC-PIN-900)."""
    with HolderDevice.open(db, create=False) as device:
        tries = device.status(clock()).tries_remaining
        history = device.history(clock())
    allowed = {ledger.tries}
    if in_flight is not None:  # a torn unlock costs its try, or completed (VDC-PIN-016)
        allowed.add(ledger.tries - 1)
        if in_flight == SYNTHETIC_CODE:
            allowed.add(MAX_TRIES)
    assert tries in allowed, (tries, allowed)
    ledger.tries = tries
    receipts = Counter(e.act for e in history if isinstance(e, HistoryReceipt))
    assert all(count == 1 for count in receipts.values()), receipts
    assert ledger.acknowledged <= set(receipts) <= ledger.attempted
    presentations = sum(isinstance(e, Presentation) for e in history)
    assert ledger.reads_completed <= presentations <= ledger.reads_started


def _round(
    kind: str, number: int, rng: random.Random, card: CardProcess, ledger: Ledger
) -> str | None:
    """Run one faulty round; return the code of an unlock cut short, if any."""
    if kind == "card-unlock":
        code = rng.choice([WRONG_CODE, SYNTHETIC_CODE])
        card.send_unlock(code)
        time.sleep(rng.uniform(0.0, card.unlock_seconds))
        card.kill()
        return code
    _unlock(card, WRONG_CODE, ledger)
    _unlock(card, SYNTHETIC_CODE, ledger)
    failures: list[BaseException] = []

    def read() -> None:
        try:
            _read(number, card.clock, ledger)
        except BaseException as error:  # surfaced in the test thread below
            failures.append(error)

    session = threading.Thread(target=read)
    session.start()
    time.sleep(rng.uniform(0.05, 0.95) * card.read_seconds)
    if kind == "card":
        card.kill()
    else:
        pid = int(card.layout.pid("pcscd").read_text())
        os.kill(pid, signal.SIGKILL)
    session.join(30)
    assert not session.is_alive()
    if failures:
        raise failures[0]
    return None


def test_kills_lose_and_duplicate_nothing(pcsc_layout: service.Layout, tmp_path: Path) -> None:
    """VDC-PIN-900: random kills of the holder and of pcscd; the store stays exact."""
    clock = Clock(time.time())  # the card processes share its epoch
    db = tmp_path / "device.sqlite3"
    with HolderDevice.open(db) as device:
        provision_synthetic(
            device,
            code=SYNTHETIC_CODE,
            random=seeded_random("robustness/device"),
            now=clock(),
            parameters=PARAMETERS,
        )
    rng = random.Random(900)
    ledger = Ledger()
    card = CardProcess(db, pcsc_layout, clock)
    card.start()
    try:
        # Calibration: how long an unlock and a complete read take on this machine.
        start = time.monotonic()
        _unlock(card, SYNTHETIC_CODE, ledger)
        card.unlock_seconds = time.monotonic() - start
        start = time.monotonic()
        assert _read(0, clock, ledger), f"the first session failed: {ledger.errors}"
        card.read_seconds = time.monotonic() - start
        for number, kind in enumerate(ROUNDS, start=1):
            in_flight = _round(kind, number, rng, card, ledger)
            if kind == "pcscd":
                service.start_pcscd(pcsc_layout)
                assert _card_present(), "the card did not reconnect to pcscd"
            if card.process is None:
                card.start()
            _check_store(db, clock, ledger, in_flight)
            # The next session works: unlock and a complete read with its receipt.
            _unlock(card, SYNTHETIC_CODE, ledger)
            assert _read(100 + number, clock, ledger), (
                f"session after round {number} failed: {ledger.errors[-1:]}"
            )
            _check_store(db, clock, ledger, None)
    finally:
        card.kill()
    assert ledger.reads_completed >= len(ROUNDS)
    assert ledger.reads_started > ledger.reads_completed, "no kill landed inside a session"
    assert len(card.pcscd_restarts) <= 2, card.pcscd_restarts


if not CARD_SCRIPT.is_file():  # pragma: no cover - packaging guard
    pytest.fail("robustness_card.py is missing", pytrace=False)
