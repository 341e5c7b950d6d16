"""Joining a network namespace from one thread (Linux), for cards that connect to vpcd.

Network namespaces are per thread: a thread that joins one with setns(2) makes its
sockets there, and those sockets stay usable from any thread afterwards. The project's
pcscd runs in such a namespace with loopback only (VDC-TRN-008).
"""

from __future__ import annotations

import ctypes
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from vitale_ref.transport._errors import TransportError

CLONE_NEWNET = 0x40000000

T = TypeVar("T")


class NetnsError(TransportError):
    """The namespace could not be entered (it needs root)."""


def default_netns_path() -> Path:
    """The namespace `tools/pcsc/start.sh` keeps pcscd in."""
    return Path(os.environ.get("VDC_PCSC_DIR", "/run/vdc-pcsc")) / "netns"


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
    """Call `function` in a short-lived thread that first joined the namespace."""
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


def netns_connector(
    path: Path, host: str, port: int, timeout: float = 2.0
) -> Callable[[], socket.socket]:
    """A VpcdCardClient connector that connects from inside the namespace."""

    def connect() -> socket.socket:
        return run_in(path, lambda: socket.create_connection((host, port), timeout=timeout))

    return connect
