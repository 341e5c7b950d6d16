"""The built site: the pages auditors open show requirement IDs, and render to images."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

from conformance.requirements import load_requirements
from tests._support import unavailable
from tools.docs import screenshots

IDS = re.compile(r"VDC-[A-Z]+-\d{3}")


def _text(site: Path, page: str) -> str:
    return (site / screenshots.PAGES[page]).read_text(encoding="utf-8")


def test_matrix_lists_every_requirement(built_site: Path) -> None:
    shown = set(IDS.findall(_text(built_site, "matrix")))
    assert {r.id for r in load_requirements()} <= shown


def test_requirement_page_shows_its_needs(built_site: Path) -> None:
    html = _text(built_site, "requirement")
    assert 'id="VDC-NIR-001"' in html
    for label, value in (("level", "MUST"), ("area", "NIR")):
        assert f'{label}: </span><span class="needs_data">{value}</span>' in html


def test_index_says_independent_and_synthetic(built_site: Path) -> None:
    html = " ".join(_text(built_site, "index").split())
    assert "not affiliated with, endorsed by or derived from Assurance Maladie" in html
    # The summary table names the identifier range of every area.
    assert {r.id.split("-")[1] for r in load_requirements()} <= {
        rid.split("-")[1] for rid in IDS.findall(html)
    }
    assert "synthetic" in html


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_screenshots_are_not_empty(built_site: Path, tmp_path: Path) -> None:
    browser = screenshots.find_browser()
    if browser is None:
        unavailable("chromium is not installed (Debian package: chromium)")
    written = screenshots.render_all(built_site, tmp_path, browser)
    assert sorted(written) == ["index", "matrix", "requirement"]
    for path in written.values():
        assert _png_size(path) == (1280, 1600)
        # A blank page compresses to a few kilobytes; a page of text does not.
        assert path.stat().st_size > 30_000, f"{path.name} looks blank"


def test_needs_json_lists_every_requirement_with_level_and_area(built_site: Path) -> None:
    data = json.loads((built_site / "needs.json").read_text(encoding="utf-8"))
    needs = data["versions"][data["current_version"]]["needs"]
    for requirement in load_requirements():
        need = needs[requirement.id]
        assert (need["type"], need["level"], need["area"]) == (
            "req",
            requirement.level,
            requirement.area,
        )
    linked = [n for n in needs.values() if n["type"] == "testcase"]
    assert linked
    assert all(n["verifies"] for n in linked)
