"""Differential test against python-stdnum (spec/nir.md, "Differences from python-stdnum").

Both validators see the same inputs: the vectors, structured numbers with every
component drawn from a wide range, the same numbers re-spelt as a person would type
them, and arbitrary text. Wherever they disagree, the disagreement must be one of the
documented differences, proved by re-deriving the rule from the input here; python-stdnum
must never refuse a number VDC accepts. Verifies VDC-NIR-003, 004, 006, 007, 009 to 016.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import exceptions as stdnum_errors
from stdnum.fr import nir as stdnum_nir

from conformance.vectors import iter_cases
from vitale_ref import nir

SPEC = Path(__file__).resolve().parents[2] / "spec" / "nir.md"

# Each documented difference and the requirements its row of the spec names.
DIFFERENCES = {
    "canonical form": ("VDC-NIR-003",),
    "sex": ("VDC-NIR-006", "VDC-NIR-007"),
    "month": ("VDC-NIR-009",),
    "department": ("VDC-NIR-010",),
    "commune": ("VDC-NIR-011", "VDC-NIR-012"),
    "country": ("VDC-NIR-013",),
    "order": ("VDC-NIR-014",),
    "key range": ("VDC-NIR-015",),
    "input bound": ("VDC-NIR-004",),
}
COMPONENTS = ("sex", "month", "department", "commune", "country", "order")


@dataclass(frozen=True)
class Verdict:
    value: str | None
    error: Exception | None


def ours(number: str) -> Verdict:
    try:
        return Verdict(nir.validate(number), None)
    except nir.NIRError as error:
        return Verdict(None, error)


def theirs(number: str) -> Verdict:
    try:
        return Verdict(stdnum_nir.validate(number), None)
    except ValueError as error:  # its own errors, and a plain ValueError (spec/nir.md)
        return Verdict(None, error)


def component_outside_vdc_range(number: str, component: str) -> bool:
    """The component's value breaks its VDC rule, derived here from the spec's tables."""
    place = number[5:7]
    if component == "sex":
        return number[0] not in "12"
    if component == "month":
        month = int(number[3:5])
        return month == 0 or 13 <= month <= 19 or 43 <= month <= 49
    if component == "department":
        return place in ("00", "96")
    if component == "commune":
        overseas = place in ("97", "98")
        return number[8:10] == "00" if overseas else number[7:10] == "000"
    if component == "country":
        return place == "99" and number[7] not in "12345"
    if component == "order":
        return number[10:13] == "000"
    return False


def explain(number: str, depth: int = 0) -> str | None:
    """None when both agree, else the documented difference; any other case fails."""
    mine, stdnum = ours(number), theirs(number)
    if mine.value is not None:
        assert stdnum.value == mine.value, "python-stdnum refuses a number VDC accepts"
        assert stdnum_nir.format(number) == nir.format(number)
        return None
    error = mine.error
    assert isinstance(error, nir.NIRError)
    if stdnum.value is None:
        if isinstance(error, nir.InvalidChecksum):
            assert isinstance(stdnum.error, stdnum_errors.InvalidChecksum)
        if error.requirement == "VDC-NIR-015":
            # Both refuse a key out of 01-97; only the kind of error differs.
            assert isinstance(stdnum.error, stdnum_errors.InvalidChecksum)
            return "key range"
        return None
    if stdnum_nir.compact(number) != number:
        # python-stdnum tidied the spelling; VDC refuses it (VDC-NIR-003, VDC-NIR-004).
        if isinstance(error, nir.InvalidLength):
            assert error.requirement == "VDC-NIR-004"
            assert len(number) > nir.MAX_INPUT_LENGTH
            return "input bound"
        assert isinstance(error, nir.InvalidFormat)
        assert error.requirement in ("VDC-NIR-002", "VDC-NIR-003")
        if depth == 0:
            # Once tidied, the two agree or differ by a component rule only.
            assert explain(stdnum_nir.compact(number), depth + 1) in (None, *COMPONENTS)
        return "canonical form"
    assert isinstance(error, nir.InvalidComponent), f"unexplained: {error.message}"
    assert error.component is not None
    assert component_outside_vdc_range(number, error.component)
    assert error.requirement in DIFFERENCES[error.component]
    return error.component


def _two(low: int = 0, high: int = 99) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda n: f"{n:02d}")


def _three() -> st.SearchStrategy[str]:
    return st.integers(0, 999).map(lambda n: f"{n:03d}")


places = st.one_of(
    st.tuples(_two(), _three()).map("".join),
    st.tuples(st.sampled_from(["2A", "2B"]), _three()).map("".join),
    st.tuples(st.sampled_from(["97", "98"]), st.integers(0, 9).map(str), _two()).map("".join),
    _three().map(lambda code: "99" + code),
)
# Sex is drawn with extra weight on 1 and 2 so that the later components get exercised.
sexes = st.sampled_from("0123456789" + "12" * 4)
bodies = st.tuples(sexes, _two(), _two(), places, _three()).map("".join)


@st.composite
def structured(draw: st.DrawFn) -> str:
    """A 15-character number, usually with the right key, its components from wide ranges."""
    body = draw(bodies)
    right = nir.calc_key(body)
    return body + draw(st.one_of(st.just(right), _two()))


@st.composite
def typed(draw: st.DrawFn) -> str:
    """A structured number spelt as a person might type it."""
    number = draw(structured())
    separator = draw(st.sampled_from([" ", ".", "-", "  ", "\u00a0", "\t"]))
    groups = (number[0], number[1:3], number[3:5], number[5:7], number[7:10], number[10:13])
    spelt = separator.join((*groups, number[13:]))
    if draw(st.booleans()):
        spelt = spelt.lower()
    return draw(st.sampled_from(["", " ", "\n"])) + spelt


@given(structured())
def test_structured_numbers(number: str) -> None:
    """Every disagreement on a well-formed number is a documented component rule."""
    explain(number)


@given(typed())
def test_typed_numbers(number: str) -> None:
    """Human spellings: VDC refuses, python-stdnum tidies; otherwise they agree."""
    explain(number)


@given(st.text(max_size=40))
def test_arbitrary_text(number: str) -> None:
    """No disagreement on junk outside the documented ones."""
    explain(number)


@given(st.text(alphabet="0123456789ABab .", min_size=13, max_size=20))
def test_near_numbers(number: str) -> None:
    """Strings close to a NIR, letters and separators included."""
    explain(number)


def test_vectors_show_every_documented_difference() -> None:
    """Each difference of the spec's table is seen on at least one vector."""
    seen = {explain(case.data["nir"]) for case in iter_cases("nir/nir_test.json")}
    assert seen - {None} == set(DIFFERENCES)


def test_spec_table_lists_exactly_these_differences() -> None:
    """The section of spec/nir.md names the same requirements as this test."""
    text = SPEC.read_text(encoding="utf-8")
    section = text.split("## Differences from python-stdnum", 1)[1]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "VDC-NIR" in line]
    named = {tuple(re.findall(r"VDC-NIR-\d{3}", row.split("|")[1])) for row in rows}
    assert named == set(DIFFERENCES.values())


def test_line_feed_inside_the_number() -> None:
    """VDC-NIR-003: a line feed is a separator; python-stdnum refuses it too (spec note)."""
    number = "1850\n5780060849"
    with pytest.raises(nir.InvalidFormat, match="separator U\\+000A at position 5"):
        nir.validate(number)
    with pytest.raises(ValueError):
        stdnum_nir.validate(number)
