"""The usage history kept on the holder device (VDC-HIST): entries and retention.

The history is stored and purged by the holder device store (`vitale_ref.device`).
"""

from vitale_ref.history._entries import (
    ELEMENT_NAMES,
    MAX_AMOUNT_CENTS,
    MAX_ELEMENT_ID,
    MAX_ELEMENTS,
    HistoryEntry,
    Presentation,
    Receipt,
    entry_from_detail,
)
from vitale_ref.history._errors import HistoryError
from vitale_ref.history._retention import RETENTION, is_visible, purge_before
from vitale_ref.history._time import format_utc, from_micros, require_utc, to_micros

__all__ = [
    "ELEMENT_NAMES",
    "MAX_AMOUNT_CENTS",
    "MAX_ELEMENTS",
    "MAX_ELEMENT_ID",
    "RETENTION",
    "HistoryEntry",
    "HistoryError",
    "Presentation",
    "Receipt",
    "entry_from_detail",
    "format_utc",
    "from_micros",
    "is_visible",
    "purge_before",
    "require_utc",
    "to_micros",
]
