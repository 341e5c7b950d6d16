"""A private network namespace holding vpcd's listening sockets (VDC-TRN-008).

Debian's vpcd listens on every interface. pcscd is therefore started inside a network
namespace of its own whose only interface is loopback: its vpcd port is reachable from
that namespace alone, never from another host. PC/SC clients are unaffected, since they
reach pcscd through its Unix socket, which belongs to the file system, not to a network
namespace. A card joins the namespace to connect (`nsenter --net=PATH`, or
`netns_connector` from Python).
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import socket
import struct
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

CLONE_NEWNET = 0x40000000
SIOCSIFFLAGS = 0x8914
IFF_UP_LOOPBACK_RUNNING = 0x1 | 0x8 | 0x40

T = TypeVar("T")


class NetnsError(RuntimeError):
    """The namespace could not be made or entered (needs root and util-linux)."""


def is_mounted(path: Path) -> bool:
    """Whether `path` is a bind mount (a kept namespace)."""
    target = str(path)
    with open("/proc/self/mountinfo", encoding="utf-8") as mounts:
        return any(line.split()[4] == target for line in mounts)


def _setns(path: Path) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            errno = ctypes.get_errno()
            raise NetnsError(f"cannot enter network namespace {path}: {os.strerror(errno)}")
    finally:
        os.close(fd)


def run_in(path: Path, function: Callable[[], T]) -> T:
    """Call `function` in a short-lived thread that first joined the namespace.

    Network namespaces are per thread: sockets made there belong to the namespace and
    stay usable from any thread afterwards.
    """
    result: list[T] = []
    failure: list[BaseException] = []

    def body() -> None:
        try:
            _setns(path)
            result.append(function())
        except BaseException as error:
            failure.append(error)

    thread = threading.Thread(target=body, name="netns", daemon=True)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return result[0]


def _loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", IFF_UP_LOOPBACK_RUNNING))


def ensure(path: Path) -> Path:
    """Make (or keep) the namespace bound at `path`, with loopback up."""
    if not is_mounted(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        done = subprocess.run(
            ["unshare", f"--net={path}", "true"], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise NetnsError(f"unshare --net={path} failed: {done.stderr.strip()}")
    run_in(path, _loopback_up)
    return path


def remove(path: Path) -> None:
    """Release the namespace (processes still inside keep it alive until they end)."""
    if is_mounted(path):
        subprocess.run(["umount", str(path)], capture_output=True, check=False)
    path.unlink(missing_ok=True)


def connector(
    path: Path, host: str, port: int, timeout: float = 2.0
) -> Callable[[], socket.socket]:
    """A connector for VpcdCardClient that connects from inside the namespace."""

    def connect() -> socket.socket:
        return run_in(path, lambda: socket.create_connection((host, port), timeout=timeout))

    return connect
