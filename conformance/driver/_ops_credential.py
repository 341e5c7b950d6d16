"""Operation `credential.verify` over the reference verifier (VDC-CRED-040..053)."""

from __future__ import annotations

from typing import Any

from cryptography import x509

from conformance.driver._state import DriverError, DriverState, Handler
from conformance.driver._wire import instant, jsonable, unhex
from vitale_ref import credential


def verify(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    try:
        anchor = x509.load_der_x509_certificate(unhex(params, "trustAnchor"))
    except ValueError:
        raise DriverError("bad_request", "trustAnchor is not a DER certificate") from None
    binding = None
    if "binding" in params:
        proof = params["binding"]
        binding = credential.device_signature_binding(
            unhex(proof, "message"), unhex(proof, "signature")
        )
    try:
        verified = credential.verify_presentation(
            unhex(params, "presentation"),
            trust_anchor=anchor,
            now=instant(params),
            status_list=unhex(params, "statusList") if "statusList" in params else None,
            requested=params.get("requested"),
            device_binding=binding,
        )
    except credential.CredentialError as error:
        # VDC-HARN-005: the error kind is the error's name in the VDC-CRED table.
        raise DriverError(type(error).__name__, str(error)) from None
    return {
        "elements": {str(int(k)): jsonable(v) for k, v in verified.elements.items()},
        "revocationChecked": verified.revocation_checked,
        "serial": verified.serial.hex().upper(),
    }


OPERATIONS: dict[str, Handler] = {"credential.verify": verify}
