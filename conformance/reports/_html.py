"""The self-contained HTML certification report, rendered from the results document.

Read top down by an auditor: the verdict as a coloured banner, how to reproduce the run,
what failed (each failed run with its vector, the requirement's statement, expected and
got, the decoded APDUs and the raw trace), then the profiles, the requirements in scope
(failed first) and the cases that did not fail.
"""

from __future__ import annotations

from html import escape
from typing import Any

from conformance.reports._results import VERDICTS, overall_verdict

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:80em}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;
text-align:left;vertical-align:top}th{background:#f3f3f3}
.pass{background:#e3f6e3}.fail{background:#fbe0e0}.not_applicable{background:#eef}
.not_tested{background:#fff4d6}.inspection{background:#f0f0f0}
pre{background:#f7f7f7;padding:.5em;overflow-x:auto;font-size:.85em;max-width:100%}
code{font-size:.9em;overflow-wrap:anywhere}.id{white-space:nowrap}
.banner{padding:1em 1.5em;border-radius:.4em;font-size:1.6em;font-weight:bold;color:#fff;
margin:1em 0}
.banner small{display:block;font-size:.55em;font-weight:normal}
.banner.passed{background:#1e7b34}.banner.failed{background:#b3261e}
.banner.inconclusive{background:#8a6d00}.banner.could_not_run{background:#5b2a86}
.banner.interrupted{background:#444}
.failure{border-left:.3em solid #b3261e;padding-left:1em;margin:1em 0}
.scroll{overflow-x:auto;max-width:100%}
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


def _banner(results: dict[str, Any]) -> list[str]:
    summary = results["summary"]
    counts = summary["testCases"]
    tally = ", ".join(f"{counts[v]} {_LABEL[v]}" for v in VERDICTS if counts.get(v))
    reasons = "".join(f"<small>{escape(reason)}</small>" for reason in summary["reasons"])
    return [
        f'<div class="banner {escape(summary["verdict"])}" id="verdict">'
        f"{escape(overall_verdict(results))}<small>test cases: {escape(tally) or 'none run'}"
        f"</small>{reasons}</div>"
    ]


def _table(rows: list[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return f'<div class="scroll"><table>{body}</table></div>'


def _identity(results: dict[str, Any]) -> list[str]:
    iut = results["iut"]
    declared = iut["declared"] or {}
    rows = [
        ("Implementation under test", iut["designation"]),
        *((("Suite's card", iut["card"]),) if iut["card"] else ()),
        ("Driven by", "an operator (attended)" if iut["mode"] == "attended" else "a program"),
        ("Declared name and version", f"{declared.get('name', '?')} {declared.get('version', '')}"),
        ("Declared profiles", ", ".join(declared.get("profiles", [])) or "none"),
        ("Date (UTC)", results["generated"]),
        ("Specification version", results["specVersion"]),
        ("Suite version", results["suiteVersion"]),
        ("Profiles run", ", ".join(results["profiles"])),
        ("Overall verdict", overall_verdict(results)),
    ]
    return [_table(rows)]


def _reproducibility(results: dict[str, Any]) -> list[str]:
    block = results["reproducibility"]
    hello = block["iutHello"]
    rows = [
        ("Suite", f"{block['suiteVersion']}, commit {block['suiteCommit']}"),
        ("Specification", f"{block['specVersion']}, spec/ {block['specDigest']}"),
        ("Vectors", f"vectors/ {block['vectorsDigest']}"),
        ("IUT hello", "none" if hello is None else _hello_text(hello)),
        ("Command line", block["commandLine"]),
        ("Platform", block["platform"]),
        ("Started (UTC)", block["started"]),
        ("Ended (UTC)", block["ended"]),
    ]
    return ['<h2 id="reproducibility">Reproducibility</h2>', _table(rows)]


def _hello_text(hello: dict[str, Any]) -> str:
    return (
        f"{hello['name']} {hello['version']}; profiles {', '.join(hello['profiles'])}; "
        f"operations {', '.join(hello['operations'])}"
    )


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
        "<h2>Requirements in the scope of the profiles run</h2>",
        '<div class="scroll"><table><tr><th>requirement</th><th>level</th><th>title</th>'
        "<th>verdict</th><th>test cases</th></tr>",
    ]
    rows = sorted(results["requirements"], key=lambda row: row["verdict"] != "fail")
    for row in rows:
        links = ", ".join(
            f'<a class="id" href="#{escape(case)}">{escape(case)}</a>' for case in row["testCases"]
        )
        scope = "" if row["inScope"] or row["verification"] == "inspection" else " (outside)"
        verdict = _verdict(row["verdict"])
        if row["verification"] == "inspection" and not row["testCases"]:
            verdict = f'<td class="inspection">{_INSPECTED}</td>'
        lines.append(
            f'<tr id="{escape(row["id"])}"><td class="id">{escape(row["id"])}</td>'
            f"<td>{escape(row['level'])}</td><td>{escape(row['title'])}{scope}</td>"
            f"{verdict}<td>{links or 'none'}</td></tr>"
        )
    lines.append("</table></div>")
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
        '<div class="scroll"><table><tr><th>requirement</th><th>level</th><th>title</th>'
        "<th>evidence</th></tr>",
    ]
    lines += [
        f'<tr><td class="id">{escape(row["id"])}</td><td>{escape(row["level"])}</td>'
        f"<td>{escape(row['title'])}</td><td><code>{escape(row['evidence'])}</code></td></tr>"
        for row in rows
    ]
    lines.append("</table></div>")
    return lines


_CONFIRMED = '; <b class="operator">operator-confirmed</b> (an operator reported the outcome)'


def _run(run: dict[str, Any], statements: dict[str, str], verifies: list[str]) -> str:
    parts = [f"<p><b>{_LABEL[run['verdict']]}</b> {escape(run['param'])}: "]
    parts.append(f"{escape(run['message'])}")
    marks = ", ".join(f'<a href="#{escape(r)}">{escape(r)}</a>' for r in run["requirements"])
    parts.append(f" (bears on {marks})</p>")
    vector = run.get("vector")
    if vector:
        parts.append(
            f"<p>vector <code>{escape(vector['file'])}</code> tcId {vector['tcId']} "
            f"({escape(vector['result'])}): {escape(vector['comment'])}; flags "
            f"{escape(', '.join(vector['flags']) or 'none')}</p>"
        )
    if run["verdict"] == "fail":
        parts += [
            f'<p>requirement <a class="id" href="#{escape(r)}">{escape(r)}</a>: '
            f"{escape(statements.get(r, ''))}</p>"
            for r in run["requirements"]
        ]
    if run["expected"] or run["got"]:
        parts.append(
            f"<p>expected: <code>{escape(run['expected'])}</code><br>"
            f"got: <code>{escape(run['got'])}</code></p>"
        )
    if run.get("exchange"):
        parts.append("<p>APDUs, decoded:</p><pre>" + escape("\n".join(run["exchange"])) + "</pre>")
    if run["trace"]:
        parts.append("<p>raw trace:</p><pre>" + escape("\n".join(run["trace"])) + "</pre>")
    return "".join(parts)


def _case(case: dict[str, Any], statements: dict[str, str]) -> list[str]:
    counts = {v: sum(1 for run in case["runs"] if run["verdict"] == v) for v in VERDICTS}
    tally = ", ".join(f"{n} {_LABEL[v]}" for v, n in counts.items() if n)
    lines = [
        f'<h3 id="{escape(case["id"])}">{escape(case["id"])}: {escape(case["title"])}</h3>'
        f"<p>profile {escape(case['profile'])}; verifies "
        + ", ".join(f'<a class="id" href="#{escape(r)}">{escape(r)}</a>' for r in case["verifies"])
        + f"; verdict <b>{_LABEL[case['verdict']]}</b> ({escape(tally) or 'not run'})"
        + (_CONFIRMED if any(run["operatorConfirmed"] for run in case["runs"]) else "")
        + "</p>"
    ]
    notable = [run for run in case["runs"] if run["verdict"] != "pass"]
    if notable:
        lines.append('<details open><summary>evidence</summary><div class="failure">')
        lines += [_run(run, statements, case["verifies"]) for run in notable]
        lines.append("</div></details>")
    return lines


def _cases(results: dict[str, Any]) -> list[str]:
    statements = {row["id"]: row.get("statement", "") for row in results["requirements"]}
    failed = [case for case in results["testCases"] if case["verdict"] == "fail"]
    others = [case for case in results["testCases"] if case["verdict"] != "fail"]
    lines = []
    if failed:
        lines.append(f'<h2 id="failures">Failed test cases ({len(failed)})</h2>')
        for case in failed:
            lines += _case(case, statements)
    lines.append("<h2>Other test cases</h2>")
    for case in others:
        lines += _case(case, statements)
    return lines


def render_html(results: dict[str, Any]) -> str:
    """The whole report as one HTML document with no external resources."""
    title = f"VDC conformance report: {results['iut']['designation']}"
    cases = _cases(results)
    failures_first = cases[: cases.index("<h2>Other test cases</h2>")]
    body = [
        f"<h1>{escape(title)}</h1>",
        *_banner(results),
        "<p>Open, independent model of the digital carte Vitale; not affiliated with "
        "Assurance Maladie or GIE SESAM-Vitale.</p>",
        *_identity(results),
        *failures_first,
        *_reproducibility(results),
        *_profiles(results),
        *_requirements(results),
        *_inspected(results),
        *cases[len(failures_first) :],
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
