"""The personal-code policy (VDC-PIN-001..008).

Rules are tried in the order of the table below; the first that refuses names itself
in the error (VDC-PIN-005), so that every implementation reports the same reason.

>>> check_personal_code("480715", birth_date="19750315")
>>> check_personal_code("123456", birth_date=None)
Traceback (most recent call last):
...
vitale_ref.pin._errors.WeakPinError: personal code refused: digits in a straight run
>>> check_personal_code("150375", birth_date="19750315")
Traceback (most recent call last):
...
vitale_ref.pin._errors.WeakPinError: personal code refused: the holder's birth date (DDMMYY)
>>> is_acceptable("12a456", birth_date=None)
False
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date

from vitale_ref.pin._birthdate import FORM_NAMES, birth_date_forms
from vitale_ref.pin._blocklist import blocklist
from vitale_ref.pin._errors import PinFormatError, PinMismatchError, WeakPinError

CODE_LENGTH = 6


def is_well_formed(code: object) -> bool:
    """VDC-PIN-001: exactly six ASCII digits, nothing else (no space, no other script)."""
    return isinstance(code, str) and len(code) == CODE_LENGTH and code.isascii() and code.isdigit()


def _identical(code: str) -> bool:
    return len(set(code)) == 1


def _straight_run(code: str) -> bool:
    # VDC-PIN-003: every step +1, or every step -1, counted modulo 10 (890123 is a run).
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(code)}
    return steps in ({1}, {9})


def _repeated_block(code: str) -> bool:
    # VDC-PIN-004: a pair written three times or a triple written twice.
    return code == code[:2] * 3 or code == code[:3] * 2


Rule = tuple[str, str, str, Callable[[str], bool]]
_STRUCTURAL_RULES: tuple[Rule, ...] = (
    ("VDC-PIN-002", "identical", "the same digit six times", _identical),
    ("VDC-PIN-003", "run", "digits in a straight run", _straight_run),
    ("VDC-PIN-004", "repeated-block", "a repeated pair or triple", _repeated_block),
)


def structural_refusal(code: str) -> str | None:
    """The identifier of the first structural rule (VDC-PIN-002..004) refusing `code`."""
    for requirement, _rule, _reason, refuses in _STRUCTURAL_RULES:
        if refuses(code):
            return requirement
    return None


def check_personal_code(code: str, *, birth_date: str | date | None) -> None:
    """Return if `code` may be chosen; else raise WeakPinError naming the refusing rule.

    `birth_date` is the holder's eight-digit birth date (YYYYMMDD, lunar dates allowed),
    a `datetime.date`, or None when it is not known; a malformed one raises
    BirthDateError.
    """
    if not is_well_formed(code):
        raise PinFormatError("personal code must be exactly 6 digits")
    forms = birth_date_forms(birth_date) if birth_date is not None else None
    for requirement, rule, reason, refuses in _STRUCTURAL_RULES:
        if refuses(code):
            raise WeakPinError(
                f"personal code refused: {reason}", requirement=requirement, rule=rule
            )
    if forms is not None and code in forms:
        raise WeakPinError(
            f"personal code refused: the holder's birth date ({FORM_NAMES[forms.index(code)]})",
            requirement="VDC-PIN-006",
            rule="birth-date",
        )
    if code in blocklist():
        raise WeakPinError(
            "personal code refused: a commonly chosen code",
            requirement="VDC-PIN-007",
            rule="blocklist",
        )


def is_acceptable(code: str, *, birth_date: str | date | None) -> bool:
    """True when check_personal_code accepts `code` (a bad birth date still raises)."""
    try:
        check_personal_code(code, birth_date=birth_date)
    except WeakPinError:
        return False
    return True


def confirm_personal_code(first: str, second: str, *, birth_date: str | date | None) -> str:
    """VDC-PIN-008: setup takes the code twice; the policy applies, then the entries must match.

    Returns the accepted code. Raises WeakPinError for a refused first entry and
    PinMismatchError when the second entry differs.
    """
    check_personal_code(first, birth_date=birth_date)
    if first != second:
        raise PinMismatchError()
    return first
