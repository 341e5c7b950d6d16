"""Six-digit forms of a birth date that a holder might choose as a code (VDC-PIN-006).

A birth date is the credential's eight-digit element in the order YYYYMMDD. French
"lunar" dates (day or month unknown, written 00, or a day above the calendar's) are
legal values, so the digits are sliced as they are and never checked against a
calendar: a holder born "00" of a month may still type that 00.

>>> birth_date_forms("19750315")
('150375', '031575', '750315', '150319', '031975', '197503')
>>> birth_date_forms("19750000")
('000075', '000075', '750000', '000019', '001975', '197500')
>>> birth_date_forms(date(1975, 3, 15)) == birth_date_forms("19750315")
True
>>> birth_date_forms("1975-03-15")
Traceback (most recent call last):
...
vitale_ref.pin._errors.BirthDateError: birth date must be 8 ASCII digits (YYYYMMDD)
"""

from __future__ import annotations

from datetime import date

from vitale_ref.pin._errors import BirthDateError

FORM_NAMES = ("DDMMYY", "MMDDYY", "YYMMDD", "DDMMCC", "MMYYYY", "YYYYMM")
"""The forms, in the order `birth_date_forms` returns them; CC is the century digits."""


def _is_ascii_digits(text: str, length: int) -> bool:
    return len(text) == length and text.isascii() and text.isdigit()


def birth_date_forms(birth_date: str | date) -> tuple[str, ...]:
    """The six-digit codes derived from `birth_date` (YYYYMMDD), in FORM_NAMES order.

    A `datetime.date` is accepted for callers that hold calendar dates; lunar dates
    can only be given as strings.
    """
    if isinstance(birth_date, date):
        birth_date = f"{birth_date.year:04d}{birth_date.month:02d}{birth_date.day:02d}"
    if not isinstance(birth_date, str) or not _is_ascii_digits(birth_date, 8):
        raise BirthDateError("birth date must be 8 ASCII digits (YYYYMMDD)")
    century, year, month, day = birth_date[:2], birth_date[2:4], birth_date[4:6], birth_date[6:]
    return (
        day + month + year,
        month + day + year,
        year + month + day,
        day + month + century,  # the first six digits of DDMMYYYY
        month + century + year,  # the last six digits of DDMMYYYY
        century + year + month,  # the first six digits of YYYYMMDD
    )
