"""Sphinx extension: the diagrams, drawn from the code when the build starts.

`vdc-diagram KEY` shows one of them (tools.docs.diagrams.all_diagrams) where a page
asks for it, the specification chapters included: at its own size (so its text stays
readable), in a box that scrolls sideways when the page is narrower than the drawing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from tools.docs import charts, diagrams
from tools.docs.output import write_page
from tools.docs.pages_diagrams import diagrams_page
from tools.docs.sources import ROOT

FOLDER = "generated/diagrams"


def generate(app: Sphinx) -> None:
    out = Path(app.srcdir) / "generated"
    found = diagrams.all_diagrams(ROOT / "vectors")
    for key, diagram in found.items():
        if diagram is not None:
            write_page(out, f"diagrams/{key}.svg", diagram.svg)
    times = charts.on_air_times(ROOT / "vectors" / diagrams.TRANSCRIPT)
    write_page(out, "charts/onair.svg", charts.on_air_chart(times))
    write_page(out, "diagrams.rst", diagrams_page(found, on_air=times))


class DiagramDirective(Directive):  # type: ignore[misc]  # docutils ships no types
    """`vdc-diagram KEY`: the drawing generated as generated/diagrams/KEY.svg."""

    required_arguments = 1
    has_content = False
    known: ClassVar[set[str]] = set()

    def run(self) -> list[nodes.Node]:
        key = self.arguments[0]
        if key not in self.known:
            raise self.error(f"unknown diagram {key!r}: one of {', '.join(sorted(self.known))}")
        image = nodes.image(uri=f"/{FOLDER}/{key}.svg", alt=f"{key} diagram, drawn from the code")
        image["classes"].append("vdc-diagram")
        box = nodes.container(classes=["vdc-diagram-box"])
        box += image
        return [box]


def setup(app: Sphinx) -> dict[str, Any]:
    found = diagrams.all_diagrams(ROOT / "vectors")
    missing = [key for key, diagram in found.items() if diagram is None]
    if missing:
        raise ExtensionError(f"diagrams cannot be drawn: {', '.join(missing)}")
    DiagramDirective.known = set(found)
    app.add_directive("vdc-diagram", DiagramDirective)
    app.connect("builder-inited", generate)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
