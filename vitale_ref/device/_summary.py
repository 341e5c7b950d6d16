"""The holder identity summary the device shows (synthetic in every test and example)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from vitale_ref.device._errors import HolderSummaryError

_NAME = re.compile(r"\A[^\x00-\x1f\x7f]{1,80}\Z")
_BIRTH_DATE = re.compile(r"\A[0-9]{8}\Z")
_NIR = re.compile(r"\A[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{8}\Z")


@dataclass(frozen=True, kw_only=True)
class HolderSummary:
    """Names, birth date (YYYYMMDD, lunar dates allowed) and NIR with its key (15 chars).

    The NIR is checked for shape only here; its key is the NIR area's business.
    """

    family_name: str
    given_names: str
    birth_date: str
    nir: str

    def __post_init__(self) -> None:
        for field in ("family_name", "given_names"):
            value = getattr(self, field)
            if not isinstance(value, str) or not _NAME.match(value):
                raise HolderSummaryError(f"{field} must be 1 to 80 printable characters")
        if not isinstance(self.birth_date, str) or not _BIRTH_DATE.match(self.birth_date):
            raise HolderSummaryError("birth_date must be 8 ASCII digits (YYYYMMDD)")
        if not isinstance(self.nir, str) or not _NIR.match(self.nir):
            raise HolderSummaryError("nir must be 15 characters: 13 NIR characters and the key")

    def display_name(self) -> str:
        return f"{self.family_name} {self.given_names}"
