"""The NIR vectors and the module's doctests (VDC-NIR-001..019)."""

from __future__ import annotations

import doctest
from collections import Counter

import pytest

from conformance.vectors import VectorCase, iter_cases, load_document, vectors_dir
from vitale_ref import nir

FILE = "nir/nir_test.json"
CASES = list(iter_cases(FILE))
NOTES = load_document(vectors_dir() / FILE)["notes"]


def test_doctests_pass() -> None:
    """VDC-NIR-003, 016, 017, 018, 019: the documented examples hold, one per error kind."""
    result = doctest.testmod(nir)
    assert result.failed == 0
    assert result.attempted >= 10


def test_vector_file_covers_each_rule_and_error_kind() -> None:
    """At least 40 cases; every error kind and every component appears."""
    assert len(CASES) >= 40
    kinds = Counter(case.data["error"] for case in CASES)
    assert set(kinds) == {
        None,
        "InvalidFormat",
        "InvalidLength",
        "InvalidComponent",
        "InvalidChecksum",
    }
    components = {case.data["component"] for case in CASES} - {None}
    assert components == {"sex", "month", "department", "commune", "country", "order", "key"}
    assert all(case.comment.startswith("synthetic: ") for case in CASES)


@pytest.mark.parametrize("case", [c for c in CASES if c.result == "valid"], ids=lambda c: c.name)
def test_valid_vector(case: VectorCase) -> None:
    """A valid vector validates to its canonical form and displays as given (VDC-NIR-018)."""
    assert nir.validate(case.data["nir"]) == case.data["canonical"]
    assert nir.is_valid(case.data["nir"]) is True
    assert nir.format(case.data["nir"]) == case.data["formatted"]


@pytest.mark.parametrize("case", [c for c in CASES if c.result == "invalid"], ids=lambda c: c.name)
def test_invalid_vector(case: VectorCase) -> None:
    """An invalid vector raises the expected kind, for a rule one of its flags names."""
    with pytest.raises(nir.NIRError) as caught:
        nir.validate(case.data["nir"])
    error = caught.value
    assert type(error).__name__ == case.data["error"]
    assert error.component == case.data["component"]
    assert error.requirement in {NOTES[flag]["requirement"] for flag in case.flags}
    assert nir.is_valid(case.data["nir"]) is False
    with pytest.raises(type(error)):
        nir.format(case.data["nir"])
