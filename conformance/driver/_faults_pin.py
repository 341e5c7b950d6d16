"""Seeded faults in the personal-code policy and the device store's try counter."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from conformance.driver.faults import fault, patch
from vitale_ref.device import _device
from vitale_ref.device._connection import transaction
from vitale_ref.history import to_micros
from vitale_ref.pin import MAX_TRIES, PRESENTATION_WINDOW, UnlockOutcome, UnlockResult, _policy


@fault(
    "pin-accepts-blocklisted",
    "the blocklist of common codes is not consulted (a weak PIN is accepted)",
    "VDC-PIN-007",
    ("TC-PIN-007",),
)
def _no_blocklist() -> None:
    patch(_policy, "blocklist", frozenset)


@fault(
    "pin-accepts-birth-date",
    "the holder's birth date is not refused as a code",
    "VDC-PIN-006",
    ("TC-PIN-006",),
)
def _no_birth_date() -> None:
    patch(_policy, "birth_date_forms", lambda birth_date: ())


def _unlock_variant(*, decrement: bool, restore: bool, check_blocked: bool) -> Any:
    """The store's unlock with one of its rules switched off (same SQL otherwise)."""
    result_type = UnlockResult
    outcome = UnlockOutcome

    def unlock(self: Any, code: str, now: datetime) -> Any:
        row = self._holder_row(_device._VERIFIER_COLUMNS)
        salt, digest, memory, iterations, lanes, tries = row
        if tries == 0 and check_blocked:
            return result_type(outcome=outcome.BLOCKED, tries_remaining=0)
        verifier = _device._verifier(salt, digest, memory, iterations, lanes)
        if decrement:
            tries = max(tries - 1, 0)
        with transaction(self._db) as db:
            db.execute(
                "UPDATE holder SET tries_remaining = ?, blocked = ?, armed_until_us = NULL",
                (tries, int(tries == 0)),
            )
        if not verifier.matches(code):
            return result_type(outcome=outcome.WRONG_CODE, tries_remaining=tries)
        left = MAX_TRIES if restore else tries
        until = now + PRESENTATION_WINDOW
        with transaction(self._db) as db:
            db.execute(
                "UPDATE holder SET tries_remaining = ?, blocked = 0, armed_until_us = ?",
                (left, to_micros(until)),
            )
        return result_type(outcome=outcome.UNLOCKED, tries_remaining=left, armed_until=until)

    return unlock


@fault(
    "pin-counter-not-decremented",
    "a wrong code does not cost a try",
    "VDC-PIN-012",
    ("TC-PIN-008",),
)
def _no_decrement() -> None:
    patch(
        _device.HolderDevice,
        "unlock",
        _unlock_variant(decrement=False, restore=True, check_blocked=True),
    )


@fault(
    "pin-counter-not-restored",
    "a successful unlock leaves the try counter where it was",
    "VDC-PIN-014",
    ("TC-PIN-009",),
)
def _no_restore() -> None:
    patch(
        _device.HolderDevice,
        "unlock",
        _unlock_variant(decrement=True, restore=False, check_blocked=True),
    )


@fault(
    "pin-blocked-still-evaluated",
    "a blocked app still compares the code, and the right one unblocks it",
    "VDC-PIN-012",
    ("TC-PIN-008",),
)
def _blocked_evaluated() -> None:
    patch(
        _device.HolderDevice,
        "unlock",
        _unlock_variant(decrement=True, restore=True, check_blocked=False),
    )


@fault(
    "pin-window-120s",
    "a successful unlock arms the presentation for 120 s instead of 60 s",
    "VDC-PIN-017",
    ("TC-PIN-010",),
)
def _long_window() -> None:
    patch(_device, "PRESENTATION_WINDOW", timedelta(seconds=120))


@fault(
    "pin-tries-restored-at-start",
    "the app restores the full five tries whenever it opens its store again",
    "VDC-PIN-900",
    ("TC-PIN-015",),
)
def _tries_restored_at_start() -> None:
    real = _device.HolderDevice.__dict__["open"].__func__
    holder_device = _device.HolderDevice

    def open_store(cls: type[Any], path: Any, /, **options: Any) -> Any:
        device = real(cls, path, **options)
        if options.get("create") is False:
            with device._db:
                device._db.execute("UPDATE holder SET tries_remaining = 5, blocked = 0")
        return device

    patch(holder_device, "open", classmethod(open_store))
