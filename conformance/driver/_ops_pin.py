"""Personal-code operations over the reference policy and device store (VDC-PIN).

`pin.check` applies the choice policy; `pin.provision` creates a holder device store (a
SQLite file in a private temporary folder) with a code; `pin.unlock` is the app's
unlock; `pin.armed` asks whether the presentation is armed at `now`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from conformance.driver._state import DriverError, DriverState, Handler
from conformance.driver._wire import instant, jsonable, unhex
from vitale_ref import pin
from vitale_ref.device import HolderDevice
from vitale_ref.device.synthetic import provision_synthetic
from vitale_ref.errors import VitaleError
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


def _device(state: DriverState) -> HolderDevice:
    device = state.objects.get("device")
    if not isinstance(device, HolderDevice):
        raise DriverError("not_set_up", "pin.provision has not been called since the reset")
    return device


def provision(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    folder = tempfile.TemporaryDirectory(prefix="vdc-driver-")
    state.objects["device-folder"] = folder  # removed with the state at the next reset
    device = HolderDevice.open(Path(folder.name) / "holder.sqlite3")
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
        raise DriverError(
            "weak" if isinstance(error, pin.WeakPinError) else "format", str(error)
        ) from None
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


def history(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    entries = _device(state).history(instant(params))
    return {"entries": [{"type": type(e).__name__, **jsonable(e)} for e in entries]}


OPERATIONS: dict[str, Handler] = {
    "pin.verifier": verifier,
    "history.record_presentation": record,
    "history.record_receipt": record_receipt,
    "history.list": history,
    "pin.check": check,
    "pin.provision": provision,
    "pin.unlock": unlock,
    "pin.armed": armed,
}
