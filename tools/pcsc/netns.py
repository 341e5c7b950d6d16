"""A private network namespace holding vpcd's listening sockets (VDC-TRN-008).

Debian's vpcd listens on every interface. pcscd is therefore started inside a network
namespace of its own whose only interface is loopback: its vpcd port is reachable from
that namespace alone, never from another host. PC/SC clients are unaffected, since they
reach pcscd through its Unix socket, which belongs to the file system, not to a network
namespace. A card joins the namespace to connect (`nsenter --net=PATH`, or
`netns_connector` from Python).
"""

from __future__ import annotations

import fcntl
import socket
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

from vitale_ref.transport._netns import NetnsError, netns_connector, run_in

SIOCSIFFLAGS = 0x8914
IFF_UP_LOOPBACK_RUNNING = 0x1 | 0x8 | 0x40

__all__ = ["NetnsError", "connector", "ensure", "is_mounted", "remove", "run_in"]


def is_mounted(path: Path) -> bool:
    """Whether `path` is a bind mount (a kept namespace)."""
    target = str(path)
    with open("/proc/self/mountinfo", encoding="utf-8") as mounts:
        return any(line.split()[4] == target for line in mounts)


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
    return netns_connector(path, host, port, timeout)
