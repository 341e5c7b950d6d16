"""Wall time of the conformance suite against the reference, one run per profile."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PROFILES = ("holder", "reader", "verifier", "enrolment")


def suite_times(report_root: Path) -> dict[str, Any]:
    """Seconds, exit status and case counts of `vitale conformance run --profile P`."""
    figures: dict[str, Any] = {}
    for profile in PROFILES:
        report = report_root / f"suite-{profile}"
        command = [
            sys.executable, "-c", "from vitale_ref.cli import main; main()", "conformance", "run",
            "--iut", "ref", "--profile", profile, "--report", str(report),
        ]  # fmt: skip
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        counts: dict[str, int] = {}
        results = report / "results.json"
        if results.is_file():
            summary = json.loads(results.read_text(encoding="utf-8"))["summary"]
            counts = dict(summary["testCases"])
        figures[profile] = {"seconds": round(seconds, 2), "exit": done.returncode, **counts}
    return figures
