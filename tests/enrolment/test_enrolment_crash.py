"""Crash injection: SIGKILL before each SQLite statement of whole enrolments.

Verifies VDC-ENR-080 and VDC-ENR-081. A forked child runs enrolment traces against
file databases and kills itself with SIGKILL when its N-th statement starts (counted
with `set_trace_callback`), for every N. After each crash every database must equal,
table by table, the reference state before or after the step in progress: no
enrolment is half-written and the outbox holds no duplicate or lost message.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from vitale_ref.enrolment import samples
from vitale_ref.enrolment.traces import SCENARIOS, TraceRunner

SCENARIO_NAMES = (
    "fi-active",
    "document-active-with-retries",
    "second-phone-replaces",
    "rejected",
    "captures-exhausted-face",
    "lock-then-new-code",
)
CHOSEN = [s for s in SCENARIOS if s.name in SCENARIO_NAMES]
Snapshot = tuple[tuple[tuple[object, ...], ...], ...]
_TABLES = ("enrolments", "captures", "outbox", "credentials")


def snapshot(path: Path) -> Snapshot:
    """Every row of every table in a stable order; () when no schema was committed."""
    if not path.exists():
        return ()
    connection = sqlite3.connect(path)
    try:
        names = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        if not set(_TABLES) <= names:
            return ()
        rows = tuple(
            tuple(connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall())
            for table in _TABLES
        )
        return rows if any(rows) else ()
    finally:
        connection.close()


def _run_all(
    directory: Path,
    after_step: Callable[[int, int], None],
    on_statement: Callable[[str], None] | None = None,
) -> None:
    for index, scenario in enumerate(CHOSEN):
        path = directory / f"{index}.db"
        service = samples.make_service(seed=f"crash/{scenario.name}", path=str(path))
        # A killed process loses nothing the OS already holds, so skipping fsync keeps
        # the test fast without weakening what it checks (power loss is out of scope).
        service.store.connection.execute("PRAGMA synchronous = OFF")
        if on_statement is not None:
            service.store.connection.set_trace_callback(on_statement)
        runner = TraceRunner(scenario.start, service)
        for number, (offset, slot, raw) in enumerate(scenario.steps):
            runner.step(offset, slot, raw)
            after_step(index, number)
        service.store.close()


def _reference(directory: Path) -> tuple[list[list[Snapshot]], int]:
    """shots[i][k]: database of scenario i after its first k steps; and the statement count."""
    shots: list[list[Snapshot]] = [[()] for _ in CHOSEN]
    counter = [0]

    def after_step(index: int, number: int) -> None:
        shots[index].append(snapshot(directory / f"{index}.db"))

    def on_statement(_: str) -> None:
        counter[0] += 1

    _run_all(directory, after_step, on_statement)
    return shots, counter[0]


def _crash_at(directory: Path, kill_at: int) -> tuple[bool, list[tuple[int, int]]]:
    """Run a child that dies at statement `kill_at`; (killed?, steps it reported done)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns into the test runner
        os.close(read_fd)
        counter = [0]

        def on_statement(_: str) -> None:
            counter[0] += 1
            if counter[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

        def after_step(index: int, number: int) -> None:
            os.write(write_fd, f"{index} {number}\n".encode())

        try:
            _run_all(directory, after_step, on_statement)
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks = []
    while chunk := os.read(read_fd, 65536):
        chunks.append(chunk)
    os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    done = [tuple(map(int, line.split())) for line in b"".join(chunks).decode().splitlines()]
    return killed, [(i, n) for i, n in done]


def _check_after_crash(
    directory: Path, shots: list[list[Snapshot]], done: list[tuple[int, int]]
) -> None:
    last_index, last_number = done[-1] if done else (0, -1)
    finished_last = last_number + 1 == len(CHOSEN[last_index].steps)
    for index in range(len(CHOSEN)):
        if index < last_index:
            allowed = [shots[index][-1]]
        elif index == last_index:
            completed = last_number + 1
            allowed = shots[index][completed : completed + 2]
        elif index == last_index + 1 and finished_last:
            allowed = shots[index][0:2]
        else:
            allowed = [()]
        found = snapshot(directory / f"{index}.db")
        assert found in allowed, f"scenario {CHOSEN[index].name}: a mix after a crash"


KILL_POINTS = 200


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """A memory-backed folder when the system has one: a process kill, not the disk, is
    under test, and hundreds of small databases are much faster there."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="vdc-crash-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_crash_at_any_statement_leaves_previous_or_next_state(scratch: Path) -> None:
    """After SIGKILL at 200 statements spread over the run, each database is whole."""
    (scratch / "reference").mkdir()
    shots, total = _reference(scratch / "reference")
    assert total > KILL_POINTS
    points = sorted({1 + (i * total) // KILL_POINTS for i in range(KILL_POINTS)})
    for kill_at in points:
        directory = scratch / f"crash{kill_at}"
        directory.mkdir()
        killed, done = _crash_at(directory, kill_at)
        assert killed, f"the child was not killed at statement {kill_at} of {total}"
        _check_after_crash(directory, shots, done)
    assert len(points) == KILL_POINTS
    directory = scratch / "complete"
    directory.mkdir()
    killed, done = _crash_at(directory, total + 1)
    assert not killed and len(done) == sum(len(s.steps) for s in CHOSEN)
    for index in range(len(CHOSEN)):
        assert snapshot(directory / f"{index}.db") == shots[index][-1]


def test_outbox_ids_name_enrolment_and_transition(scratch: Path) -> None:
    """VDC-ENR-081: message ids are <enrolment>/<version>/<n>, so a replay cannot duplicate."""
    (scratch / "reference").mkdir()
    shots, _ = _reference(scratch / "reference")
    outbox = [row for scenario in shots for row in scenario[-1][2]] if shots else []
    ids = [str(row[0]) for row in outbox]
    assert len(ids) == len(set(ids)) > 10
    for row in outbox:
        enrolment, version, number = str(row[0]).split("/")
        assert enrolment == row[1] and int(version) >= 1 and int(number) >= 0
