"""Build the site (or a copy of its pages) with the real configuration, as `make docs` does.

Around someone else's run (an auditor's case): `python -m tools.docs.build --report DIR`
builds the site into build/docs-DIRNAME from DIR's results.json and report.html (the
verdicts of the matrix, of each requirement box and of the coverage gaps, and the
embedded report), the same as `make docs REPORT=DIR`.
"""

from __future__ import annotations

import argparse
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


def report_env(report: Path) -> dict[str, str]:
    """The settings that point the site at the run in `report` (a --report folder)."""
    return {"VDC_RESULTS": str(report / "results.json"), "VDC_REPORT_DIR": str(report)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the site around a conformance run.")
    parser.add_argument("--report", type=Path, required=True, help="folder of results.json")
    parser.add_argument("--out", type=Path, default=None, help="default: build/docs-NAME")
    args = parser.parse_args(argv)
    report: Path = args.report.resolve()
    if not (report / "results.json").is_file():
        print(f"error: no results.json in {report}", file=sys.stderr)
        return 2
    out = args.out or ROOT / "build" / f"docs-{report.name}"
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html"]
    done = subprocess.run(
        [*command, str(DOCS), str(out)], env={**os.environ, **report_env(report)}, check=False
    )
    if done.returncode == 0:
        print(f"site: {out / 'index.html'} (run: {report / 'results.json'})")
    return done.returncode


if __name__ == "__main__":
    raise SystemExit(main())
