"""What the holder device records (VDC-HIST-001, VDC-HIST-002).

Entries are frozen, keyword-only and check themselves; they hold no medical data
(VDC-HIST-005): a presentation names the reader and the element identifiers disclosed,
a receipt names the practitioner, a billing act label and an amount in euro cents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vitale_ref.credential._model import ElementId
from vitale_ref.history._errors import HistoryError
from vitale_ref.history._time import format_utc, require_utc

_RPPS = re.compile(r"\A[0-9]{11}\Z")
_ACT = re.compile(r"\A[ -~]{1,32}\Z")
MAX_ELEMENTS = 32  # VDC-HIST-009: no more than a reader certificate may allow (VDC-PKI-033)
MAX_AMOUNT_CENTS = 2**32 - 1
MAX_ELEMENT_ID = 127

ELEMENT_NAMES = {int(element): element.short_name for element in ElementId}
"""Display names of the element identifiers: the short names of the credential chapter's
element table (spec/credential.md), the names `vitale present` prints too."""


def _rpps(value: object, name: str) -> None:
    if not isinstance(value, str) or not _RPPS.match(value):
        raise HistoryError(f"{name} must be an 11-digit RPPS number")


@dataclass(frozen=True, kw_only=True)
class Presentation:
    """The device disclosed `elements` (identifiers) to the reader of `reader_rpps`."""

    reader_rpps: str
    elements: tuple[int, ...]
    at: datetime

    def __post_init__(self) -> None:
        _rpps(self.reader_rpps, "reader")
        elements = self.elements
        if not isinstance(elements, tuple) or len(elements) > MAX_ELEMENTS:
            raise HistoryError(f"elements must be a tuple of at most {MAX_ELEMENTS} identifiers")
        for element in elements:
            if type(element) is not int or not 1 <= element <= MAX_ELEMENT_ID:
                raise HistoryError(f"element identifiers are integers 1 to {MAX_ELEMENT_ID}")
        object.__setattr__(self, "at", require_utc(self.at, "presentation time"))

    def element_names(self) -> tuple[str, ...]:
        return tuple(ELEMENT_NAMES.get(e, f"element-{e}") for e in self.elements)

    kind = "presentation"

    def detail(self) -> dict[str, Any]:
        return {"reader": self.reader_rpps, "elements": list(self.elements)}

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "at": format_utc(self.at), **self.detail()}


@dataclass(frozen=True, kw_only=True)
class Receipt:
    """The practitioner `practitioner_rpps` filed a receipt (a payment) for `act`."""

    practitioner_rpps: str
    act: str
    amount_cents: int
    at: datetime

    def __post_init__(self) -> None:
        _rpps(self.practitioner_rpps, "practitioner")
        if not isinstance(self.act, str) or not _ACT.match(self.act):
            raise HistoryError("act must be 1 to 32 printable ASCII characters")
        amount = self.amount_cents
        if type(amount) is not int or not 0 <= amount <= MAX_AMOUNT_CENTS:
            raise HistoryError(f"amount must be 0 to {MAX_AMOUNT_CENTS} cents")
        object.__setattr__(self, "at", require_utc(self.at, "receipt time"))

    kind = "receipt"

    def detail(self) -> dict[str, Any]:
        return {
            "practitioner": self.practitioner_rpps,
            "act": self.act,
            "amountCents": self.amount_cents,
        }

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "at": format_utc(self.at), **self.detail()}


HistoryEntry = Presentation | Receipt


def entry_from_detail(kind: str, at: datetime, detail: dict[str, Any]) -> HistoryEntry:
    """Rebuild an entry from its stored kind, time and detail (a stored row is rechecked)."""
    try:
        if kind == Presentation.kind:
            return Presentation(
                reader_rpps=detail["reader"], elements=tuple(detail["elements"]), at=at
            )
        if kind == Receipt.kind:
            return Receipt(
                practitioner_rpps=detail["practitioner"],
                act=detail["act"],
                amount_cents=detail["amountCents"],
                at=at,
            )
    except (KeyError, TypeError) as error:
        raise HistoryError(f"stored {kind} entry is malformed") from error
    raise HistoryError(f"unknown history entry kind {kind!r}")
