"""Sphinx extension: the diagrams page, drawn from the code when the build starts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from tools.docs import diagrams
from tools.docs.output import write_page
from tools.docs.pages_diagrams import diagrams_page
from tools.docs.sources import ROOT


def generate(app: Sphinx) -> None:
    out = Path(app.srcdir) / "generated"
    found = {
        "enrolment": diagrams.enrolment(),
        "nfc": diagrams.nfc_sequence(ROOT / "vectors"),
        "pki": diagrams.pki_hierarchy(),
    }
    for key, diagram in found.items():
        if diagram is not None:
            write_page(out, f"diagrams/{key}.svg", diagram.svg)
    write_page(out, "diagrams.rst", diagrams_page(found))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", generate)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
