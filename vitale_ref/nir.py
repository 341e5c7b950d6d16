"""NIR, the French social-security number (spec chapter VDC-NIR).

A NIR has 15 characters: a 13-character body (sex, year and month of birth, place of
birth, order number) and a 2-digit key equal to 97 minus the body modulo 97, with the
Corsican departments 2A and 2B read as 19 and 18. Beyond the key, every component must
hold a value the register uses for a registered person, and only the canonical
spelling (no separators, upper-case 2A/2B) is valid. `compact` tidies human entry
explicitly; `validate` never does.

Every number below is synthetic.

>>> validate('295059912611113')
'295059912611113'
>>> format('295059912611113')
'2 95 05 99 126 111 13'
>>> validate(compact(' 2 95 05 99 126 111 13 '))
'295059912611113'
>>> is_valid('2 95 05 99 126 111 13')
False
>>> validate('2950599126111')
Traceback (most recent call last):
    ...
vitale_ref.nir.InvalidLength: 13 characters: the 2-digit key is missing (a NIR has 15)
>>> validate('2 95 05 99 126 111 13')
Traceback (most recent call last):
    ...
vitale_ref.nir.InvalidFormat: separator ' ' at position 2: write the NIR without separators
>>> validate('185052a12345615')
Traceback (most recent call last):
    ...
vitale_ref.nir.InvalidFormat: lower-case 'a' at position 7: write 2A and 2B in upper case
>>> validate('795059912611148')
Traceback (most recent call last):
    ...
vitale_ref.nir.InvalidComponent: sex 7 (position 1) marks a provisional number, not a registered NIR
>>> validate('295059912611114')
Traceback (most recent call last):
    ...
vitale_ref.nir.InvalidChecksum: key 14 (positions 14-15) does not match positions 1-13
"""

from __future__ import annotations

from vitale_ref.errors import VitaleError

__all__ = [
    "LENGTH",
    "MAX_INPUT_LENGTH",
    "InvalidChecksum",
    "InvalidComponent",
    "InvalidFormat",
    "InvalidLength",
    "NIRError",
    "calc_key",
    "compact",
    "format",
    "is_valid",
    "validate",
]

LENGTH = 15
"""VDC-NIR-001: characters of a NIR, body and key."""

MAX_INPUT_LENGTH = 32
"""VDC-NIR-004: longer input is refused before any character is examined."""

_DIGITS = frozenset("0123456789")
_SEPARATORS = frozenset(" .-")
_CORSICA = {"2A": "19", "2B": "18"}  # VDC-NIR-016: how the key reads 2A and 2B
_PROVISIONAL_SEX = frozenset("3478")  # VDC-NIR-007
_CONTINENTS = frozenset("12345")  # VDC-NIR-013: first digit of a country code


class NIRError(VitaleError, ValueError):
    """A string that is not a valid NIR; `requirement` names the rule it breaks."""

    def __init__(self, message: str, *, requirement: str, component: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.requirement = requirement
        self.component = component


class InvalidFormat(NIRError):  # noqa: N818 (python-stdnum names)
    """A character outside the alphabet or outside the canonical form (VDC-NIR-002/003)."""


class InvalidLength(NIRError):  # noqa: N818 (python-stdnum names)
    """Not 15 characters, or longer than the input bound (VDC-NIR-001/004)."""


class InvalidComponent(NIRError):  # noqa: N818 (python-stdnum names)
    """A component holds a value the register does not use (VDC-NIR-006..015)."""


class InvalidChecksum(NIRError):  # noqa: N818 (python-stdnum names)
    """The key does not match the body (VDC-NIR-016)."""


def _shown(char: str) -> str:
    """A character for a message: quoted if printable ASCII, else its code point."""
    if " " <= char <= "~":
        return repr(char)
    return f"U+{ord(char):04X}"


def compact(number: str) -> str:
    """Tidy human entry into a candidate NIR (VDC-NIR-019); the result is not validated.

    Removes surrounding whitespace, spaces, dots and hyphens and upper-cases a and b.
    Input longer than the bound is refused first (VDC-NIR-004).

    >>> compact('2.95.05.99.126.111.13')
    '295059912611113'
    >>> compact('1-85-05-2a-123-456-15')
    '185052A12345615'
    """
    _check_type(number)
    _check_bound(number)
    # Separators first, then the surrounding whitespace: stripping first would leave a
    # control character that a separator hid from strip(), and a second pass would then
    # remove it (compact must be idempotent).
    kept = "".join(c for c in number if c not in _SEPARATORS).strip()
    return "".join(c.upper() if c in "ab" else c for c in kept)


def calc_key(body: str) -> str:
    """The 2-digit key of a 13-character body (VDC-NIR-016).

    >>> calc_key('2950599126111')
    '13'
    >>> calc_key('185052A123456')
    '33'
    """
    digits = body[:5] + _CORSICA.get(body[5:7], body[5:7]) + body[7:]
    if len(body) != LENGTH - 2 or not all(c in _DIGITS for c in digits):
        raise InvalidFormat("a key is computed from 13 characters", requirement="VDC-NIR-016")
    return f"{97 - int(digits) % 97:02d}"


def validate(number: str) -> str:
    """Return the NIR unchanged if it is valid and canonical, else raise a NIRError.

    The checks run in the order of VDC-NIR-005, so the error kind is reproducible.
    """
    _check_type(number)
    _check_bound(number)
    _check_characters(number)
    _check_length(number)
    _check_letters(number)
    _check_sex(number)
    _check_month(number)
    _check_place(number)
    _check_order_and_key_range(number)
    _check_key(number)
    return number


def is_valid(number: str) -> bool:
    """Whether `validate` accepts the number."""
    try:
        validate(number)
    except NIRError:
        return False
    return True


def format(number: str, separator: str = " ") -> str:  # the python-stdnum name
    """The display grouping 1-2-2-2-3-3-2 of a valid NIR (VDC-NIR-018).

    >>> format('185052A12345633')
    '1 85 05 2A 123 456 33'
    """
    valid = validate(number)
    groups = (valid[0], valid[1:3], valid[3:5], valid[5:7], valid[7:10], valid[10:13])
    return separator.join((*groups, valid[13:]))


def _check_type(number: object) -> None:
    if not isinstance(number, str):
        raise InvalidFormat(
            f"a NIR is text, not {type(number).__name__}", requirement="VDC-NIR-002"
        )


def _check_bound(number: str) -> None:
    # VDC-NIR-004: refuse by length alone, before looking at any character.
    if len(number) > MAX_INPUT_LENGTH:
        raise InvalidLength(
            f"{len(number)} characters: a NIR has 15 (input longer than "
            f"{MAX_INPUT_LENGTH} is refused unread)",
            requirement="VDC-NIR-004",
        )


def _check_characters(number: str) -> None:
    # VDC-NIR-002, VDC-NIR-003: the first offending character, from the left.
    for position, char in enumerate(number, start=1):
        if char in _DIGITS or char in "AB":
            continue
        if char in _SEPARATORS or char.isspace():
            raise InvalidFormat(
                f"separator {_shown(char)} at position {position}: "
                "write the NIR without separators",
                requirement="VDC-NIR-003",
            )
        if char in "ab":
            raise InvalidFormat(
                f"lower-case {char!r} at position {position}: write 2A and 2B in upper case",
                requirement="VDC-NIR-003",
            )
        if char.isdigit():
            raise InvalidFormat(
                f"non-ASCII digit {_shown(char)} at position {position}: "
                "only the digits 0-9 are allowed",
                requirement="VDC-NIR-003",
            )
        raise InvalidFormat(
            f"character {_shown(char)} at position {position} is not a digit",
            requirement="VDC-NIR-002",
        )


def _check_length(number: str) -> None:
    # VDC-NIR-001
    if len(number) == LENGTH:
        return
    if not number:
        reason = "empty: a NIR has 15 characters"
    elif len(number) == LENGTH - 2:
        reason = "13 characters: the 2-digit key is missing (a NIR has 15)"
    else:
        reason = f"{len(number)} characters: a NIR has 15"
    raise InvalidLength(reason, requirement="VDC-NIR-001")


def _check_letters(number: str) -> None:
    # VDC-NIR-002: a letter only as the A or B of the Corsican departments.
    for position, char in enumerate(number, start=1):
        if char in "AB" and not (position == 7 and number[5] == "2"):
            raise InvalidFormat(
                f"letter {char!r} at position {position}: only the Corsican "
                "departments 2A and 2B contain a letter",
                requirement="VDC-NIR-002",
            )


def _component(message: str, component: str, requirement: str) -> InvalidComponent:
    return InvalidComponent(message, requirement=requirement, component=component)


def _check_sex(number: str) -> None:
    sex = number[0]
    if sex in _PROVISIONAL_SEX:  # VDC-NIR-007
        raise _component(
            f"sex {sex} (position 1) marks a provisional number, not a registered NIR",
            "sex",
            "VDC-NIR-007",
        )
    if sex not in "12":  # VDC-NIR-006
        raise _component(f"sex {sex} (position 1) is not 1 or 2", "sex", "VDC-NIR-006")


def _check_month(number: str) -> None:
    # VDC-NIR-009: calendar months and the special values 20-42 and 50-99.
    month = int(number[3:5])
    if not (1 <= month <= 12 or 20 <= month <= 42 or month >= 50):
        raise _component(
            f"month {number[3:5]} (positions 4-5) is not 01-12, 20-42 or 50-99",
            "month",
            "VDC-NIR-009",
        )


def _check_place(number: str) -> None:
    department = number[5:7]
    if department in ("97", "98"):
        # VDC-NIR-012: a 3-digit overseas code and a 2-digit commune.
        if number[8:10] == "00":
            raise _component(
                f"commune 00 (positions 9-10) of overseas code {number[5:8]} is not 01-99",
                "commune",
                "VDC-NIR-012",
            )
    elif department == "99":
        # VDC-NIR-013: the first digit of the country code is a continent.
        if number[7] not in _CONTINENTS:
            raise _component(
                f"country code {number[7:10]} (positions 8-10) is not 100-599",
                "country",
                "VDC-NIR-013",
            )
    elif department in _CORSICA or 1 <= int(department) <= 95:
        # VDC-NIR-011: metropolitan department (or Corsica) and a 3-digit commune.
        if number[7:10] == "000":
            raise _component(
                "commune 000 (positions 8-10) is not 001-999", "commune", "VDC-NIR-011"
            )
    else:
        # VDC-NIR-010: 00 and 96 are not used.
        raise _component(
            f"department {department} (positions 6-7) is not 01-95, 2A, 2B, 97, 98 or 99",
            "department",
            "VDC-NIR-010",
        )


def _check_order_and_key_range(number: str) -> None:
    if number[10:13] == "000":  # VDC-NIR-014
        raise _component(
            "order number 000 (positions 11-13) is not 001-999", "order", "VDC-NIR-014"
        )
    if not 1 <= int(number[13:]) <= 97:  # VDC-NIR-015
        raise _component(f"key {number[13:]} (positions 14-15) is not 01-97", "key", "VDC-NIR-015")


def _check_key(number: str) -> None:
    # VDC-NIR-016: the expected key is not revealed, so a typo in the body is not
    # "repaired" by copying the key the message would suggest.
    if calc_key(number[:13]) != number[13:]:
        raise InvalidChecksum(
            f"key {number[13:]} (positions 14-15) does not match positions 1-13",
            requirement="VDC-NIR-016",
        )
