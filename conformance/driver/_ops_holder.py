"""Holder-device operations over the reference HolderCore (VDC-NFC, VDC-SM).

`holder.setup` provisions the typical synthetic credential, trusting the reader root the
suite sends; `holder.arm` is the holder unlocking the presentation; `holder.transmit`
is one APDU through the core; `holder.events` drains what the app would record.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from conformance.driver._state import DriverError, DriverState, Handler
from conformance.driver._wire import instant, unhex, utc
from vitale_ref import holder
from vitale_ref.credential import samples
from vitale_ref.holder.adapters import IssuedCredentialSource, PkiReaderAuthority
from vitale_ref.randomness import seeded_random

SEED = "conformance/holder"


@cache
def _sample(seed: str) -> samples.SampleCredential:
    return samples.issue_typical(seed)


def _core(state: DriverState) -> holder.HolderCore:
    core = state.objects.get("holder")
    if not isinstance(core, holder.HolderCore):
        raise DriverError("not_set_up", "holder.setup has not been called since the reset")
    return core


def setup(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    try:
        reader_root = x509.load_der_x509_certificate(unhex(params, "readerRoot"))
    except ValueError:
        raise DriverError("bad_request", "readerRoot is not a DER certificate") from None
    sample = _sample(SEED)
    source = IssuedCredentialSource(sample.issued, sample.device_key)
    state.objects["holder"] = holder.HolderCore(
        credential=source,
        readers=PkiReaderAuthority(reader_root),
        random=seeded_random(f"{SEED}/ephemeral/{len(state.objects)}"),
    )
    root = sample.pki.issuing_root.certificate.public_bytes(serialization.Encoding.DER)
    return {"issuingRoot": root.hex().upper(), "elements": sorted(source.available())}


def arm(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    _core(state).arm(instant(params) + timedelta(seconds=holder.PRESENCE_WINDOW_SECONDS))
    return {}


def apdu(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    response = _core(state).respond(unhex(params, "apdu"), instant(params))
    return {"response": response.hex().upper()}


def field_off(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    """The reader's field drops (or the card is reset): VDC-NFC-062."""
    _core(state).reset()
    return {}


def event_json(event: holder.HolderEvent) -> dict[str, Any]:
    """The JSON form of a holder event (conformance/schemas/harness/holder-event)."""
    if isinstance(event, holder.Presented):
        return {
            "type": "Presented",
            "readerRpps": event.reader_rpps,
            "elements": list(event.elements),
            "at": utc(event.time),
        }
    receipt = event.receipt
    return {
        "type": "ReceiptFiled",
        "readerRpps": event.reader_rpps,
        "receipt": {
            "at": utc(receipt.time),
            "practitionerRpps": receipt.rpps,
            "act": receipt.act,
            "amountCents": receipt.amount_cents,
        },
        "signed": event.signed.hex().upper(),
        "sessionHash": event.session_hash.hex().upper(),
        "at": utc(event.time),
    }


def events(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    return {"events": [event_json(e) for e in _core(state).events()]}


OPERATIONS: dict[str, Handler] = {
    "holder.setup": setup,
    "holder.arm": arm,
    "holder.transmit": apdu,
    "holder.events": events,
    "holder.field_off": field_off,
}
