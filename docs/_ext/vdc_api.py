"""Sphinx extension: API pages for every public module, and docstrings that cannot warn.

The pages are generated from the packages themselves (tools/docs/api.py), so a new
module appears without an edit here. A module that fails to import is a build error
unless `vdc_api_exclude` names it with a reason, which the API index then shows.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from tools.docs.api import ModuleDoc, describe, index_page, module_page, public_modules
from tools.docs.docstrings import safe_lines
from tools.docs.output import prune, write_page

logger = logging.getLogger(__name__)


def generate(app: Sphinx) -> None:
    out = Path(app.srcdir) / "generated" / "api"
    excluded: dict[str, str] = dict(app.config.vdc_api_exclude)
    names = [n for package in app.config.vdc_api_packages for n in public_modules(package)]
    documented = set(names) - set(excluded)
    docs: list[ModuleDoc] = []
    for name in names:
        if name in excluded:
            continue
        doc = describe(name, documented)
        if doc.error:
            logger.warning("API reference: %s does not import (%s)", name, doc.error)
        docs.append(doc)
    keep = {write_page(out, "index.rst", index_page(docs, excluded))}
    keep |= {write_page(out, f"{d.name}.rst", module_page(d)) for d in docs if not d.error}
    prune(out, keep)


def sanitise(  # noqa: PLR0917 (the signature of the Sphinx event)
    app: Sphinx, what: str, name: str, obj: object, options: Any, lines: list[str]
) -> None:
    """Docstrings are written for readers of the code; show any that is not clean reST verbatim."""
    lines[:] = safe_lines(lines)


def sanitise_click(app: Sphinx, ctx: object, lines: list[str]) -> None:
    """Command help texts go through the same check as docstrings."""
    lines[:] = safe_lines(lines)


def setup(app: Sphinx) -> dict[str, Any]:
    packages = os.environ.get("VDC_API_PACKAGES", "vitale_ref,conformance")
    app.add_config_value("vdc_api_packages", [p for p in packages.split(",") if p], "env", list)
    app.add_config_value("vdc_api_exclude", {}, "env", dict)
    app.connect("builder-inited", generate)
    app.connect("autodoc-process-docstring", sanitise)
    for part in ("description", "epilog"):
        app.connect(f"sphinx-click-process-{part}", sanitise_click)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
