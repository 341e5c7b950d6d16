"""Vector files as test-case parameters, and the requirements their tests exercise."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from conformance.catalogue import Param

_FIELDS = ("requirement", "refusedBy")


def vector_params(relative: str) -> Callable[[], Iterable[Param]]:
    """Every test of vectors/<relative> as (tc<N>, VectorCase), loaded when the case runs."""

    def params() -> Iterable[Param]:
        from conformance.vectors import iter_cases

        for vector in iter_cases(relative):
            yield f"tc{vector.tc_id}", vector

    return params


def vector_requirements(relative: str, *base: str) -> list[str]:
    """The requirements the file's flags and tests name, plus `base` (read unvalidated)."""
    from conformance.vectors import vectors_dir

    found = set(base)
    path = vectors_dir() / relative
    if path.is_file():
        document = json.loads(path.read_text(encoding="utf-8"))
        found |= {str(note.get("requirement", "")) for note in document["notes"].values()}
        for group in document["testGroups"]:
            for test in group["tests"]:
                found |= {str(test[f]) for f in _FIELDS if test.get(f)}
    return sorted(r for r in found if r.startswith("VDC-"))
