"""Holder profile: the birth date a personal-code check is given (VDC-PIN-006, harness).

`pin.check` takes the holder's birth date as `YYYYMMDD`, eight ASCII digits, so that the
codes it forbids (VDC-PIN-006) are derived from it; any other form is a `bad_request`
(spec/harness.md), never a date silently ignored, which would let a birth-date code pass.
"""

from __future__ import annotations

from collections.abc import Iterable

from conformance.adapters import IutBase
from conformance.cases._checks import accepted, refused
from conformance.catalogue import Param, tc

CHECK = "pin.check"
CODE = "294718"
"""A code no rule of VDC-PIN refuses, whatever the birth date below."""


def _forms() -> Iterable[Param]:
    yield "7-digits", "1980010"
    yield "9-digits", "198001011"
    yield "arabic-indic-digits", "\u0661\u0669\u0668\u0660\u0660\u0661\u0660\u0661"
    yield "fullwidth-digits", "\uff11\uff19\uff18\uff10\uff10\uff11\uff10\uff11"
    yield "dashes", "1980-01-01"
    yield "letter-o", "1980O101"
    yield "empty", ""


@tc(
    "TC-PIN-100",
    title="A birth date not of eight ASCII digits is a bad request to pin.check",
    purpose="pin.check with an acceptable code and a birth date of 7 or 9 digits, of "
    "non-ASCII digits (Arabic-Indic, fullwidth), with dashes, with a letter, or empty: "
    "each is refused as bad_request, while the same code with 19800101 is accepted.",
    verifies=["VDC-PIN-006"],
    profile="holder",
    kind="negative",
    expected="error bad_request for each form; {} for 19800101",
    operations=[CHECK],
    params=_forms,
)
def test_birth_date_forms(iut: IutBase, param: str) -> None:
    accepted(iut, CHECK, {"code": CODE, "birthDate": "19800101"})
    refused(iut, CHECK, {"code": CODE, "birthDate": param}, "bad_request", note=repr(param))
