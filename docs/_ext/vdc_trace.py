"""Sphinx extension: test-case and vector pages, the traceability matrix, coverage gaps.

Everything is generated when the builder starts, before any page is read, from the
requirement index, the code, the conformance catalogue, the vector files and the
latest results file. Orphan test cases always stop the build; requirements of level
MUST or MUST NOT without a test case stop it when `vdc_strict_coverage` is on.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from conformance.requirements import AREAS, load_requirements, spec_dir
from tools.docs import charts, sources
from tools.docs.matrix import build_matrix
from tools.docs.model import Citation, TestCase
from tools.docs.output import write_page
from tools.docs.pages_catalogue import schemas_page, testcases_page, vectors_page
from tools.docs.pages_code import write_code_pages
from tools.docs.pages_driver import driver_page
from tools.docs.pages_report import report_page
from tools.docs.pages_trace import coverage_page, matrix_page, summary_table
from tools.docs.reqbox import with_trace

logger = logging.getLogger(__name__)

_FACTS: dict[str, Any] = {}
"""What generate() learnt, for the requirement boxes (source-read) and the code pages."""


# A MUST requirement in the suite's scope without a test case fails the build (strict
# mode, the default since the suite covers every one); $VDC_DOCS_STRICT=0 turns it into
# a listing only, for work in progress on a new chapter.
STRICT_BY_DEFAULT = True


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    return default


def _generators() -> dict[str, str]:
    from tools.vectorgen import all_generators

    return {
        path: f"``{function.__module__}.{function.__qualname__}``"
        for path, function in all_generators().items()
    }


def _results(app: Sphinx) -> tuple[Path, str]:
    results = Path(app.config.vdc_results) if app.config.vdc_results else sources.results_path()
    if results.is_relative_to(sources.ROOT):
        return results, results.relative_to(sources.ROOT).as_posix()
    return results, str(results)


def _catalogue_pages(
    out: Path, cases: list[TestCase] | None, known: set[str], verdicts: dict[str, str]
) -> None:
    vectors_dir = sources.ROOT / "vectors"
    write_page(out, "testcases.rst", testcases_page(cases, known, verdicts))
    documents = sources.vector_documents(vectors_dir)
    write_page(out, "vectors.rst", vectors_page(documents, _generators(), known))
    schemas = [
        (p.name, p.read_text(encoding="utf-8"))
        for p in sorted((vectors_dir / "schemas").glob("*.json"))
    ]
    write_page(out, "vector-schemas.rst", schemas_page(schemas))


def generate(app: Sphinx) -> None:
    requirements = load_requirements()
    cases = sources.load_catalogue()
    results, shown = _results(app)
    run = sources.load_run(results)
    citations = sources.scan_citations()
    verdicts = sources.load_verdicts(results)
    report = (Path(app.config.vdc_report_dir) / "report.html").is_file()
    _FACTS.update(verdicts=verdicts, citations=citations, report=report)
    matrix = build_matrix(
        requirements,
        citations=citations,
        cases=cases or [],
        vectors=sources.vector_flags(sources.ROOT / "vectors"),
        verdicts=verdicts,
    )
    strict = bool(app.config.vdc_strict_coverage)
    out = Path(app.srcdir) / "generated"
    summary = f"{sources.run_summary(run)} ({shown})" if run else ""
    rows = run.get("requirements") if run else None
    if isinstance(rows, list):
        bars = charts.area_bars(charts.area_counts(rows), AREAS)
        write_page(out, "charts/areas.svg", bars)
    page = matrix_page(
        matrix,
        results=summary,
        source_url=app.config.vdc_source_url,
        report=report,
        bars=isinstance(rows, list),
    )
    write_page(out, "matrix.rst", page)
    page = coverage_page(
        matrix,
        strict=strict,
        catalogue_found=cases is not None,
        run_rows=rows if isinstance(rows, list) else None,
    )
    write_page(out, "coverage.rst", page)
    write_page(out, "summary.inc", summary_table(matrix))
    _catalogue_pages(out, cases, {r.id for r in requirements}, sources.case_verdicts(run))
    write_page(out, "report.rst", report_page(run, shown=shown, html_present=report))
    chapter = "../spec/harness" if (spec_dir() / "harness.md").is_file() else ""
    page = driver_page(sources.ROOT / "conformance" / "schemas", chapter=chapter)
    write_page(out, "driver.rst", page)
    problems = matrix.problems(strict_coverage=strict)
    if problems:
        for problem in problems:
            logger.error("traceability: %s", problem)
        raise ExtensionError(f"traceability check failed: {len(problems)} problem(s)")


def add_trace(app: Sphinx, docname: str, source: list[str]) -> None:
    """Each requirement box shows its verdict and the code that cites it."""
    if docname.startswith("spec/") and "citations" in _FACTS:
        source[0] = with_trace(
            source[0],
            _FACTS["verdicts"],
            _FACTS["citations"],
            report=_FACTS["report"],
            source_url=app.config.vdc_source_url,
        )


def write_code(app: Sphinx, exception: Exception | None) -> None:
    """The site's copy of every cited source file (the targets of the code links)."""
    if exception is None and app.builder.format == "html" and "citations" in _FACTS:
        cited: dict[str, list[Citation]] = _FACTS["citations"]
        paths = {c.path for found in cited.values() for c in found}
        write_code_pages(sources.ROOT, paths, Path(app.outdir) / "_code")


def copy_report(app: Sphinx, exception: Exception | None) -> None:
    """Put the conformance HTML report of the reference beside the site, when present."""
    source = Path(app.config.vdc_report_dir)
    if exception is None and app.builder.format == "html" and source.is_dir():
        shutil.copytree(source, Path(app.outdir) / "conformance-report", dirs_exist_ok=True)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value(
        "vdc_strict_coverage", _env_flag("VDC_DOCS_STRICT", STRICT_BY_DEFAULT), "env", bool
    )
    app.add_config_value("vdc_source_url", os.environ.get("VDC_SOURCE_URL", ""), "env", str)
    app.add_config_value("vdc_results", os.environ.get("VDC_RESULTS", ""), "env", str)
    app.add_config_value(
        "vdc_report_dir",
        os.environ.get("VDC_REPORT_DIR", str(sources.ROOT / "build" / "conformance-report")),
        "env",
        str,
    )
    app.connect("builder-inited", generate)
    app.connect("source-read", add_trace)
    app.connect("build-finished", copy_report)
    app.connect("build-finished", write_code)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
