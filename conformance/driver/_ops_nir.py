"""Operation `nir.validate` over the reference validator (VDC-NIR; error kinds of VDC-HARN-005)."""

from __future__ import annotations

from typing import Any

from conformance.driver._state import DriverError, DriverState, Handler
from vitale_ref import nir


def error_kind(error: nir.NIRError) -> str:
    """The wire kind of a refused NIR: length, format, component:<name> or checksum."""
    if isinstance(error, nir.InvalidLength):
        return "length"
    if isinstance(error, nir.InvalidComponent):
        return f"component:{error.component}"
    if isinstance(error, nir.InvalidChecksum):
        return "checksum"
    return "format"


def validate(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    try:
        # Looked up on the module at call time, so a seeded fault can replace it.
        canonical = nir.validate(params["nir"])
    except nir.NIRError as error:
        raise DriverError(error_kind(error), error.message) from None
    return {"nir": canonical}


OPERATIONS: dict[str, Handler] = {"nir.validate": validate}
