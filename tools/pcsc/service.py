"""Start and stop pcscd with the vpcd reader, loopback only, and the emulated holder.

Used by `tools/pcsc/start.sh`, `tools/pcsc/stop.sh`, the reader tests and the benchmark.
Everything lives in one state folder (`$VDC_PCSC_DIR`, default /run/vdc-pcsc): the
private reader configuration, the network namespace, PID files and logs. Only one pcscd
can run on a machine (its socket path is fixed), so a pcscd left by an earlier run is
found by its PID file or its command line and stopped; a pcscd started by someone else
is reported, never killed.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from tools.pcsc import netns

VPCD_PORT = 35963
READERS = ("Virtual PCD 00 00", "Virtual PCD 00 01")
PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")
DRIVER_CANDIDATES = (
    Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so"),
    Path("/usr/local/lib/pcsc/drivers/serial/libifdvpcd.so"),
)


class ServiceError(RuntimeError):
    """pcscd or the emulator could not be started or stopped; the message says why."""


@dataclass(frozen=True)
class Layout:
    """Where the service keeps its files."""

    root: Path

    @classmethod
    def default(cls) -> Layout:
        return cls(Path(os.environ.get("VDC_PCSC_DIR", "/run/vdc-pcsc")))

    @property
    def conf(self) -> Path:
        return self.root / "reader.conf.d"

    @property
    def netns(self) -> Path:
        return self.root / "netns"

    def pid(self, name: str) -> Path:
        return self.root / f"{name}.pid"

    def log(self, name: str) -> Path:
        return self.root / f"{name}.log"


class SessionLock:
    """Machine-wide exclusive use of pcscd by one test session, benchmark or script.

    Only one pcscd can run on a machine, so two test runs at once would stop each
    other's daemon. The holder of this lock owns pcscd; the lock goes with its process,
    so a pcscd found while holding the lock is a leftover and may be stopped.
    """

    def __init__(self, layout: Layout) -> None:
        self.path = layout.root / "session.lock"
        self._file: TextIO | None = None

    def acquire(self, timeout: float = 180.0) -> SessionLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 - held until release()
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    owner = handle.read().strip() or "unknown"
                    handle.close()
                    raise ServiceError(
                        f"pcscd is in use by another run (pid {owner}) for more than "
                        f"{timeout:.0f} s"
                    ) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        return self

    def release(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> SessionLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


_HELD: dict[Path, SessionLock] = {}


def hold(layout: Layout, timeout: float = 180.0) -> None:
    """Take the machine-wide lock for this process (once; `stop_all` gives it back)."""
    if layout.root not in _HELD:
        _HELD[layout.root] = SessionLock(layout).acquire(timeout)


def release(layout: Layout) -> None:
    lock = _HELD.pop(layout.root, None)
    if lock is not None:
        lock.release()


def vpcd_driver() -> Path | None:
    for candidate in DRIVER_CANDIDATES:
        if candidate.exists():
            return candidate
    return None


def missing_components() -> list[str]:
    """What this machine lacks to run the PC/SC tests (empty when all is there)."""
    missing = [tool for tool in ("pcscd", "unshare", "nsenter") if shutil.which(tool) is None]
    if vpcd_driver() is None:
        missing.append("vsmartcard-vpcd (libifdvpcd.so)")
    if os.geteuid() != 0:
        missing.append("root (pcscd and network namespaces need it)")
    return missing


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return Path(f"/proc/{pid}").exists() and _state(pid) != "Z"


def _state(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "X"
    return stat.rpartition(")")[2].split()[0]


def _cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def pcscd_processes() -> list[int]:
    """PIDs of every running pcscd."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "pcscd" and _alive(int(entry.name)):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _terminate(pid: int, timeout: float = 3.0) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _alive(pid):
                return
            time.sleep(0.02)


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def stop_process(layout: Layout, name: str) -> bool:
    """Stop the process recorded in `name`.pid; True when one was running."""
    pid = _read_pid(layout.pid(name))
    layout.pid(name).unlink(missing_ok=True)
    if pid is None or not _alive(pid):
        return False
    _terminate(pid)
    return True


def _ours(pid: int, layout: Layout) -> bool:
    return str(layout.conf) in _cmdline(pid)


def _clear_the_way(layout: Layout) -> None:
    stop_process(layout, "pcscd")
    for pid in pcscd_processes():
        if _ours(pid, layout):
            _terminate(pid)
    others = pcscd_processes()
    if others:
        raise ServiceError(
            f"another pcscd is running (pid {', '.join(map(str, others))}) with its own "
            "configuration; stop it first (only one pcscd can run on a machine)"
        )
    # A pcscd that crashed leaves its socket behind, and the next one would refuse to start.
    for leftover in (PCSCD_SOCKET, PCSCD_SOCKET.with_name("pcscd.pid")):
        leftover.unlink(missing_ok=True)


def _write_config(layout: Layout, driver: Path) -> None:
    layout.conf.mkdir(parents=True, exist_ok=True)
    # Server mode (/dev/null): vpcd listens, but only inside the private namespace.
    (layout.conf / "vpcd").write_text(
        'FRIENDLYNAME "Virtual PCD"\n'
        f"DEVICENAME   /dev/null:0x{VPCD_PORT:04X}\n"
        f"LIBPATH      {driver}\n"
        f"CHANNELID    0x{VPCD_PORT:04X}\n"
    )


def _listening(pid: int, port: int) -> bool:
    try:
        lines = Path(f"/proc/{pid}/net/tcp").read_text().splitlines()[1:]
    except OSError:
        return False
    wanted = f":{port:04X}"
    return any(f[1].endswith(wanted) and f[3] == "0A" for f in (line.split() for line in lines))


def _service_answers() -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.connect(str(PCSCD_SOCKET))
        return True
    except OSError:
        return False


def _tail(path: Path, lines: int = 8) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def start_pcscd(layout: Layout | None = None, *, timeout: float = 10.0, debug: bool = False) -> int:
    """Start pcscd in the foreground inside the namespace; return its PID once ready."""
    layout = layout or Layout.default()
    missing = missing_components()
    if missing:
        raise ServiceError(f"cannot run pcscd with vpcd here; missing: {', '.join(missing)}")
    driver = vpcd_driver()
    assert driver is not None
    # Another test run on this machine may be using pcscd: wait for it to finish.
    hold(layout)
    _clear_the_way(layout)
    layout.root.mkdir(parents=True, exist_ok=True)
    _write_config(layout, driver)
    netns.ensure(layout.netns)
    command = ["nsenter", f"--net={layout.netns}", "pcscd", "--foreground"]
    command += ["--config", str(layout.conf)] + (["--debug"] if debug else [])
    with open(layout.log("pcscd"), "ab") as log:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
        )
    layout.pid("pcscd").write_text(f"{process.pid}\n")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            layout.pid("pcscd").unlink(missing_ok=True)
            raise ServiceError(
                f"pcscd exited with status {process.returncode}:\n{_tail(layout.log('pcscd'))}"
            )
        if _listening(process.pid, VPCD_PORT) and _service_answers():
            return process.pid
        time.sleep(0.02)
    stop_process(layout, "pcscd")
    raise ServiceError(f"pcscd was not ready after {timeout:.0f} s:\n{_tail(layout.log('pcscd'))}")


def start_emulator(layout: Layout | None = None, *, extra: tuple[str, ...] = ()) -> int:
    """Start `vitale emulate` inside the namespace; return its PID once connected.

    With `--control` among the options the holder is the one the conformance suite
    provisions over that socket (`vitale conformance emulate`).
    """
    vitale = Path(sys.executable).with_name("vitale")
    emulate = ["conformance", "emulate"] if "--control" in extra else ["emulate"]
    command = [str(vitale), *emulate, "--vpcd", f"127.0.0.1:{VPCD_PORT}", *extra]
    return start_card_program(command, layout)


def start_card_program(command: list[str], layout: Layout | None = None) -> int:
    """Start a card program inside the namespace, recorded as the emulator; return its PID
    once pcscd sees its card.

    The program connects to vpcd at 127.0.0.1:VPCD_PORT and writes a line holding
    "connected to vpcd" to its standard output or error when it has: `vitale emulate`,
    or another implementation's card (`node conformance/samples/iut-js/main.js --vpcd`).
    """
    layout = layout or Layout.default()
    stop_process(layout, "emulator")
    log_path = layout.log("emulator")
    log_path.write_bytes(b"")
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            ["nsenter", f"--net={layout.netns}", *command],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    layout.pid("emulator").write_text(f"{process.pid}\n")
    deadline = time.monotonic() + 10.0
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServiceError(f"the emulator exited:\n{_tail(log_path)}")
        if "connected to vpcd" in log_path.read_text(errors="replace"):
            # pcscd polls the reader about every 400 ms: wait until it has seen the card.
            from vitale_ref.transport import wait_for_card

            if wait_for_card(READERS[0], max(0.1, deadline - time.monotonic())):
                return process.pid
        time.sleep(0.05)
    stop_process(layout, "emulator")
    raise ServiceError(f"the emulator did not connect to vpcd:\n{_tail(log_path)}")


def stop_all(layout: Layout | None = None) -> None:
    """Stop the emulator and pcscd, release the namespace and the machine-wide lock."""
    layout = layout or Layout.default()
    hold(layout)  # never stop a pcscd that another run is using
    stop_process(layout, "emulator")
    stop_process(layout, "pcscd")
    for pid in pcscd_processes():
        if _ours(pid, layout):
            _terminate(pid)
    netns.remove(layout.netns)
    release(layout)


def main(argv: list[str]) -> int:
    usage = "usage: service.py start [--debug] [--emulator [ARGS...]] | stop | status"
    if not argv or argv[0] not in ("start", "stop", "status"):
        print(usage, file=sys.stderr)
        return 2
    layout = Layout.default()
    try:
        return _run(argv, layout)
    except (ServiceError, netns.NetnsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _run(argv: list[str], layout: Layout) -> int:
    if argv[0] == "start":
        pid = start_pcscd(layout, debug="--debug" in argv)
        print(f"pcscd ready (pid {pid}); readers: {', '.join(READERS)}; logs in {layout.root}")
        if "--emulator" in argv:
            extra = tuple(argv[argv.index("--emulator") + 1 :])
            print(f"emulator connected (pid {start_emulator(layout, extra=extra)})")
    elif argv[0] == "stop":
        stop_all(layout)
        print("pcscd and the emulator are stopped")
    else:
        for name in ("pcscd", "emulator"):
            recorded = _read_pid(layout.pid(name))
            running = recorded is not None and _alive(recorded)
            print(f"{name}: " + (f"running (pid {recorded})" if running else "stopped"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
