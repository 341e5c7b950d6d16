"""Seeded faults at the edges of the credential's ranges: each moves one limit by one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from conformance.driver.faults import fault, patch
from vitale_ref.credential import (
    CredentialFormatError,
    ElementId,
    StatusListError,
    _elements,
    _model,
    _status,
    _structure,
)
from vitale_ref.credential._model import NAME_MAX_CHARACTERS
from vitale_ref.pki import der


@fault(
    "cred-status-list-ends-before-next-update",
    "a status list is refused at exactly its nextUpdate",
    "VDC-CRED-052",
    ("TC-CRED-015",),
)
def _next_update_excluded() -> None:
    real = _status.verify_status_list

    def verify(data: Any, *, trust_anchor: Any, now: datetime) -> Any:
        signed = real(data, trust_anchor=trust_anchor, now=now)
        if now >= signed.next_update:
            raise StatusListError(f"status list expired at {signed.next_update}")
        return signed

    patch(_status, "verify_status_list", verify)
    from vitale_ref.credential import _verify

    patch(_verify, "verify_status_list", verify)


@fault(
    "cred-status-bits-lsb-first",
    "the bits of each status-list octet are read from the least significant one",
    "VDC-CRED-050",
    ("TC-CRED-015",),
)
def _lsb_first() -> None:
    def is_revoked(self: Any, index: int) -> bool:
        self._check(index)
        return bool(self.bits[index // 8] & (0x01 << (index % 8)))

    patch(_status.StatusList, "is_revoked", is_revoked)


@fault(
    "cred-empty-name-accepted",
    "a family or given name of no character is accepted",
    "VDC-CRED-021",
    ("TC-CRED-015",),
)
def _empty_name() -> None:
    most = NAME_MAX_CHARACTERS
    for element in (ElementId.FAMILY_NAME, ElementId.GIVEN_NAMES):
        _elements._PRIMITIVE[element] = lambda t, w: der.parse_utf8(t, w, 0, most)
    real = _model.check_name
    patch(_model, "check_name", lambda value, what: value if not value else real(value, what))


@fault(
    "cred-birth-year-from-1801",
    "a birth date in the year 1800 is refused",
    "VDC-CRED-022",
    ("TC-CRED-015",),
)
def _year_1801() -> None:
    real = _model.check_birth_date

    def check(value: str, what: str = "birth date") -> str:
        if value[:4] == "1800":
            raise CredentialFormatError(f"{what}: year 1800", requirement="VDC-CRED-022")
        return real(value, what)

    patch(_model, "check_birth_date", check)


@fault(
    "cred-list-id-31-bits",
    "a status list identifier above 2^31 - 1 is refused",
    "VDC-CRED-014",
    ("TC-CRED-015",),
)
def _list_id_31_bits() -> None:
    patch(_structure, "MAX_LIST_ID", 2**31 - 1)


@fault(
    "cred-nine-rights-periods",
    "a credential may carry nine rights periods",
    "VDC-CRED-031",
    ("TC-CRED-015",),
)
def _nine_periods() -> None:
    patch(_elements, "MAX_RIGHTS_PERIODS", 9)


@fault(
    "cred-status-list-up-to-2^21",
    "status lists of up to 2^21 entries are accepted",
    "VDC-CRED-050",
    ("TC-CRED-019",),
)
def _lists_too_large() -> None:
    patch(_status, "MAX_SIZE", 2**21)
    patch(_status, "MAX_STATUS_LIST_BYTES", 2**21 // 8 + 8192)


@fault(
    "cred-status-list-empty-window",
    "a status list whose nextUpdate equals its thisUpdate is accepted",
    "VDC-CRED-050",
    ("TC-CRED-019",),
)
def _empty_window() -> None:
    def decode(reader: Any) -> Any:
        # The reference's decoding of the list's TBS with `<` where it has `<=`.
        version = der.parse_integer(reader.read(der.INTEGER, "version"), "version", 1, 1)
        list_id = der.parse_integer(reader.read(der.INTEGER, "listId"), "listId", 0, 2**32 - 1)
        this_update = der.parse_time(reader.read(der.GENERALIZED_TIME, "thisUpdate"), "this")
        next_update = der.parse_time(reader.read(der.GENERALIZED_TIME, "nextUpdate"), "next")
        size = der.parse_integer(reader.read(der.INTEGER, "size"), "size", 8, 2**20)
        bits, unused = der.parse_bits(reader.read(der.BIT_STRING, "revoked"), "revoked")
        reader.finish()
        if size % 8 or unused or len(bits) != size // 8 or version != 1:
            raise StatusListError("revoked: the bit string must hold exactly size bits")
        if next_update < this_update:
            raise StatusListError("nextUpdate is before thisUpdate")
        return _status.StatusList(list_id, size, bytearray(bits)), this_update, next_update

    patch(_status, "_decode_tbs", decode)


@fault(
    "cred-status-octet-of-nine",
    "the status bit of index i is looked up in octet i // 9",
    "VDC-CRED-053",
    ("TC-CRED-015",),
)
def _octet_of_nine() -> None:
    def is_revoked(self: Any, index: int) -> bool:
        self._check(index)
        return bool(self.bits[index // 9] & (0x80 >> (index % 8)))

    patch(_status.StatusList, "is_revoked", is_revoked)
