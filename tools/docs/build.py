"""Build the site (or a copy of its pages) with the real configuration, as `make docs` does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def build_docs(
    work: Path, *, env: dict[str, str] | None = None, builder: str = "html"
) -> subprocess.CompletedProcess[str]:
    """Copy docs/ into <work>/src and build it into <work>/out with -W; never raises on failure.

    The configuration stays docs/conf.py, so the copy is built exactly as the site is;
    `env` overrides the VDC_* settings (spec folder, catalogue, results, strictness).
    """
    source = work / "src"
    if not source.exists():
        shutil.copytree(DOCS, source, ignore=shutil.ignore_patterns("generated", "spec", "_ext"))
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", builder]
    command += ["-c", str(DOCS), str(source), str(work / "out")]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
        check=False,
    )
