"""Vector files are current, well-formed and described (VDC-VEC-001..003)."""

from __future__ import annotations

import pytest

from conformance.vectors import load_document, vectors_dir
from tools.vectorgen import all_generators, render

GENERATED = all_generators()


@pytest.mark.parametrize("relative", sorted(GENERATED))
def test_checked_in_file_matches_generator(relative: str) -> None:
    """VDC-VEC-003: regenerating from the fixed seeds gives the same bytes."""
    path = vectors_dir() / relative
    assert path.exists(), f"vectors/{relative} is missing: run tools/generate_vectors.py"
    assert path.read_text(encoding="utf-8") == render(GENERATED[relative]())


def _vector_files() -> list[str]:
    return sorted(
        path.relative_to(vectors_dir()).as_posix()
        for path in vectors_dir().rglob("*.json")
        if "schemas" not in path.parts
    )


@pytest.mark.parametrize("relative", _vector_files())
def test_file_validates_and_describes_its_flags(relative: str) -> None:
    """VDC-VEC-001, VDC-VEC-002: schema-valid, every flag has a note, counts agree."""
    document = load_document(vectors_dir() / relative)
    tests = [t for g in document["testGroups"] for t in g["tests"]]
    assert document["numberOfTests"] == len(tests)
    assert [t["tcId"] for t in tests] == list(range(1, len(tests) + 1))
    used = {flag for t in tests for flag in t["flags"]}
    assert used <= set(document["notes"])


def test_every_vector_file_has_a_generator() -> None:
    """VDC-VEC-003: no hand-written vector file."""
    assert set(_vector_files()) <= set(GENERATED)
