"""Seeded faults in the personal-code policy and the device store's try counter."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from conformance.driver.faults import fault, patch
from vitale_ref.device import _device
from vitale_ref.device._connection import transaction
from vitale_ref.history import to_micros
from vitale_ref.pin import (
    MAX_TRIES,
    PRESENTATION_WINDOW,
    PinFormatError,
    UnlockOutcome,
    UnlockResult,
    _policy,
    _verifier,
    is_well_formed,
)


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


def _unlock_variant(
    *,
    decrement: bool = True,
    restore: bool = True,
    check_blocked: bool = True,
    disarm: bool = True,
    renew: bool = True,
) -> Any:
    """The store's unlock with one of its rules switched off (same SQL otherwise)."""
    result_type = UnlockResult
    outcome = UnlockOutcome

    def unlock(self: Any, code: str, now: datetime) -> Any:
        if not is_well_formed(code):
            raise PinFormatError("personal code must be exactly 6 digits")
        row = self._holder_row(_device._VERIFIER_COLUMNS)
        salt, digest, memory, iterations, lanes, tries = row
        if tries == 0 and check_blocked:
            return result_type(outcome=outcome.BLOCKED, tries_remaining=0)
        verifier = _device._verifier(salt, digest, memory, iterations, lanes)
        if decrement:
            tries = max(tries - 1, 0)
        earlier = self.armed_until()
        with transaction(self._db) as db:
            db.execute("UPDATE holder SET tries_remaining = ?, blocked = ?", (tries, tries == 0))
            if disarm:
                db.execute("UPDATE holder SET armed_until_us = NULL")
        if not verifier.matches(code):
            return result_type(outcome=outcome.WRONG_CODE, tries_remaining=tries)
        left = MAX_TRIES if restore else tries
        until = now + PRESENTATION_WINDOW
        if not renew and earlier is not None and now < earlier:
            until = earlier
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
        _unlock_variant(decrement=False),
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
        _unlock_variant(restore=False),
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
        _unlock_variant(check_blocked=False),
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


@fault(
    "pin-malformed-costs-try",
    "a code that is not six digits is taken as a wrong code and costs a try",
    "VDC-PIN-015",
    ("TC-PIN-016", "TC-PIN-017"),
)
def _malformed_costs_try() -> None:
    real = _device.HolderDevice.unlock

    def unlock(self: Any, code: str, now: datetime) -> Any:
        return real(self, code if is_well_formed(code) else "000000", now)

    patch(_device.HolderDevice, "unlock", unlock)


@fault(
    "pin-counter-heals-after-a-day",
    "a day after the last wrong code the app gives every try back, and ends a block",
    "VDC-PIN-014",
    ("TC-PIN-018", "TC-PIN-019"),
)
def _heals_after_a_day() -> None:
    real = _device.HolderDevice.unlock

    def unlock(self: Any, code: str, now: datetime) -> Any:
        last = getattr(self, "_last_failure", None)
        if last is not None and now - last > timedelta(days=1):
            with self._db:
                self._db.execute("UPDATE holder SET tries_remaining = 5, blocked = 0")
        result = real(self, code, now)
        self._last_failure = None if result.outcome is UnlockOutcome.UNLOCKED else now
        return result

    patch(_device.HolderDevice, "unlock", unlock)


@fault(
    "pin-block-forgotten-at-restart",
    "an app opened again over a blocked store gives the five tries back",
    "VDC-PIN-012",
    ("TC-PIN-020",),
)
def _block_forgotten() -> None:
    real = _device.HolderDevice.__dict__["open"].__func__

    def open_store(cls: type[Any], path: Any, /, **options: Any) -> Any:
        device = real(cls, path, **options)
        if options.get("create") is False:
            with device._db:
                device._db.execute(
                    "UPDATE holder SET tries_remaining = 5, blocked = 0 WHERE tries_remaining = 0"
                )
        return device

    patch(_device.HolderDevice, "open", classmethod(open_store))


@fault(
    "pin-tries-counted-in-memory",
    "wrong codes are counted in the running app and written to the store only with a success",
    "VDC-PIN-013",
    ("TC-PIN-020", "TC-PIN-015"),
)
def _tries_in_memory() -> None:
    real = _device.HolderDevice.unlock

    def unlock(self: Any, code: str, now: datetime) -> Any:
        if not is_well_formed(code):
            raise PinFormatError("personal code must be exactly 6 digits")
        (stored,) = self._holder_row("tries_remaining")
        tries = getattr(self, "_tries", stored)
        if tries == 0:
            return UnlockResult(outcome=UnlockOutcome.BLOCKED, tries_remaining=0)
        (salt, digest, memory, iterations, lanes, _) = self._holder_row(_device._VERIFIER_COLUMNS)
        if _device._verifier(salt, digest, memory, iterations, lanes).matches(code):
            self._tries = MAX_TRIES
            return real(self, code, now)
        self._tries = tries - 1
        return UnlockResult(outcome=UnlockOutcome.WRONG_CODE, tries_remaining=tries - 1)

    patch(_device.HolderDevice, "unlock", unlock)


@fault(
    "pin-wrong-code-keeps-window",
    "a wrong code leaves an open presentation window open",
    "VDC-PIN-017",
    ("TC-PIN-021",),
)
def _wrong_code_keeps_window() -> None:
    patch(_device.HolderDevice, "unlock", _unlock_variant(disarm=False))


@fault(
    "pin-window-not-renewed",
    "a success while the presentation is armed keeps the earlier end of the window",
    "VDC-PIN-017",
    ("TC-PIN-021",),
)
def _window_not_renewed() -> None:
    patch(_device.HolderDevice, "unlock", _unlock_variant(renew=False))


@fault(
    "pin-window-end-included",
    "the presentation is still armed at exactly 60 s after the unlock",
    "VDC-PIN-017",
    ("TC-PIN-010", "TC-PIN-021"),
)
def _window_end_included() -> None:
    def armed_until(self: Any, now: datetime) -> Any:
        until = self.armed_until()
        return until if until is not None and now <= until else None

    patch(_device.HolderDevice, "presentation_armed_until", armed_until)


@fault(
    "pin-verifier-65-passes",
    "a verifier of 65 Argon2id passes is accepted",
    "VDC-PIN-010",
    ("TC-PIN-022",),
)
def _65_passes() -> None:
    patch(_verifier, "MAX_ITERATIONS", 65)


@fault(
    "pin-verifier-17-lanes",
    "a verifier of 17 Argon2id lanes is accepted",
    "VDC-PIN-010",
    ("TC-PIN-022",),
)
def _17_lanes() -> None:
    patch(_verifier, "MAX_LANES", 17)
