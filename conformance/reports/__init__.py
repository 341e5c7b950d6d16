"""Certification reports: results JSON and HTML from the same data (JUnit comes from pytest)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conformance.reports._html import render_html
from conformance.reports._provenance import utc_stamp
from conformance.reports._results import (
    RESULTS_FORMAT,
    aggregate,
    build_results,
    run_entry,
    summary_table,
)


def write_reports(directory: Path, results: dict[str, Any]) -> list[Path]:
    """Write results.json and report.html into `directory`; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    json_path = directory / "results.json"
    html_path = directory / "report.html"
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    html_path.write_text(render_html(results), encoding="utf-8")
    return [json_path, html_path]


__all__ = [
    "RESULTS_FORMAT",
    "aggregate",
    "build_results",
    "render_html",
    "run_entry",
    "summary_table",
    "utc_stamp",
    "write_reports",
]
