"""Errors of the holder device store."""

from __future__ import annotations

from vitale_ref.errors import VitaleError


class DeviceError(VitaleError):
    """Base of the holder device store's errors."""


class DeviceStoreError(DeviceError):
    """The store is missing, not a holder store, of an unknown version, or unusable."""


class DeviceNotProvisionedError(DeviceError):
    """The store holds no activated holder yet."""

    def __init__(self) -> None:
        super().__init__("the store holds no activated holder")


class HolderSummaryError(DeviceError, ValueError):
    """A field of the holder identity summary is malformed."""
