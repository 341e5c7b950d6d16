"""The traceability matrix: how it joins the sources, and what fails the docs build."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conformance.coverage import in_scope
from conformance.requirements import Requirement, load_requirements
from tools.docs import sources
from tools.docs.build import build_docs
from tools.docs.matrix import NO_RUN, NOT_TESTED, build_matrix
from tools.docs.model import Citation, TestCase, VectorFlag
from tools.docs.pages_trace import coverage_page, matrix_page, summary_table, vector_need_id


def _requirement(rid: str, level: str = "MUST") -> Requirement:
    return Requirement(
        id=rid,
        area=rid.split("-")[1],
        level=level,
        title=f"title of {rid}",
        text=f"It {level} work.",
        file="x.md",
        line=1,
    )


REQS = [
    _requirement("VDC-NIR-001"),
    _requirement("VDC-NIR-002", "MAY"),
    _requirement("VDC-PIN-001", "MUST NOT"),
]
FLAG = VectorFlag(
    file="nir/a.json",
    flag="BadKey",
    bug_type="checksum",
    description="d",
    requirement="VDC-NIR-001",
    count=3,
)


def test_cited_ids_expand_ranges() -> None:
    line = "# VDC-SPEC-001..003 and VDC-NIR-010, not VDC-NIR-1 nor XVDC-NIR-001"
    assert list(sources.cited_ids(line)) == [
        "VDC-SPEC-001",
        "VDC-SPEC-002",
        "VDC-SPEC-003",
        "VDC-NIR-010",
    ]


def test_scan_citations_gives_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text('"""Doc."""\n\n# VDC-NIR-004: the key\n')
    assert sources.scan_citations(tmp_path, ["pkg"]) == {
        "VDC-NIR-004": [Citation(path="pkg/a.py", line=3)]
    }


def test_matrix_rows_join_every_source() -> None:
    cases = [TestCase(id="TC-NIR-001", title="t", verifies=("VDC-NIR-001", "VDC-NIR-002"))]
    matrix = build_matrix(
        REQS,
        citations={"VDC-NIR-001": [Citation(path="a.py", line=2)]},
        cases=cases,
        vectors=[FLAG],
        verdicts={"VDC-NIR-001": "pass"},
    )
    first, second, _ = matrix.rows
    assert (first.tests, first.vectors, first.verdict) == (("TC-NIR-001",), (FLAG,), "pass")
    assert first.code == (Citation(path="a.py", line=2),)
    assert (second.tests, second.verdict) == (("TC-NIR-001",), NOT_TESTED)
    assert matrix.uncovered == ("VDC-PIN-001",)  # MUST NOT counts; MAY does not
    assert matrix.orphans == ()


def test_no_results_file_means_no_run(tmp_path: Path) -> None:
    assert sources.load_verdicts(tmp_path / "absent.json") is None
    assert sources.load_run(tmp_path / "absent.json") is None
    matrix = build_matrix(REQS, citations={}, cases=[], vectors=[], verdicts=None)
    assert {row.verdict for row in matrix.rows} == {NO_RUN}


def test_orphans_and_dead_vector_links_always_fail() -> None:
    cases = [
        TestCase(id="TC-NIR-002", title="t", verifies=()),
        TestCase(id="TC-NIR-003", title="t", verifies=("VDC-NIR-999",)),
    ]
    dead = VectorFlag(
        file="nir/a.json", flag="X", bug_type="", description="", requirement="VDC-NIR-998", count=1
    )
    matrix = build_matrix(REQS, citations={}, cases=cases, vectors=[dead], verdicts=None)
    assert matrix.problems(strict_coverage=False) == [
        "orphan test case TC-NIR-002: verifies no requirement",
        "orphan test case TC-NIR-003: verifies unknown VDC-NIR-999",
        "vector flag nir/a.json#X names unknown requirement VDC-NIR-998",
    ]
    assert matrix.problems(strict_coverage=True)[-2:] == [
        "MUST requirement VDC-NIR-001 has no test case",
        "MUST requirement VDC-PIN-001 has no test case",
    ]


def test_pages_show_every_requirement_and_gap() -> None:
    matrix = build_matrix(REQS, citations={}, cases=[], vectors=[FLAG], verdicts=None)
    page = matrix_page(matrix)
    assert "no conformance run was found" in page
    assert all(f":need:`{r.id}`" in page for r in REQS)
    assert f":need:`{vector_need_id('nir/a.json')}`: ``BadKey`` (3)" in page
    gaps = coverage_page(matrix, strict=False, catalogue_found=True)
    assert "* :need:`VDC-NIR-001` (MUST: title of VDC-NIR-001)\n* :need:`VDC-PIN-001`" in gaps
    assert "does not fail the build" in gaps


def test_catalogue_and_results_files_are_read(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.json"
    path.write_text(
        json.dumps(
            {
                "testCases": [
                    {
                        "id": "TC-NIR-002",
                        "title": "b",
                        "verifies": ["VDC-NIR-002"],
                        "location": "m:f",
                    },
                    {
                        "id": "TC-NIR-001",
                        "title": "a",
                        "verifies": ["VDC-NIR-001"],
                        "profile": "verifier",
                    },
                ]
            }
        )
    )
    cases = sources.load_catalogue(path)
    assert cases is not None
    assert [(c.id, c.verifies, c.source) for c in cases] == [
        ("TC-NIR-001", ("VDC-NIR-001",), ""),
        ("TC-NIR-002", ("VDC-NIR-002",), "m:f"),
    ]


def test_strict_build_fails_when_a_link_is_removed(
    tmp_path: Path,
    built_site: Path,
    strict_env: dict[str, str],
    make_catalogue: Callable[..., Path],
) -> None:
    """Strict coverage: the site builds (fixture), and one link fewer fails the build."""
    target = next(r.id for r in load_requirements() if in_scope(r))
    assert (built_site / "generated" / "matrix.html").is_file()
    dropped = make_catalogue(tmp_path / "dropped.json", drop_link_of=target)
    failing = build_docs(tmp_path / "dropped", env={**strict_env, "VDC_CATALOGUE": str(dropped)})
    assert failing.returncode != 0
    assert f"traceability: MUST requirement {target} has no test case" in failing.stderr
    assert "traceability check failed: 1 problem(s)" in failing.stderr


def test_orphan_test_case_fails_even_when_not_strict(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps([{"id": "TC-NIR-001", "title": "t", "verifies": []}]))
    env = {"VDC_DOCS_STRICT": "0", "VDC_CATALOGUE": str(path)}
    failing = build_docs(tmp_path / "orphan", env=env)
    assert failing.returncode != 0
    assert "traceability: orphan test case TC-NIR-001: verifies no requirement" in failing.stderr


def test_verdicts_come_from_the_results_document(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    run = {
        "format": "vdc-conformance-results/1",
        "generated": "2026-06-01T12:00:00Z",
        "iut": {"designation": "ref", "declared": None},
        "profiles": ["verifier"],
        "summary": {"verdict": "inconclusive", "passed": False},
        "requirements": [
            {"id": "VDC-NIR-001", "verdict": "pass"},
            {"id": "VDC-NIR-002", "verdict": "not_tested"},
        ],
    }
    path.write_text(json.dumps(run), encoding="utf-8")
    assert sources.load_verdicts(path) == {"VDC-NIR-001": "pass", "VDC-NIR-002": "not_tested"}
    loaded = sources.load_run(path)
    assert loaded is not None
    assert sources.run_summary(loaded) == "ref (verifier) on 2026-06-01T12:00:00Z: inconclusive"


def test_summary_counts_each_area() -> None:
    cases = [TestCase(id="TC-NIR-001", title="t", verifies=("VDC-NIR-001",))]
    matrix = build_matrix(
        REQS, citations={}, cases=cases, vectors=[FLAG], verdicts={"VDC-NIR-001": "pass"}
    )
    table = summary_table(matrix)
    assert "   * - NIR\n     - 2\n     - 1\n     - 0\n     - 1\n     - 1\n     - 1\n" in table
    assert ":need:`VDC-NIR-001` to :need:`VDC-NIR-002`" in table
    assert "   * - PIN\n     - 1\n     - 1\n" in table


def test_coverage_gaps_list_what_the_run_did_not_show() -> None:
    """It said nothing was missing while MUSTs were only not applicable or inspected."""
    matrix = build_matrix(REQS, citations={}, cases=[], vectors=[], verdicts=None)
    rows = [
        {"id": "VDC-NIR-001", "level": "MUST", "title": "a", "verdict": "not_applicable"},
        {"id": "VDC-PIN-001", "level": "MUST NOT", "title": "b", "verdict": "not_tested"}
        | {"verification": "inspection", "evidence": "tests/pin/x.py"},
        {"id": "VDC-NIR-002", "level": "MAY", "title": "c", "verdict": "not_applicable"},
    ]
    page = coverage_page(matrix, strict=False, catalogue_found=True, run_rows=rows)
    assert "MUST requirements only not applicable (1)" in page
    assert "* :need:`VDC-NIR-001` (a)" in page
    assert "MUST requirements verified by inspection only (1)" in page
    assert "* :need:`VDC-PIN-001` (b): ``tests/pin/x.py``" in page
    assert "No conformance run is embedded" in coverage_page(
        matrix, strict=False, catalogue_found=True
    )


def test_requirement_boxes_get_verdict_and_code_links() -> None:
    from tools.docs.pages_code import code_page
    from tools.docs.reqbox import with_trace

    chapter = (
        "````text\n```{req} Quoted example\n:id: VDC-NIR-009\n```\n````\n\n"
        "```{req} Real\n:id: VDC-NIR-001\n:level: MUST\n\nIt MUST work.\n```\n"
    )
    cited = {"VDC-NIR-001": [Citation(path="vitale_ref/nir.py", line=7)]}
    text = with_trace(chapter, {"VDC-NIR-001": "fail"}, cited, report=True)
    assert text.count('class="vdc-trace"') == 1
    assert (
        '<a class="vdc-verdict fail" href="../conformance-report/report.html#VDC-NIR-001">'
        "fail</a>" in text
    )
    assert '<a href="../_code/vitale_ref/nir.py.html#L7">vitale_ref/nir.py:7</a>' in text
    assert "latest verdict: no run" in with_trace(chapter, None, {}, report=False)
    page = code_page("a.py", "x = 1\ny = 2\n", home="../index.html")
    assert '<span class="l" id="L2"><a class="n" href="#L2">2</a>y = 2' in page
