"""Filing the holder core's events in the device history (VDC-HIST-001, VDC-HIST-002).

The NFC holder core (`vitale_ref.holder`) emits `Presented` and `ReceiptFiled`; the app
drains `core.events()` after each exchange and passes them here. A receipt is filed at
the time written in the receipt (the time of the care being paid for).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from vitale_ref.device._device import HolderDevice
from vitale_ref.holder import HolderEvent, Presented, ReceiptFiled


def record_holder_events(device: HolderDevice, events: Iterable[HolderEvent], now: datetime) -> int:
    """Record every event, each in its own transaction; returns how many were recorded."""
    count = 0
    for event in events:
        if isinstance(event, Presented):
            device.record_presentation(
                reader_rpps=event.reader_rpps,
                elements=tuple(event.elements),
                at=event.time,
                now=now,
            )
        elif isinstance(event, ReceiptFiled):
            receipt = event.receipt
            device.record_receipt(
                practitioner_rpps=receipt.rpps,
                act=receipt.act,
                amount_cents=receipt.amount_cents,
                at=receipt.time,
                now=now,
            )
        else:  # pragma: no cover - HolderEvent has two members
            continue
        count += 1
    return count
