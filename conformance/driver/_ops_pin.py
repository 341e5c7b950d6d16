"""Personal-code operations over the reference policy and device store (VDC-PIN).

`pin.check` applies the choice policy; `pin.provision` creates a holder device store (a
SQLite file in `$VDC_IUT_STORE` when the suite gives one, else in a private temporary
folder) with a code; `pin.unlock` is the app's unlock; `pin.armed` asks whether the
presentation is armed at `now`; `holder.restart` ends the app as a killed process does
and opens the store again (VDC-HARN-007). A driver process started again with the same
`$VDC_IUT_STORE` finds the store the previous one left.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from conformance.driver._state import DriverError, DriverState, Handler
from conformance.driver._wire import instant, unhex, utc
from vitale_ref import pin
from vitale_ref.device import HolderDevice
from vitale_ref.device.synthetic import provision_synthetic
from vitale_ref.errors import VitaleError
from vitale_ref.history import Presentation, Receipt
from vitale_ref.randomness import seeded_random


def _code(params: dict[str, Any]) -> str:
    code = params.get("code")
    if not isinstance(code, str):
        raise DriverError("bad_request", "code must be text")
    return code


def check(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    code = _code(params)
    try:
        # VDC-PIN-008: with a confirmation, the code is taken the way setup takes it.
        pin.confirm_personal_code(
            code, str(params.get("confirmation", code)), birth_date=params.get("birthDate")
        )
    except pin.PinMismatchError as error:
        raise DriverError("mismatch", str(error)) from None
    except pin.PinFormatError as error:
        raise DriverError("format", str(error)) from None
    except pin.WeakPinError as error:
        raise DriverError("weak", str(error)) from None
    except pin.BirthDateError as error:
        raise DriverError("bad_request", str(error)) from None
    return {}


STORE_VARIABLE = "VDC_IUT_STORE"
STORE_FILE = "holder.sqlite3"


def _store(state: DriverState, *, create: bool) -> Path | None:
    """Where the device store lives: the suite's folder, else a private temporary one
    (a new one with `create`, removed with the state at the next reset)."""
    given = os.environ.get(STORE_VARIABLE)
    if given:
        return Path(given) / STORE_FILE
    if create:
        state.objects["device-folder"] = tempfile.TemporaryDirectory(prefix="vdc-driver-")
    folder = state.objects.get("device-folder")
    return None if folder is None else Path(folder.name) / STORE_FILE


def forget_store() -> None:
    """`reset`: the persistent store of the suite's folder goes too (VDC-HARN-006)."""
    given = os.environ.get(STORE_VARIABLE)
    if given:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(given, STORE_FILE + suffix).unlink(missing_ok=True)


def _device(state: DriverState) -> HolderDevice:
    device = state.objects.get("device")
    if isinstance(device, HolderDevice):
        return device
    path = _store(state, create=False)
    if path is None or not path.exists():
        raise DriverError("not_set_up", "pin.provision has not been called since the reset")
    device = HolderDevice.open(path, create=False)  # a restarted app reopens its store
    state.objects["device"] = device
    return device


def restart(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    """The app is killed and opened again: only what the store committed survives."""
    device = state.objects.get("device")
    if isinstance(device, HolderDevice):
        device.close()
    kept = {key: value for key, value in state.objects.items() if key == "device-folder"}
    state.objects.clear()
    state.objects.update(kept)
    return {}


def provision(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    old = state.objects.pop("device", None)
    if isinstance(old, HolderDevice):
        old.close()
    forget_store()
    path = _store(state, create=True)
    assert path is not None
    device = HolderDevice.open(path)
    try:
        provision_synthetic(
            device,
            code=_code(params),
            random=seeded_random("conformance/driver/pin"),
            now=instant(params),
            parameters=pin.TEST_ONLY_PARAMETERS,
        )
    except pin.PinError as error:
        device.close()
        # PinFormatError is a WeakPinError: the form is asked first (VDC-PIN-005).
        kind = "format" if isinstance(error, pin.PinFormatError) else "weak"
        raise DriverError(kind, str(error)) from None
    state.objects["device"] = device
    return {}


def unlock(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    try:
        result = _device(state).unlock(_code(params), instant(params))
    except pin.PinFormatError as error:
        raise DriverError("format", str(error)) from None
    return {
        "outcome": result.outcome.value,
        "triesRemaining": result.tries_remaining,
        "statusWord": f"{result.status_word:04X}",
    }


def armed(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    return {"armed": _device(state).is_presentation_armed(instant(params))}


def verifier(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    """The Argon2id digest of a code for a salt and parameters (VDC-PIN-009, 010)."""
    try:
        parameters = pin.VerifierParameters(
            memory_kib=int(params["memoryKiB"]),
            iterations=int(params["iterations"]),
            lanes=int(params["lanes"]),
        )
        salt = unhex(params, "salt")
        # The salt is given, so the "random" source just hands it over.
        made = pin.PinVerifier.create(
            _code(params), random=lambda count: salt, parameters=parameters
        )
    except pin.PinFormatError as error:
        raise DriverError("format", str(error)) from None
    except (pin.PinError, KeyError, ValueError) as error:
        raise DriverError("bad_request", str(error)) from None
    return {"digest": made.digest.hex().upper()}


def record(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    """Record a presentation as the app does on the holder core's event (VDC-HIST-001)."""
    try:
        _device(state).record_presentation(
            reader_rpps=str(params["readerRpps"]),
            elements=tuple(int(i) for i in params["elements"]),
            at=instant(params, "at"),
            now=instant(params),
        )
    except VitaleError as error:
        raise DriverError("bad_request", str(error)) from None
    return {}


def record_receipt(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    """Record a filed receipt as the app does on ReceiptFiled (VDC-HIST-002)."""
    try:
        _device(state).record_receipt(
            practitioner_rpps=str(params["practitionerRpps"]),
            act=str(params["act"]),
            amount_cents=int(params["amountCents"]),
            at=instant(params, "at"),
            now=instant(params),
        )
    except VitaleError as error:
        raise DriverError("bad_request", str(error)) from None
    return {}


def entry_json(entry: object) -> dict[str, Any]:
    """The JSON form of a history entry (conformance/schemas/harness/history-entry)."""
    if isinstance(entry, Presentation):
        return {
            "type": "Presentation",
            "readerRpps": entry.reader_rpps,
            "elements": list(entry.elements),
            "at": utc(entry.at),
        }
    assert isinstance(entry, Receipt)
    return {
        "type": "Receipt",
        "practitionerRpps": entry.practitioner_rpps,
        "act": entry.act,
        "amountCents": entry.amount_cents,
        "at": utc(entry.at),
    }


def history(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    entries = _device(state).history(instant(params))
    return {"entries": [entry_json(e) for e in entries]}


OPERATIONS: dict[str, Handler] = {
    "pin.verifier": verifier,
    "history.record_presentation": record,
    "history.record_receipt": record_receipt,
    "history.list": history,
    "pin.check": check,
    "pin.provision": provision,
    "pin.unlock": unlock,
    "pin.armed": armed,
    "holder.restart": restart,
}
