"""Seeded faults in the NIR validator: each replaces one check of `vitale_ref.nir`."""

from __future__ import annotations

from collections.abc import Callable

from conformance.driver.faults import fault, patch
from vitale_ref import nir

_real_validate = nir.validate
_real_calc_key = nir.calc_key


def _no_op(number: str) -> None:
    return None


@fault(
    "nir-no-key-check", "the key is never compared with the body", "VDC-NIR-016", ("TC-NIR-016",)
)
def _no_key_check() -> None:
    patch(nir, "_check_key", _no_op)


@fault(
    "nir-corsica-key-as-20",
    "the key of 2A/2B numbers is computed with the department read as 20",
    "VDC-NIR-016",
    ("TC-NIR-001", "TC-NIR-016"),
)
def _corsica_as_20() -> None:
    def calc_key(body: str) -> str:
        return _real_calc_key(body[:5] + "20" + body[7:] if body[5:7] in ("2A", "2B") else body)

    patch(nir, "calc_key", calc_key)


@fault(
    "nir-accepts-provisional",
    "numbers whose sex digit is 3, 4, 7 or 8 are accepted",
    "VDC-NIR-007",
    ("TC-NIR-008",),
)
def _accepts_provisional() -> None:
    def check_sex(number: str) -> None:
        if number[0] not in "123478":
            raise nir.InvalidComponent("sex", requirement="VDC-NIR-006", component="sex")

    patch(nir, "_check_sex", check_sex)


@fault(
    "nir-normalises-input",
    "the validator silently removes separators and upper-cases a/b",
    "VDC-NIR-003",
    ("TC-NIR-005",),
)
def _normalises() -> None:
    def validate(number: str) -> str:
        return _real_validate(nir.compact(number))

    patch(nir, "validate", validate)


@fault(
    "nir-no-input-bound",
    "oversized input is examined character by character",
    "VDC-NIR-004",
    ("TC-NIR-003",),
)
def _no_bound() -> None:
    patch(nir, "_check_bound", _no_op)


@fault(
    "nir-month-13-accepted",
    "months 13 to 19 and 43 to 49 are accepted",
    "VDC-NIR-009",
    ("TC-NIR-009",),
)
def _month_13() -> None:
    def check_month(number: str) -> None:
        if number[3:5] == "00":
            raise nir.InvalidComponent("month 00", requirement="VDC-NIR-009", component="month")

    patch(nir, "_check_month", check_month)


@fault(
    "nir-order-000-accepted",
    "order number 000 is accepted (the key range is still checked)",
    "VDC-NIR-014",
    ("TC-NIR-014",),
)
def _order_000() -> None:
    def check(number: str) -> None:
        if not 1 <= int(number[13:]) <= 97:
            raise nir.InvalidComponent("key range", requirement="VDC-NIR-015", component="key")

    patch(nir, "_check_order_and_key_range", check)


@fault(
    "nir-key-range-as-checksum",
    "keys 00, 98 and 99 reach the key computation and fail as a checksum error",
    "VDC-NIR-015",
    ("TC-NIR-015",),
)
def _key_range() -> None:
    def check(number: str) -> None:
        if number[10:13] == "000":
            raise nir.InvalidComponent("order 000", requirement="VDC-NIR-014", component="order")

    patch(nir, "_check_order_and_key_range", check)


@fault(
    "nir-any-country",
    "any 3-digit country code after 99 is accepted",
    "VDC-NIR-013",
    ("TC-NIR-013",),
)
def _any_country() -> None:
    real = nir._check_place

    def check_place(number: str) -> None:
        if number[5:7] != "99":
            real(number)

    patch(nir, "_check_place", check_place)


@fault(
    "nir-department-96-accepted",
    "departments 00 and 96 are accepted as metropolitan departments",
    "VDC-NIR-010",
    ("TC-NIR-010",),
)
def _department_96() -> None:
    real = nir._check_place

    def check_place(number: str) -> None:
        if number[5:7] in ("00", "96"):
            return
        real(number)

    patch(nir, "_check_place", check_place)


@fault(
    "nir-message-echoes-input",
    "error messages repeat the refused input",
    "VDC-NIR-017",
    ("TC-NIR-017",),
)
def _echo() -> None:
    def validate(number: str) -> str:
        try:
            return _real_validate(number)
        except nir.NIRError as error:
            error.message = f"{error.message}: {number}"
            raise

    patch(nir, "validate", validate)


@fault(
    "nir-length-checked-first",
    "the length is checked before the characters, against the fixed order",
    "VDC-NIR-005",
    ("TC-NIR-006",),
)
def _length_first() -> None:
    real_characters = nir._check_characters

    def check_characters(number: str) -> None:
        nir._check_length(number)
        real_characters(number)

    patch(nir, "_check_characters", check_characters)


@fault(
    "nir-bound-31",
    "input of 32 characters is refused by its length alone (the bound is one too low)",
    "VDC-NIR-004",
    ("TC-NIR-019",),
)
def _bound_31() -> None:
    patch(nir, "MAX_INPUT_LENGTH", 31)


def _refuse_also(check_name: str, refused: Callable[[str], bool], error: Exception) -> None:
    """Wrap one check of the validator so that it also refuses what `refused` says."""
    real = getattr(nir, check_name)

    def check(number: str) -> None:
        real(number)
        if refused(number):
            raise error

    patch(nir, check_name, check)


@fault(
    "nir-key-97-refused",
    "key 97 (a body that is a multiple of 97) is refused as out of range",
    "VDC-NIR-015",
    ("TC-NIR-019",),
)
def _key_97_refused() -> None:
    error = nir._component("key 97 is not 01-96", "key", "VDC-NIR-015")
    _refuse_also("_check_order_and_key_range", lambda number: number[13:] == "97", error)


@fault(
    "nir-month-42-refused",
    "the special months stop at 41",
    "VDC-NIR-009",
    ("TC-NIR-019",),
)
def _month_42_refused() -> None:
    error = nir._component("month 42 is not allowed", "month", "VDC-NIR-009")
    _refuse_also("_check_month", lambda number: number[3:5] == "42", error)


@fault(
    "nir-department-95-refused",
    "metropolitan departments stop at 94",
    "VDC-NIR-010",
    ("TC-NIR-019",),
)
def _department_95_refused() -> None:
    error = nir._component("department 95 is not allowed", "department", "VDC-NIR-010")
    _refuse_also("_check_place", lambda number: number[5:7] == "95", error)
