"""Operations `credential.verify` (VDC-CRED-040..053) and `credential.status_list`
(VDC-CRED-054) over the reference verifier."""

from __future__ import annotations

from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from conformance.driver._state import DriverError, DriverState, Handler
from conformance.driver._wire import instant, unhex
from vitale_ref import credential
from vitale_ref.credential import element_to_json
from vitale_ref.pki import der


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
        "elements": {str(int(k)): element_to_json(v) for k, v in verified.elements.items()},
        "revocationChecked": verified.revocation_checked,
        "serial": verified.serial.hex().upper(),
    }


def status_list(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    """Decode a signed status list and encode it again from the decoded values (VDC-CRED-054)."""
    try:
        decoded = credential.decode_status_list(unhex(params, "statusList"))
    except credential.CredentialError as error:
        raise DriverError(type(error).__name__, str(error)) from None
    chain = [c.public_bytes(serialization.Encoding.DER) for c in decoded.chain]
    tbs = decoded.status.encode_tbs(decoded.this_update, decoded.next_update)
    encoding = der.sequence(tbs, der.octets(decoded.signature), der.sequence(*chain))
    return {
        "listId": decoded.status.list_id,
        "size": decoded.status.size,
        "revoked": decoded.status.revoked_indices(),
        "encoding": encoding.hex().upper(),
    }


OPERATIONS: dict[str, Handler] = {
    "credential.verify": verify,
    "credential.status_list": status_list,
}
