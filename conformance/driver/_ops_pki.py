"""Certificate operations over the reference PKI code (VDC-PKI-020..024, 030)."""

from __future__ import annotations

from typing import Any

from cryptography import x509

from conformance.driver._state import DriverError, DriverState, Handler
from conformance.driver._wire import instant, unhex
from vitale_ref import pki


def _certificate(data: bytes, name: str) -> x509.Certificate:
    try:
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise DriverError("CertificateFormatError", f"{name} is not a DER certificate") from None


def validate(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    try:
        purpose = pki.Purpose[str(params["purpose"])]
    except KeyError:
        raise DriverError("bad_request", "unknown purpose") from None
    # VDC-PKI-050: the leaf decodes first, then the intermediates in order, then the anchor.
    leaf = _certificate(unhex(params, "leaf"), "leaf")
    chain = [_certificate(bytes.fromhex(str(c)), "intermediate") for c in params["intermediates"]]
    anchor = _certificate(unhex(params, "anchor"), "anchor")
    try:
        # Looked up on the package at call time, so a seeded fault can replace it.
        path = pki.validate_chain(leaf, chain, anchor, instant(params), purpose)
    except pki.PKIError as error:
        raise DriverError(type(error).__name__, str(error)) from None
    return {"pathLength": len(path)}


def authorisation(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    try:
        parsed = pki.ReaderAuthorisation.decode(unhex(params, "value"))
    except pki.PKIError as error:
        raise DriverError(type(error).__name__, str(error)) from None
    return {
        "rpps": parsed.rpps,
        "profession": parsed.profession,
        "allowedElements": sorted(parsed.allowed_elements),
    }


OPERATIONS: dict[str, Handler] = {
    "pki.validate": validate,
    "pki.reader_authorisation": authorisation,
}
