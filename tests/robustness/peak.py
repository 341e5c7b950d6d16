"""Peak resident memory of a Python snippet run in a child process (VDC-NFC-902).

tracemalloc sees only Python's allocator; a regular expression's backtracking stack or
a buffer of the C library is invisible to it. The child therefore measures itself from
the kernel's side: it resets its peak resident set size (`/proc/self/clear_refs`, "5"),
runs the attack and reports how far `VmHWM` rose above the resident size it started
from. Everything the snippet imports or sets up before `begin()` is not counted.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

MIB = 1 << 20
ROOT = Path(__file__).resolve().parents[2]

PRELUDE = """
import sys

def _status(key):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key):
                return int(line.split()[1]) * 1024
    raise RuntimeError(key)

_BASE = []

def begin():
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    _BASE.append(_status("VmRSS:"))

def end():
    print(f"PEAK {_status('VmHWM:') - _BASE[0]}", file=sys.stderr, flush=True)
"""


def run_measured(body: str, *, stdin: bytes = b"", timeout: float = 60.0) -> tuple[int, str]:
    """Run PRELUDE + body in a child; return (peak growth in bytes, its standard output).

    The body calls `begin()` when the measured part starts and `end()` when it is over.
    """
    done = subprocess.run(
        [sys.executable, "-c", PRELUDE + body],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )
    errors = done.stderr.decode("utf-8", "replace")
    peaks = [line for line in errors.splitlines() if line.startswith("PEAK ")]
    assert done.returncode == 0 and peaks, f"child failed ({done.returncode}): {errors[-2000:]}"
    return int(peaks[-1].split()[1]), done.stdout.decode("utf-8", "replace")
