"""The self-contained HTML certification report, rendered from the results document."""

from __future__ import annotations

from html import escape
from typing import Any

from conformance.reports._results import VERDICTS, overall_verdict

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:80em}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;
text-align:left;vertical-align:top}th{background:#f3f3f3}
.pass{background:#e3f6e3}.fail{background:#fbe0e0}.not_applicable{background:#eef}
.not_tested{background:#fff4d6}.inspection{background:#f0f0f0}pre{background:#f7f7f7;padding:.5em;overflow-x:auto;
font-size:.85em}code{font-size:.9em}
"""
_LABEL = {
    "pass": "pass",
    "fail": "fail",
    "not_applicable": "not applicable",
    "not_tested": "not tested",
}


_INSPECTED = "verified by inspection of the reference"


def _verdict(value: str) -> str:
    return f'<td class="{value}">{_LABEL[value]}</td>'


def _identity(results: dict[str, Any]) -> list[str]:
    iut = results["iut"]
    declared = iut["declared"] or {}
    rows = [
        ("Implementation under test", iut["designation"]),
        ("Declared name and version", f"{declared.get('name', '?')} {declared.get('version', '')}"),
        ("Declared profiles", ", ".join(declared.get("profiles", [])) or "none"),
        ("Date (UTC)", results["generated"]),
        ("Specification version", results["specVersion"]),
        ("Suite version", results["suiteVersion"]),
        ("Profiles run", ", ".join(results["profiles"])),
        ("Overall verdict", overall_verdict(results)),
        *(("Inconclusive because", reason) for reason in results["summary"]["reasons"]),
    ]
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return [f"<table>{body}</table>"]


def _profiles(results: dict[str, Any]) -> list[str]:
    head = "".join(f"<th>{_LABEL[v]}</th>" for v in VERDICTS)
    rows = [
        f"<tr><td>{escape(profile)}</td>" + "".join(f"<td>{counts[v]}</td>" for v in VERDICTS)
        for profile, counts in results["profileSummary"].items()
    ]
    return [
        "<h2>Test cases per profile</h2>",
        f"<table><tr><th>profile</th>{head}</tr>",
        *rows,
        "</table>",
    ]


def _requirements(results: dict[str, Any]) -> list[str]:
    lines = [
        "<h2>Requirements</h2>",
        "<table><tr><th>requirement</th><th>level</th><th>title</th><th>verdict</th>"
        "<th>test cases</th></tr>",
    ]
    for row in results["requirements"]:
        links = ", ".join(
            f'<a href="#{escape(case)}">{escape(case)}</a>' for case in row["testCases"]
        )
        scope = (
            ""
            if row["inScope"] or row["verification"] == "inspection"
            else (" (checked outside the suite)")
        )
        verdict = _verdict(row["verdict"])
        if row["verification"] == "inspection" and not row["testCases"]:
            verdict = f'<td class="inspection">{_INSPECTED}</td>'
        lines.append(
            f'<tr id="{escape(row["id"])}"><td>{escape(row["id"])}</td>'
            f"<td>{escape(row['level'])}</td><td>{escape(row['title'])}{scope}</td>"
            f"{verdict}<td>{links or 'none'}</td></tr>"
        )
    lines.append("</table>")
    return lines


def _inspected(results: dict[str, Any]) -> list[str]:
    """VDC-SPEC-004: requirements no run can observe, listed apart from the verdicts."""
    rows = [row for row in results["requirements"] if row["verification"] == "inspection"]
    if not rows:
        return []
    lines = [
        f"<h2>Requirements {_INSPECTED}</h2>",
        "<p>No black-box observation of these requirements is possible; this run did not "
        "test them. The repository test named as evidence verifies the reference "
        "implementation; an implementation under test must be inspected for them.</p>",
        "<table><tr><th>requirement</th><th>level</th><th>title</th><th>evidence</th></tr>",
    ]
    lines += [
        f"<tr><td>{escape(row['id'])}</td><td>{escape(row['level'])}</td>"
        f"<td>{escape(row['title'])}</td><td><code>{escape(row['evidence'])}</code></td></tr>"
        for row in rows
    ]
    lines.append("</table>")
    return lines


def _run(run: dict[str, Any]) -> str:
    parts = [f"<p><b>{_LABEL[run['verdict']]}</b> {escape(run['param'])}: "]
    parts.append(f"{escape(run['message'])}")
    marks = ", ".join(f'<a href="#{escape(r)}">{escape(r)}</a>' for r in run["requirements"])
    parts.append(f" (bears on {marks})</p>")
    if run["expected"] or run["got"]:
        parts.append(
            f"<p>expected: <code>{escape(run['expected'])}</code><br>"
            f"got: <code>{escape(run['got'])}</code></p>"
        )
    if run["trace"]:
        parts.append("<pre>" + escape("\n".join(run["trace"])) + "</pre>")
    return "".join(parts)


def _cases(results: dict[str, Any]) -> list[str]:
    lines = ["<h2>Test cases and evidence</h2>"]
    for case in results["testCases"]:
        counts = {v: sum(1 for run in case["runs"] if run["verdict"] == v) for v in VERDICTS}
        tally = ", ".join(f"{n} {_LABEL[v]}" for v, n in counts.items() if n)
        lines.append(
            f'<h3 id="{escape(case["id"])}">{escape(case["id"])}: {escape(case["title"])}</h3>'
            f"<p>profile {escape(case['profile'])}; verifies "
            + ", ".join(f'<a href="#{escape(r)}">{escape(r)}</a>' for r in case["verifies"])
            + f"; verdict <b>{_LABEL[case['verdict']]}</b> ({escape(tally) or 'not run'})</p>"
        )
        notable = [run for run in case["runs"] if run["verdict"] != "pass"]
        if notable:
            lines.append("<details open><summary>evidence</summary>")
            lines += [_run(run) for run in notable]
            lines.append("</details>")
    return lines


def render_html(results: dict[str, Any]) -> str:
    """The whole report as one HTML document with no external resources."""
    title = f"VDC conformance report: {results['iut']['designation']}"
    body = [
        f"<h1>{escape(title)}</h1>",
        "<p>Open, independent model of the digital carte Vitale; not affiliated with "
        "Assurance Maladie or GIE SESAM-Vitale.</p>",
        *_identity(results),
        *_profiles(results),
        *_requirements(results),
        *_inspected(results),
        *_cases(results),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
