"""What a certification needs to reproduce a run: which suite, spec, vectors, IUT and machine.

The digests cover every file of `spec/` and `vectors/` (path and content, in path order),
so two runs with the same digests tested against the same rules and the same data,
whatever the suite's version string says.
"""

from __future__ import annotations

import hashlib
import platform
import shlex
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from conformance.requirements import spec_dir
from conformance.vectors import vectors_dir
from vitale_ref import SPEC_VERSION, __version__

PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def utc_stamp(moment: datetime | None = None) -> str:
    return (moment or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")


def tree_digest(folder: Path) -> str:
    """SHA-256 over every file below `folder`: its relative path, a NUL, its bytes."""
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def suite_commit(root: Path = PACKAGE_ROOT) -> str:
    """The git commit the suite runs from, `+dirty` when files differ; "unknown" elsewhere."""
    if not (root / ".git").exists():
        return "unknown (not a git checkout)"
    try:
        head = _git(root, "rev-parse", "HEAD")
        dirty = _git(root, "status", "--porcelain", "--untracked-files=no", "--", ".")
    except (OSError, subprocess.SubprocessError):
        return "unknown (git unavailable)"
    return head + ("+dirty" if dirty else "")


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=10, check=True
    )
    return done.stdout.strip()


def provenance(*, hello: dict[str, Any] | None, started: str, argv: list[str]) -> dict[str, Any]:
    """The reproducibility block of results.json (spec/harness.md, Reports)."""
    return {
        "suiteVersion": __version__,
        "suiteCommit": suite_commit(),
        "specVersion": SPEC_VERSION,
        "specDigest": f"sha256:{tree_digest(spec_dir())}",
        "vectorsDigest": f"sha256:{tree_digest(vectors_dir())}",
        "iutHello": hello,
        "commandLine": shlex.join(argv),
        "platform": f"{platform.platform()}; Python {sys.version.split()[0]}",
        "started": started,
        "ended": utc_stamp(),
    }
