"""Crash injection: a real child process is killed (SIGKILL) at every SQL statement of
an unlock, a history recording and a re-enrolment, and inside the comparison; then at
seeded random instants while it loops over unlocks (which lands kills inside SQLite's
own commit work too). The store is then reopened and its invariants checked.

Verifies VDC-PIN-013, VDC-PIN-014, VDC-PIN-016, VDC-PIN-018, VDC-PIN-020, VDC-HIST-006.

The child is forked from the test process (no interpreter start-up, so 150+ kills take
a few seconds) and kills itself from SQLite's trace callback, which runs just before
each statement; kill point n therefore means "after statement n - 1 completed". The
Argon2id cost is the test-only set (TEST_ONLY_PARAMETERS) to keep the run short; the
control flow under test does not depend on the cost.
"""

from __future__ import annotations

import hmac
import os
import random
import shutil
import signal
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NoReturn

import pytest

from tests._support import unavailable
from vitale_ref.device import HolderDevice
from vitale_ref.device.synthetic import SYNTHETIC_CODE, provision_synthetic
from vitale_ref.pin import TEST_ONLY_PARAMETERS, UnlockOutcome
from vitale_ref.randomness import seeded_random


@pytest.fixture(autouse=True)
def _needs_fork() -> None:
    """The crash points are reached in forked children (POSIX); elsewhere a CI failure."""
    if not hasattr(os, "fork"):
        unavailable("needs os.fork (POSIX)")


T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
WRONG = "999990"
NEW_CODE = "731904"
COMPARE = -1  # kill point: inside the comparison, after the marker is written
MAX_STATEMENTS = 20


@dataclass(frozen=True)
class Run:
    killed: bool
    compared: bool


def _child(path: Path, action: str, kill_at: int, marker: int) -> NoReturn:
    status = 3
    try:
        statements = 0

        def trace(_statement: str) -> None:
            nonlocal statements
            statements += 1
            if statements == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

        real = hmac.compare_digest

        def compare(a: bytes, b: bytes) -> bool:
            os.write(marker, b"C")
            if kill_at == COMPARE:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(a, b)

        hmac.compare_digest = compare  # type: ignore[assignment]
        with HolderDevice.open(path, trace=trace) as device:
            _ACTIONS[action](device)
        status = 0
    finally:
        os._exit(status)


def _run(path: Path, action: str, kill_at: int) -> Run:
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        os.close(read_end)
        _child(path, action, kill_at, write_end)
    os.close(write_end)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(read_end, "rb") as marker:
        compared = marker.read() != b""
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    assert killed or (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0), status
    return Run(killed=killed, compared=compared)


def _unlock(code: str) -> Callable[[HolderDevice], None]:
    def unlock(device: HolderDevice) -> None:
        device.unlock(code, T0)

    return unlock


def _record(device: HolderDevice) -> None:
    later = T0 + timedelta(days=8)
    device.record_presentation(reader_rpps="10000000001", elements=(1, 2), at=later, now=later)


def _reenrol(device: HolderDevice) -> None:
    provision_synthetic(
        device,
        code=NEW_CODE,
        random=seeded_random("reenrol"),
        now=T0,
        parameters=TEST_ONLY_PARAMETERS,
    )


_ACTIONS: dict[str, Callable[[HolderDevice], None]] = {
    "right": _unlock(SYNTHETIC_CODE),
    "wrong": _unlock(WRONG),
    "record": _record,
    "reenrol": _reenrol,
}


def _snapshot(path: Path) -> dict[str, object]:
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        row = db.execute(
            "SELECT tries_remaining, blocked, armed_until_us, pin_salt, pin_digest,"
            " device_key_pkcs8, credential FROM holder"
        ).fetchone()
        history = db.execute("SELECT count(*), max(at_us) FROM history").fetchone()
    tries, blocked, armed, salt, digest, key, credential = row
    assert blocked == (tries == 0)
    return {
        "tries": tries,
        "armed": armed,
        "secrets": (salt, digest, key, credential),
        "history": history,
    }


def _template(directory: Path, tries: int) -> Path:
    path = directory / f"template-{tries}.sqlite"
    with HolderDevice.open(path) as device:
        provision_synthetic(
            device,
            code=SYNTHETIC_CODE,
            random=seeded_random("crash"),
            now=T0,
            parameters=TEST_ONLY_PARAMETERS,
        )
        device.record_presentation(reader_rpps="10000000001", elements=(1,), at=T0, now=T0)
        for _ in range(5 - tries):
            device.unlock(WRONG, T0)
    return path


def _check_unlock(
    action: str, start: int, before: dict[str, object], after: dict[str, object], run: Run
) -> None:
    tries = after["tries"]
    assert isinstance(tries, int)
    assert after["secrets"] == before["secrets"]
    assert after["history"] == before["history"]
    if start == 0:
        # VDC-PIN-012: blocked, nothing evaluated, nothing changed.
        assert (tries, run.compared) == (0, False)
        return
    if action == "wrong":
        # VDC-PIN-016: never up; decremented once the comparison has started.
        assert tries == start - 1 if run.compared else tries in {start, start - 1}
        assert after["armed"] is None
    else:
        assert tries in {start, start - 1, 5}
        if run.compared is False:
            assert tries in {start, start - 1}
        # VDC-PIN-014: the reset and the arming are one transaction.
        assert (after["armed"] is not None) == (tries == 5 and (start < 5 or run.compared))
    if not run.killed:
        assert tries == (5 if action == "right" else start - 1)


def _next_unlock_works(path: Path, tries: int) -> None:
    with HolderDevice.open(path) as device:
        result = device.unlock(SYNTHETIC_CODE, T0 + timedelta(minutes=5))
    expected = UnlockOutcome.BLOCKED if tries == 0 else UnlockOutcome.UNLOCKED
    assert result.outcome is expected


def test_device_crash_injection(tmp_path: Path) -> None:
    """VDC-PIN-016, VDC-PIN-018: kill at every statement; previous or next state only."""
    templates = {tries: _template(tmp_path, tries) for tries in range(6)}
    points: set[tuple[str, int, int]] = set()
    outcomes: dict[str, set[int]] = {"wrong": set(), "right": set()}
    work = tmp_path / "work.sqlite"
    for start, template in templates.items():
        for action in ("wrong", "right"):
            for kill_at in (COMPARE, *range(1, MAX_STATEMENTS)):
                shutil.copy(template, work)
                before = _snapshot(work)
                run = _run(work, action, kill_at)
                HolderDevice.open(work).close()  # recovery of a hot journal, if any
                after = _snapshot(work)
                _check_unlock(action, start, before, after, run)
                assert isinstance(after["tries"], int)
                _next_unlock_works(work, after["tries"])
                if run.killed:
                    points.add((action, start, kill_at))
                    outcomes[action].add(start - int(after["tries"]))
                else:
                    break
    points |= _crash_record_and_reenrol(templates, work)
    print(f"crash injection: {len(points)} distinct kill points")
    assert len(points) >= 120, len(points)
    # Both sides of the decrement were hit: the torn try is taken, an early kill is free.
    assert outcomes["wrong"] == {0, 1}
    assert {0, 1} <= outcomes["right"]


def _crash_record_and_reenrol(templates: dict[int, Path], work: Path) -> set[tuple[str, int, int]]:
    """VDC-HIST-006, VDC-PIN-020: history recording and re-enrolment are atomic."""
    points: set[tuple[str, int, int]] = set()
    for action, start in (("record", 5), ("record", 2), ("reenrol", 0), ("reenrol", 3)):
        for kill_at in range(1, MAX_STATEMENTS):
            shutil.copy(templates[start], work)
            before = _snapshot(work)
            run = _run(work, action, kill_at)
            HolderDevice.open(work).close()
            after = _snapshot(work)
            if action == "record":
                assert after["secrets"] == before["secrets"]
                assert after["tries"] == start
                # Before: one entry of T0. After: purged and replaced by the new one.
                later = T0 + timedelta(days=8) - datetime(1970, 1, 1, tzinfo=UTC)
                new = (1, later // timedelta(microseconds=1))
                assert after["history"] in {before["history"], new}
                assert run.killed or after["history"] == new
            else:
                old = (before["tries"], before["secrets"], before["history"])
                now = (after["tries"], after["secrets"], after["history"])
                assert now == old or (now[0] == 5 and now[1] != old[1] and now[2] == (0, None))
                assert run.killed or now[0] == 5
            if not run.killed:
                break
            points.add((action, start, kill_at))
    return points


PATTERN = (WRONG, WRONG, SYNTHETIC_CODE)
TIMED_KILLS = 80


def _looping_child(path: Path, marker: int) -> NoReturn:
    status = 3
    try:
        real = hmac.compare_digest

        def compare(a: bytes, b: bytes) -> bool:
            os.write(marker, b"C")
            return real(a, b)

        hmac.compare_digest = compare  # type: ignore[assignment]
        with HolderDevice.open(path) as device:
            for attempt in range(1000):
                device.unlock(PATTERN[attempt % len(PATTERN)], T0)
                os.write(marker, b"R")
        status = 0
    finally:
        os._exit(status)


def _kill_after(path: Path, delay: float) -> bytes:
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        os.close(read_end)
        _looping_child(path, write_end)
    os.close(write_end)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    with os.fdopen(read_end, "rb") as marker:
        return marker.read()


def _allowed(log: bytes) -> set[int]:
    """Counter values the spec allows after the attempts the log shows (VDC-PIN-016)."""
    completed = log.count(b"R")
    tries = 5
    for attempt in range(completed):
        tries = 5 if PATTERN[attempt % len(PATTERN)] == SYNTHETIC_CODE else tries - 1
    pending_right = PATTERN[completed % len(PATTERN)] == SYNTHETIC_CODE
    compared = log.endswith(b"C")
    allowed = {tries - 1} if compared else {tries, tries - 1}
    return allowed | {5} if pending_right else allowed


def test_device_crash_at_random_instants(tmp_path: Path) -> None:
    """VDC-PIN-016, VDC-PIN-018: SIGKILL at seeded random instants of a run of unlocks."""
    template = _template(tmp_path, 5)
    work = tmp_path / "timed.sqlite"
    delays = random.Random("vdc-pin-crash").sample(range(80_000), TIMED_KILLS)
    logs = []
    for microseconds in delays:
        shutil.copy(template, work)
        log = _kill_after(work, microseconds / 1e6)
        HolderDevice.open(work).close()
        after = _snapshot(work)
        assert after["tries"] in _allowed(log), (log, after["tries"])
        assert isinstance(after["tries"], int)
        _next_unlock_works(work, after["tries"])
        logs.append(log)
    print(f"timed crash injection: {TIMED_KILLS} kills, {len(set(logs))} distinct progress logs")
    assert any(b"C" in log for log in logs)
