"""The personal-code choice policy (VDC-PIN-001..008)."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

import vitale_ref.pin._birthdate as birthdate_module
import vitale_ref.pin._policy as policy_module
from vitale_ref.errors import VitaleError
from vitale_ref.pin import (
    BirthDateError,
    PinError,
    PinFormatError,
    PinMismatchError,
    WeakPinError,
    birth_date_forms,
    blocklist,
    check_personal_code,
    confirm_personal_code,
    is_acceptable,
)


def _refusal(code: str, birth_date: str | None = None) -> tuple[str | None, str]:
    with pytest.raises(WeakPinError) as caught:
        check_personal_code(code, birth_date=birth_date)
    return caught.value.requirement, caught.value.rule


@pytest.mark.parametrize(
    "code", ["12345", "1234567", "", "12 456", "١٢٣٤٥٦", "12345\n", "+12345", "12345a"]
)
def test_pin_format_refused(code: str) -> None:
    """VDC-PIN-001: exactly six ASCII digits; one digit short or over is refused."""
    with pytest.raises(PinFormatError, match=r"^personal code must be exactly 6 digits$"):
        check_personal_code(code, birth_date=None)
    assert _refusal(code) == ("VDC-PIN-001", "format")


def test_pin_format_non_string_refused() -> None:
    """VDC-PIN-001: a non-string is a typed refusal, not a crash."""
    assert not is_acceptable(123456, birth_date=None)  # type: ignore[arg-type]


def test_pin_error_family() -> None:
    """Errors of the area derive from PinError and VitaleError."""
    assert issubclass(WeakPinError, PinError)
    assert issubclass(PinError, VitaleError)
    assert issubclass(PinFormatError, WeakPinError)
    assert issubclass(WeakPinError, ValueError)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("000000", "VDC-PIN-002"),
        ("999999", "VDC-PIN-002"),
        ("123456", "VDC-PIN-003"),
        ("654321", "VDC-PIN-003"),
        ("890123", "VDC-PIN-003"),
        ("109876", "VDC-PIN-003"),
        ("121212", "VDC-PIN-004"),
        ("123123", "VDC-PIN-004"),
        ("007007", "VDC-PIN-004"),
        ("909090", "VDC-PIN-004"),
        ("147258", "VDC-PIN-007"),
        ("123321", "VDC-PIN-007"),
        ("112233", "VDC-PIN-007"),
        ("111222", "VDC-PIN-007"),
        ("000001", "VDC-PIN-007"),
        ("135791", "VDC-PIN-007"),
    ],
)
def test_pin_structural_and_blocklist_rules(code: str, expected: str) -> None:
    """VDC-PIN-002, -003, -004, -007, in the order of VDC-PIN-005."""
    assert _refusal(code)[0] == expected


@pytest.mark.parametrize(
    "code", ["123457", "123465", "121213", "123124", "111121", "480715", "000010"]
)
def test_pin_one_past_each_pattern_is_accepted(code: str) -> None:
    """VDC-PIN-002..004, -007: one digit off a refused pattern is acceptable."""
    assert is_acceptable(code, birth_date=None)
    check_personal_code(code, birth_date=None)


@pytest.mark.parametrize(
    ("code", "form"),
    [
        ("150375", "DDMMYY"),
        ("031575", "MMDDYY"),
        ("750315", "YYMMDD"),
        ("150319", "DDMMCC"),
        ("031975", "MMYYYY"),
        ("197503", "YYYYMM"),
    ],
)
def test_pin_birth_date_forms_refused(code: str, form: str) -> None:
    """VDC-PIN-006: each documented form of the birth date is refused."""
    with pytest.raises(
        WeakPinError, match=rf"^personal code refused: the holder's birth date \({form}\)$"
    ):
        check_personal_code(code, birth_date="19750315")
    assert is_acceptable(code, birth_date=None)


def test_pin_lunar_birth_dates() -> None:
    """VDC-PIN-006: lunar dates (00 day or month, impossible day) are sliced as written."""
    assert birth_date_forms("19750000")[0] == "000075"
    assert _refusal("000075", "19750000") == ("VDC-PIN-006", "birth-date")
    assert _refusal("004275", "19754200")[0] == "VDC-PIN-006"
    assert _refusal("001975", "19750000") == ("VDC-PIN-006", "birth-date")
    assert is_acceptable("000075", birth_date="19750101")


@pytest.mark.parametrize(
    "birth_date",
    ["1975031", "197503150", "1975-3-15", "\uff11\uff19\uff17\uff15\uff10\uff13\uff11\uff15"],
)
def test_pin_bad_birth_date_is_an_error(birth_date: str) -> None:
    """VDC-PIN-006: a malformed birth date raises instead of accepting the code."""
    with pytest.raises(BirthDateError, match=r"^birth date must be 8 ASCII digits \(YYYYMMDD\)$"):
        check_personal_code("480715", birth_date=birth_date)


def test_pin_confirmation() -> None:
    """VDC-PIN-008: entered twice; policy first, then equality."""
    assert confirm_personal_code("480715", "480715", birth_date=None) == "480715"
    with pytest.raises(PinMismatchError, match=r"^the two entries of the personal code differ$"):
        confirm_personal_code("480715", "480716", birth_date=None)
    with pytest.raises(WeakPinError) as caught:
        confirm_personal_code("123456", "123456", birth_date=None)
    assert caught.value.requirement == "VDC-PIN-003"


def test_pin_blocklist_size_and_disjoint_from_structural_rules() -> None:
    """VDC-PIN-007: 588 codes, none of which an earlier rule already refuses."""
    codes = blocklist()
    assert len(codes) == 588
    assert all(_refusal(code)[0] == "VDC-PIN-007" for code in codes)


def test_pin_blocklist_file_matches_its_construction() -> None:
    """VDC-PIN-007: the shipped data equals the documented construction."""
    from tools.vectorgen.pin_blocklist import BLOCKLIST_PATH, render_blocklist

    assert BLOCKLIST_PATH.read_text(encoding="utf-8") == render_blocklist()


@given(st.text(max_size=8))
def test_pin_policy_robust_to_junk(code: str) -> None:
    """VDC-PIN-001: any input is accepted or refused with WeakPinError, nothing else."""
    try:
        check_personal_code(code, birth_date="19750315")
    except WeakPinError as error:
        assert error.requirement is not None
    else:
        assert len(code) == 6 and code.isdigit()


@given(st.from_regex(r"\A[0-9]{6}\Z"))
def test_pin_every_six_digit_code_has_one_verdict(code: str) -> None:
    """VDC-PIN-005: a refusal names one of the documented rules."""
    try:
        check_personal_code(code, birth_date="20000229")
    except WeakPinError as error:
        assert error.requirement in {f"VDC-PIN-00{n}" for n in (2, 3, 4, 6, 7)}


def test_pin_policy_doctests() -> None:
    """The examples in the module docstrings run."""
    for module in (policy_module, birthdate_module):
        result = doctest.testmod(module)
        assert result.failed == 0
        assert result.attempted > 0


def test_pin_birth_date_as_date_object() -> None:
    """VDC-PIN-006: a calendar date object gives the same forms as its 8 digits."""
    from datetime import date

    assert _refusal("150375", date(1975, 3, 15)) == ("VDC-PIN-006", "birth-date")  # type: ignore[arg-type]
    assert is_acceptable("150376", birth_date=date(1975, 3, 15))
