"""The traceability matrix page and the coverage-gaps page, as reStructuredText."""

from __future__ import annotations

from html import escape
from itertools import groupby
from typing import Any

from conformance.requirements import AREAS
from tools.docs import rst
from tools.docs.model import Citation, Matrix, Row, VectorFlag

MAX_CITATIONS = 8
REPORT = "../conformance-report/report.html"
CODE_PAGES = "../_code/{path}.html#L{line}"
"""Where a citation links when no outside source URL is set: the site's own code pages."""
RAW_ROLE = ".. role:: raw-html(raw)\n   :format: html\n"
_LABELS = {"not_applicable": "not applicable", "not_tested": "not tested"}


def verdict_html(verdict: str, requirement: str, *, linked: bool) -> str:
    """A coloured verdict, linked to the requirement's row of the embedded report."""
    key = verdict.replace(" ", "_")
    label = escape(_LABELS.get(key, verdict))
    if linked and key not in ("no_run",):
        return f'<a class="vdc-verdict {key}" href="{REPORT}#{requirement}">{label}</a>'
    return f'<span class="vdc-verdict {key}">{label}</span>'


def breakable_path(path: str) -> str:
    """A path that wraps only after a separator (a zero-width space follows each "/")."""
    return path.replace("/", "/\u200b")


def vector_need_id(file: str) -> str:
    """The need ID of a vector file: `nir/nir_validate.json` gives `VF-NIR-NIR-VALIDATE`."""
    stem = file.removesuffix(".json")
    return "VF-" + "".join(c if c.isalnum() else "-" for c in stem.upper())


def _line(citation: Citation, source_url: str) -> str:
    target = (source_url or CODE_PAGES).format(path=citation.path, line=citation.line)
    return rst.link(str(citation.line), target)


def _code_cell(row: Row, source_url: str) -> str:
    """One line per file: the path, then the lines that cite the requirement."""
    by_file: dict[str, list[Citation]] = {}
    for citation in row.code:
        by_file.setdefault(citation.path, []).append(citation)
    shown = []
    for path, citations in by_file.items():
        lines = [_line(c, source_url) for c in citations[:MAX_CITATIONS]]
        more = len(citations) - MAX_CITATIONS
        suffix = f" and {more} more" if more > 0 else ""
        shown.append(f"{rst.literal(breakable_path(path))} {', '.join(lines)}{suffix}")
    return "\n".join(shown) or "none"


def _vector_cell(flags: tuple[VectorFlag, ...]) -> str:
    """One line per vector file (linked to its need), then each flag and its test count."""
    by_file: dict[str, list[VectorFlag]] = {}
    for flag in flags:
        by_file.setdefault(flag.file, []).append(flag)
    return "\n".join(
        f"{rst.need(vector_need_id(file))}: "
        + ", ".join(f"{rst.literal(f.flag)} ({f.count})" for f in group)
        for file, group in by_file.items()
    )


def _requirement_cell(row: Row) -> str:
    return f"{rst.need(row.id)}\n{rst.text(row.title)}"


def _tests_cell(row: Row) -> str:
    return "\n".join(rst.need(t) for t in row.tests) or "none"


def _area(row: Row) -> str:
    return row.id.split("-")[1]


def matrix_page(
    matrix: Matrix,
    *,
    results: str = "",
    source_url: str = "",
    report: bool = False,
    bars: bool = False,
) -> str:
    """Every requirement with its code, test cases, vectors and latest verdict."""
    rows = matrix.rows
    with_tests = sum(1 for r in rows if r.tests)
    with_code = sum(1 for r in rows if r.code)
    with_vectors = sum(1 for r in rows if r.vectors)
    run = results or "no conformance run was found"
    parts = [
        ".. Generated at build time by tools/docs; do not edit.\n",
        RAW_ROLE,
        rst.title("Traceability matrix"),
        "Each requirement of the specification, followed to the code that cites it, the "
        "conformance test cases that verify it, the vector flags that exercise it and its "
        "verdict in the latest conformance run. The page is generated at every build from "
        "the sources themselves; nothing in it is written by hand.\n",
        rst.list_table(
            ["requirements", "with code", "with test cases", "with vectors", "latest run"],
            [[str(len(rows)), str(with_code), str(with_tests), str(with_vectors), rst.text(run)]],
        ),
        "Requirements of level MUST or MUST NOT without a conformance test case, and test "
        "cases that verify no known requirement, are listed in :doc:`coverage`. A line "
        "number in the code column opens that line in the site's copy of the file; a "
        "verdict opens the requirement's row in the embedded conformance report. The "
        "requirements of areas SPEC and VEC are about the specification and the vector "
        "files themselves: the repository's own tests verify them (``tests/`` in the code "
        "column), not the conformance suite.\n",
    ]
    if bars:
        parts.append(
            "Requirements of each area in the embedded run, by verdict (inspection: "
            "verified by inspection of the reference, not by the run):\n"
        )
        parts.append(".. container:: vdc-diagram-box\n")
        parts.append(
            "   .. image:: /generated/charts/areas.svg\n      :class: vdc-diagram\n"
            "      :alt: requirements per area and verdict\n"
        )
    ordered = sorted(rows, key=lambda r: AREAS.index(_area(r)) if _area(r) in AREAS else len(AREAS))
    for area, group in groupby(ordered, key=_area):
        table = [
            [
                _requirement_cell(r),
                r.level,
                f":raw-html:`{verdict_html(r.verdict, r.id, linked=report)}`",
                _tests_cell(r),
                _vector_cell(r.vectors) or "none",
                _code_cell(r, source_url),
            ]
            for r in group
        ]
        parts.append(rst.title(f"Area {area}", "-"))
        parts.append(
            rst.list_table(
                ["requirement", "level", "verdict", "test cases", "vectors", "code"],
                table,
                widths=[18, 8, 9, 11, 20, 34],
            )
        )
    return "\n".join(parts)


def _run_gaps(run_rows: list[dict[str, Any]] | None) -> list[str]:
    """What the embedded run did not show: MUSTs only not applicable, and inspection only."""
    parts = [rst.title("Not shown by the embedded run", "-")]
    if run_rows is None:
        return [*parts, "No conformance run is embedded in this site.\n"]
    mandatory = [r for r in run_rows if r.get("level") in ("MUST", "MUST NOT")]
    lists = (
        (
            "MUST requirements only not applicable",
            "Every case verifying them was not applicable to the implementation run: "
            "the run says nothing about them.",
            [r for r in mandatory if r.get("verdict") == "not_applicable"],
        ),
        (
            "MUST requirements verified by inspection only",
            "No black-box test can observe them; the repository test named as evidence "
            "verifies the reference, and an implementation must be inspected for them.",
            [r for r in mandatory if r.get("verification") == "inspection"],
        ),
    )
    for heading, why, rows in lists:
        parts.append(rst.title(f"{heading} ({len(rows)})", "~"))
        parts.append(why + "\n")
        items = [
            f"* {rst.need(str(r['id']))} ({rst.text(str(r.get('title', '')))})"
            + (f": {rst.literal(str(r['evidence']))}" if r.get("evidence") else "")
            for r in rows
        ]
        parts.append("\n".join(items) + "\n" if items else "None.\n")
    return parts


def coverage_page(
    matrix: Matrix,
    *,
    strict: bool,
    catalogue_found: bool,
    run_rows: list[dict[str, Any]] | None = None,
) -> str:
    """Uncovered requirements, orphan test cases and other gaps, each on its own list."""
    mode = (
        "The build fails on this list (strict coverage is on)."
        if strict
        else "Strict coverage is off: this list is reported and does not fail the build."
    )
    parts = [
        ".. Generated at build time by tools/docs; do not edit.\n",
        rst.title("Coverage gaps"),
        "What the traceability matrix could not link. Orphan test cases and vector flags "
        "naming an unknown requirement always fail the documentation build.\n",
        rst.title("Requirements without a test case", "-"),
    ]
    if not catalogue_found:
        parts.append("The conformance suite exports no test-case catalogue yet.\n")
    parts.append(f"{mode}\n")
    parts.append(
        _id_list(
            matrix,
            matrix.uncovered,
            "Every MUST and MUST NOT requirement in the suite's scope has a test case.",
        )
    )
    parts.append(rst.title("Orphan test cases", "-"))
    if matrix.orphans:
        parts.append("\n".join(f"* {rst.literal(c)}: {rst.text(w)}" for c, w in matrix.orphans))
    else:
        parts.append("Every test case verifies known requirements only.")
    parts.append("\n" + rst.title("Vector flags naming an unknown requirement", "-"))
    if matrix.dead_vector_links:
        parts.append(
            "\n".join(f"* {rst.literal(n)}: {rst.literal(r)}" for n, r in matrix.dead_vector_links)
        )
    else:
        parts.append("Every vector flag names a requirement of the specification.")
    parts += ["", *_run_gaps(run_rows)]
    parts.append("\n" + rst.title("Requirements no code cites", "-"))
    parts.append("Informative: a requirement can be met without a comment naming it.\n")
    parts.append(_id_list(matrix, tuple(r.id for r in matrix.rows if not r.code), "None."))
    return "\n".join(parts) + "\n"


def _id_list(matrix: Matrix, ids: tuple[str, ...], empty: str) -> str:
    if not ids:
        return empty + "\n"
    titles = {row.id: f"{row.level}: {row.title}" for row in matrix.rows}
    return "\n".join(f"* {rst.need(i)} ({rst.text(titles.get(i, ''))})" for i in ids) + "\n"


def summary_table(matrix: Matrix) -> str:
    """Home-page table: requirements per area, how many are traced and how they fared."""
    rows = []
    ordered = sorted(matrix.rows, key=lambda r: AREAS.index(_area(r)) if _area(r) in AREAS else 99)
    for area, group in groupby(ordered, key=_area):
        items = list(group)
        first, last = min(r.id for r in items), max(r.id for r in items)
        rows.append(
            [
                area,
                str(len(items)),
                str(sum(1 for r in items if r.level in ("MUST", "MUST NOT"))),
                str(sum(1 for r in items if r.code)),
                str(sum(1 for r in items if r.tests)),
                str(sum(1 for r in items if r.vectors)),
                str(sum(1 for r in items if r.verdict == "pass")),
                f"{rst.need(first)} to {rst.need(last)}" if first != last else rst.need(first),
            ]
        )
    header = [
        "area",
        "requirements",
        "MUST / MUST NOT",
        "cited in code",
        "with test cases",
        "with vectors",
        "passed",
        "identifiers",
    ]
    return rst.list_table(header, rows)
