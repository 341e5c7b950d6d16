"""The page of the latest conformance run: its summary and the HTML report itself."""

from __future__ import annotations

from typing import Any

from tools.docs import rst
from tools.docs.sources import run_summary

REPORT_TARGET = "../conformance-report/report.html"


def report_page(run: dict[str, Any] | None, *, shown: str, html_present: bool) -> str:
    """Summary from the results JSON, then the HTML report embedded and linked."""
    parts = [
        ".. Generated at build time by tools/docs; do not edit.\n",
        rst.title("Conformance report"),
        "The certification report of the latest conformance run found when the site was "
        "built. The matrix takes its verdicts from the same results file.\n",
    ]
    if run is None:
        parts.append(
            f"No results file was found at {rst.literal(shown)}: run "
            "``vitale conformance run --report build/conformance-report`` (or set "
            "``VDC_RESULTS``) and build the site again.\n"
        )
        return "\n".join(parts)
    parts.append(f"Run: {rst.text(run_summary(run))}; results file {rst.literal(shown)}.\n")
    verdicts = ["pass", "fail", "not_applicable", "not_tested"]
    rows = [
        [rst.text(profile), *(str(counts.get(v, 0)) for v in verdicts)]
        for profile, counts in run.get("profileSummary", {}).items()
    ]
    requirements = run.get("summary", {}).get("requirements", {})
    rows.append(["MUST requirements", *(str(requirements.get(v, 0)) for v in verdicts)])
    parts.append(rst.list_table(["test cases of profile", *verdicts], rows))
    if html_present:
        parts.append(f"The full report: {rst.link('open the HTML report', REPORT_TARGET)}.\n")
        parts.append(
            rst.directive(
                "raw",
                "html",
                {},
                f'<iframe src="{REPORT_TARGET}" title="conformance report" '
                'style="width:100%;height:80vh;border:1px solid #ccc"></iframe>',
            )
        )
    else:
        parts.append("The HTML report of this run was not found beside its results file.\n")
    return "\n".join(parts)
