"""Vector files as test-case parameters, and the requirements their tests exercise."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping

from conformance.catalogue import Parameter, param

_FIELDS = ("requirement", "refusedBy")
"""Fields of a vector's test that name a requirement it exercises."""


def vector_params(relative: str, *base: str) -> Callable[[], Iterable[Parameter]]:
    """Every test of vectors/<relative> as a parameter `tc<N>`, loaded when the case runs.

    Each exercises the requirements its test names (`requirement`, `refusedBy`) and those
    its flags' notes name, so that a failing vector marks only them; a test naming none
    exercises `base` (or, without `base`, every requirement of its case).
    """

    def params() -> Iterable[Parameter]:
        from conformance.vectors import flag_requirements, iter_cases

        flags = flag_requirements(relative)
        for vector in iter_cases(relative):
            named = exercised_by(vector.data, vector.flags, flags) or base
            yield param(f"tc{vector.tc_id}", vector, *named)

    return params


def exercised_by(
    test: Mapping[str, object], flags: Iterable[str], notes: Mapping[str, str]
) -> tuple[str, ...]:
    """The requirements one vector test names: its own fields, then its flags' notes."""
    found = [str(test[name]) for name in _FIELDS if test.get(name)]
    found += [notes.get(flag, "") for flag in flags]
    return tuple(sorted({r for r in found if r.startswith("VDC-")}))


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
