"""Any text either validates or raises NIRError (VDC-NIR-004, VDC-NIR-017, VDC-NIR-018, 019)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vitale_ref import nir

# Every code point, lone surrogates included (what a non-UTF-8 argv decodes to).
any_text = st.text(st.characters(exclude_categories=()), max_size=60)
near = st.text(alphabet="0123456789AB", min_size=15, max_size=15)


def _check_error(error: nir.NIRError) -> None:
    assert error.message.isascii() and error.message.isprintable()
    assert "\n" not in error.message and len(error.message) <= 100
    assert error.requirement.startswith("VDC-NIR-")
    assert (error.component is not None) == isinstance(error, nir.InvalidComponent)


@given(st.one_of(any_text, near))
def test_validate_returns_canonical_or_raises_nir_error(number: str) -> None:
    """The only outcomes are the canonical number itself or a typed error."""
    try:
        result = nir.validate(number)
    except nir.NIRError as error:
        _check_error(error)
        assert nir.is_valid(number) is False
    else:
        assert result == number and len(result) == nir.LENGTH
        assert nir.is_valid(number) is True


@given(st.one_of(any_text, near))
def test_compact_returns_text_or_raises_length_error(number: str) -> None:
    """compact never fails except on the input bound, and never lengthens its input."""
    try:
        tidied = nir.compact(number)
    except nir.NIRError as error:
        assert isinstance(error, nir.InvalidLength)
        assert error.requirement == "VDC-NIR-004"
        assert len(number) > nir.MAX_INPUT_LENGTH
    else:
        assert len(tidied) <= len(number)
        assert nir.compact(tidied) == tidied


@given(st.text(alphabet="0123456789", min_size=13, max_size=13))
def test_display_round_trip(body: str) -> None:
    """A valid number's display form tidies back to it (VDC-NIR-018, VDC-NIR-019)."""
    number = body + nir.calc_key(body)
    if nir.is_valid(number):
        shown = nir.format(number)
        assert [len(group) for group in shown.split(" ")] == [1, 2, 2, 2, 3, 3, 2]
        assert nir.compact(shown) == number
        assert nir.validate(nir.compact(shown.replace(" ", "."))) == number


def test_huge_input_is_refused_by_length() -> None:
    """VDC-NIR-004: a megabyte of junk gives the bounded length error."""
    huge = "\U0001f600" * (1 << 20)
    expected = "1048576 characters: a NIR has 15 (input longer than 32 is refused unread)"
    for function in (nir.validate, nir.compact):
        with pytest.raises(nir.InvalidLength) as caught:
            function(huge)
        assert caught.value.message == expected


def test_compact_is_idempotent_when_a_separator_hides_whitespace() -> None:
    """Found by the deep hypothesis profile: '.\\x1f0' gave '\\x1f0', which compacts to '0'."""
    assert nir.compact(".\x1f0") == "0"
    assert nir.compact(" -\t185052a12345615\n.") == "185052A12345615"
