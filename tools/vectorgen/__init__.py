"""Registry of the test-vector generators.

Every module of this package defines `FILES`: a mapping from a path under vectors/ to a
function that builds that file's JSON document from fixed seeds. Adding a vector set
means adding a module; `tools/generate_vectors.py` and the freshness test find it.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Callable, Mapping
from typing import Any

Document = dict[str, Any]
Generator = Callable[[], Document]


def all_generators() -> dict[str, Generator]:
    """Every vector file the project ships, by path relative to vectors/."""
    found: dict[str, Generator] = {}
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        files: Mapping[str, Generator] = getattr(module, "FILES", {})
        for path, generate in files.items():
            if path in found:
                raise ValueError(f"two generators claim vectors/{path}")
            found[path] = generate
    return found


def render(document: Document) -> str:
    """The one serialisation of vector files: stable key order as built, two-space indent."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
