"""The built site and a failed run's report, opened in headless Chromium (Selenium).

Each page an auditor opens is laid out by a real browser and checked for what the
issue's screenshots showed: nothing runs past the page or is cut, every image loads and
shows its text at a readable size, no raw diagram source or markup is left, verdicts
are coloured and linked, and the report opens with its verdict banner.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests._support import require_module, unavailable
from tools.docs import browser

PAGES = (
    "index.html",
    "generated/matrix.html",
    "generated/coverage.html",
    "generated/testcases.html",
    "generated/vectors.html",
    "generated/diagrams.html",
    "generated/report.html",
    "spec/enrolment.html",
    "spec/nfc.html",
    "spec/pin.html",
    "spec/pki.html",
    "spec/nir.html",
    "guides/reader-vendor.html",
    "guides/auditor.html",
    "conformance-report/report.html",
)


@pytest.fixture(scope="module")
def session() -> Iterator[Any]:
    require_module("selenium", "selenium")
    found, driver = browser.find_browser(), browser.find_driver()
    if found is None or driver is None:
        unavailable("chromium and chromium-driver are not installed (Debian packages)")
    with browser.chromium(found, driver) as opened:
        yield opened


def _svg_text_sizes(site: Path) -> dict[str, float]:
    sizes = {}
    for path in site.rglob("*.svg"):
        found = re.findall(r"font-size:([\d.]+)px", path.read_text(encoding="utf-8"))
        if found:
            sizes[path.name] = min(float(size) for size in found)
    return sizes


def test_every_page_fits_loads_and_shows_no_raw_markup(built_site: Path, session: Any) -> None:
    sizes = _svg_text_sizes(built_site)
    assert {"enrolment.svg", "pki.svg", "holder-session.svg", "personal-code.svg"} <= set(sizes)
    problems = {
        page: found
        for page in PAGES
        if (found := browser.check_page(session, built_site / page, sizes))
    }
    assert problems == {}


def test_checks_catch_what_the_issue_showed(tmp_path: Path, session: Any) -> None:
    """The checks themselves fail on a cut table, a shrunk drawing and raw Mermaid."""
    drawing = tmp_path / "wide.svg"
    drawing.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="40">'
        '<style>text{font-size:12px}</style><text x="0" y="20">x</text></svg>'
    )
    page = tmp_path / "bad.html"
    page.write_text(
        '<html><body><main><div style="width:400px;overflow:hidden">'
        '<table style="width:900px"><tr><td>cut</td></tr></table></div>'
        '<img src="wide.svg" style="width:600px"><img src="missing.png">'
        '<div class="highlight"><pre style="overflow:auto;width:200px">'
        "vitale conformance run --iut stdio:a-very-long-command-line-that-does-not-fit</pre></div>"
        "<pre>stateDiagram-v2\n    A --> B</pre><p>nir\\_test.json</p>"
        '<div style="width:3000px">wide</div></main></body></html>'
    )
    found = browser.check_page(session, page, {"wide.svg": 12.0})
    text = "\n".join(found)
    for expected in (
        "cuts its content",
        "wide.svg shows its text at 3.6px",
        "image missing.png did not load",
        "code block hides",
        "raw markup 'stateDiagram' shown as text",
        "raw markup '\\\\_' shown as text",
        "page is",
    ):
        assert expected in text, text


def test_failed_report_opens_with_a_red_verdict_banner(built_site: Path, session: Any) -> None:
    found = browser.banner(session, built_site / "conformance-report" / "report.html")
    assert found is not None
    assert found["text"].startswith("FAILED")
    assert found["background"] == "rgb(179, 38, 30)"


def test_verdicts_are_coloured_and_linked_to_the_report(built_site: Path, session: Any) -> None:
    shown = browser.verdicts(session, built_site / "generated" / "matrix.html")
    failed = [(c, b, h) for c, b, h in shown if "fail" in c.split()]
    assert failed, "the failed run's requirement shows no fail verdict"
    for _classes, background, link in failed:
        assert background not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
        assert link.startswith("../conformance-report/report.html#VDC-")


def test_requirement_box_links_its_verdict_and_code_inside_the_site(
    built_site: Path, session: Any
) -> None:
    page = built_site / "spec" / "nir.html"
    verdicts = browser.verdicts(session, page)
    assert any("fail" in classes.split() for classes, _, _ in verdicts)
    targets = browser.links(session, page, ".vdc-trace a[href*='_code/']")
    assert targets
    parsed = urlparse(targets[0])
    code_page = Path(parsed.path)
    assert code_page.is_file() and built_site / "_code" in code_page.parents
    assert f'id="{parsed.fragment}"' in code_page.read_text(encoding="utf-8")


def test_matrix_paths_wrap_only_after_a_separator(built_site: Path, session: Any) -> None:
    """Paths broke mid-name (`test_credential_deco` / `ding.py`) in the code column."""
    assert browser.names_broken_mid_word(session, built_site / "generated" / "matrix.html") == []
