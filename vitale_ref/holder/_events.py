"""Events the holder core emits for the app layer to record (VDC-NFC-130, VDC-NFC-131)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from vitale_ref.sm import Receipt


@dataclass(frozen=True, kw_only=True)
class Presented:
    """Elements were disclosed to an authenticated reader."""

    reader_rpps: str
    elements: tuple[int, ...]
    time: datetime


@dataclass(frozen=True, kw_only=True)
class ReceiptFiled:
    """A valid signed billing receipt was acknowledged; the app files it in the history."""

    reader_rpps: str
    receipt: Receipt
    signed: bytes
    session_hash: bytes
    time: datetime


HolderEvent = Presented | ReceiptFiled
