"""The holder device app state (VDC-PIN-012..020, VDC-HIST): a SQLite store.

`HolderDevice.open(path)` gives the store; the enrolment side saves an activated holder
with `provision(...)`, the app unlocks with `unlock(code, now)`, the NFC holder core
asks `presentation_armed_until(now)` and records `Presented`/`ReceiptFiled` events.
"""

from vitale_ref.device._connection import TraceHook
from vitale_ref.device._device import DeviceStatus, HolderDevice
from vitale_ref.device._errors import (
    DeviceError,
    DeviceNotProvisionedError,
    DeviceStoreError,
    HolderSummaryError,
)
from vitale_ref.device._schema import SCHEMA_VERSION
from vitale_ref.device._summary import HolderSummary

__all__ = [
    "SCHEMA_VERSION",
    "DeviceError",
    "DeviceNotProvisionedError",
    "DeviceStatus",
    "DeviceStoreError",
    "HolderDevice",
    "HolderSummary",
    "HolderSummaryError",
    "TraceHook",
]
