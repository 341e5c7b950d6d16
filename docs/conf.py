"""Sphinx configuration: the specification rendered with sphinx-needs, for auditors."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from sphinx.application import Sphinx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

from conformance.requirements import spec_dir  # noqa: E402  (needs ROOT on the path)

project = "VDC — open model of the digital carte Vitale"
author = "VDC contributors"
copyright = "2026, VDC contributors"

extensions = [
    "myst_parser",
    "sphinx_needs",
    "sphinx.ext.autodoc",
    "sphinx_click",
    "vdc_trace",
    "vdc_api",
    "vdc_diagrams",
]
autodoc_typehints = "description"
# Objects in the navigation would make every page carry the whole API (slow, unreadable).
toc_object_entries = False
autodoc_member_order = "bysource"
autodoc_class_signature = "separated"
myst_enable_extensions = ["colon_fence", "deflist"]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "_ext"]
html_theme = "furo"
html_title = "VDC specification and conformance"
html_static_path = ["_static"]
html_css_files = ["vdc.css"]

needs_id_required = True
# needs.json beside the site: every requirement, test case and vector file with its
# links, for tools that read traceability without parsing HTML.
needs_build_json = True
# A reference to a need shows its identifier: the title is one click away, and an
# auditor searches by identifier.
needs_role_need_template = "{{ id }}"
needs_id_regex = r"^((VDC|TC)-[A-Z]+-\d{3}|VF-[A-Z0-9-]+)$"
needs_types = [
    {
        "directive": "req",
        "title": "Requirement",
        "prefix": "VDC-",
        "color": "#BFD8D2",
        "style": "node",
    },
    {
        "directive": "testcase",
        "title": "Test case",
        "prefix": "TC-",
        "color": "#F2D7B6",
        "style": "node",
    },
    {
        "directive": "vectorfile",
        "title": "Vector file",
        "prefix": "VF-",
        "color": "#D9D2E9",
        "style": "node",
    },
]
needs_links = {
    "verifies": {
        "description": "the requirements a test case or a vector file verifies",
        "incoming": "verified by",
        "outgoing": "verifies",
    },
}
needs_fields = {
    "level": {
        "description": "BCP 14 key word: MUST, MUST NOT, SHOULD, SHOULD NOT or MAY",
        "schema": {"type": "string"},
        "nullable": True,
    },
    "area": {
        "description": "the area of the requirement, from its identifier",
        "schema": {"type": "string"},
        "nullable": True,
    },
    "verification": {
        "description": "test (default) or inspection of the reference (VDC-SPEC-004)",
        "schema": {"type": "string"},
        "nullable": True,
    },
    "evidence": {
        "description": "the repository test verifying a requirement by inspection",
        "schema": {"type": "string"},
        "nullable": True,
    },
    "profile": {
        "description": "the conformance profile a test case belongs to",
        "schema": {"type": "string"},
        "nullable": True,
    },
    "source": {
        "description": "where the test case is declared",
        "schema": {"type": "string"},
        "nullable": True,
    },
    "verdict": {
        "description": "the test case's verdict in the latest conformance run",
        "schema": {"type": "string"},
        "nullable": True,
    },
}

_ID_LINE = re.compile(r"^(?P<indent>\s*):id:\s*VDC-(?P<area>[A-Z]+)-\d{3}\s*$")
_FENCE = re.compile(r"^\s*(?P<fence>`{3,}|:{3,})(?P<info>.*)$")


def _copy_spec(app: Sphinx) -> None:
    """Mirror the specification ($VDC_SPEC_DIR or ../spec) into docs/spec (ignored by git)."""
    source, target = spec_dir(), Path(app.srcdir) / "spec"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)


def with_areas(text: str) -> str:
    """Add `:area:` after the `:id:` of each top-level req block (not of quoted examples)."""
    lines: list[str] = []
    fence, in_req = "", False
    for line in text.split("\n"):
        lines.append(line)
        opened = _FENCE.match(line)
        if not fence and opened:
            fence, in_req = opened["fence"], opened["info"].strip().startswith("{req}")
        elif fence and line.strip() == fence:
            fence, in_req = "", False
        elif in_req and (found := _ID_LINE.match(line)):
            lines.append(f"{found['indent']}:area: {found['area']}")
    return "\n".join(lines)


def _add_area(app: Sphinx, docname: str, source: list[str]) -> None:
    # The area is part of the identifier; writing it twice in spec/ could only drift.
    source[0] = with_areas(source[0])


def setup(app: Sphinx) -> None:
    _copy_spec(app)
    app.connect("source-read", _add_area)
