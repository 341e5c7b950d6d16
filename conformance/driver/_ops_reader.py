"""Reader operations over the reference reader core (VDC-NFC-200..203, VDC-SM-051).

`reader.setup` gives the reader the issuing root (and optionally a status list) and
returns its own reader root; `reader.read` runs one read, sending every APDU to the
suite (which plays the holder) through `transmit` messages, or, when the request names
a `card` (VDC-HARN-050), through the real transport to the suite's card: the reference
reader is then a reader program like any vendor's, with its own PC/SC or nfcpy session.
It files the billing receipt the suite asks for after a read it accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any, cast

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from conformance.driver._state import DriverError, DriverState, Handler
from conformance.driver._wire import instant, unhex
from vitale_ref.credential import ElementValue, element_to_json
from vitale_ref.pki import TestPKI, generate_test_pki, reader_authorisation
from vitale_ref.randomness import system_random
from vitale_ref.reader import ReaderError, ReaderIdentity, run_read
from vitale_ref.reader.adapters import CredentialVerifier
from vitale_ref.sm import Receipt, SmError

SEED = "conformance/reader-under-test"


@cache
def _pki() -> TestPKI:
    return generate_test_pki(SEED)


def setup(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    try:
        anchor = x509.load_der_x509_certificate(unhex(params, "trustAnchor"))
    except ValueError:
        raise DriverError("bad_request", "trustAnchor is not a DER certificate") from None
    status = unhex(params, "statusList") if "statusList" in params else None
    state.objects["reader"] = CredentialVerifier(anchor, status)
    root = _pki().reader_root.certificate.public_bytes(serialization.Encoding.DER)
    return {"readerRoot": root.hex().upper()}


def read(state: DriverState, params: dict[str, Any], transmit: Any) -> dict[str, Any]:
    verifier = state.objects.get("reader")
    if not isinstance(verifier, CredentialVerifier):
        raise DriverError("not_set_up", "reader.setup has not been called since the reset")
    card = params.get("card")
    if transmit is None and card is None:
        raise DriverError("bad_request", "reader.read needs the suite to play the holder")
    doctor = _pki().readers["doctor"]
    receipt = _receipt(params.get("receipt"), reader_authorisation(doctor.certificate).rpps)
    try:
        with _session(card, transmit) as send:
            result = run_read(
                send,
                identity=ReaderIdentity(chain=(doctor.der,), key=doctor.private_key),
                requested=[int(i) for i in params["requested"]],
                verifier=verifier,
                random=system_random,  # VDC-SM-003: a fresh ephemeral key for every read
                now=instant(params),
                extended=bool(params.get("extended", True)),
                receipt=receipt,
            )
    except DriverError:
        raise
    except ReaderError as error:
        raise DriverError("rejected", str(error)) from None
    except Exception as error:  # any other refusal by the verifier, or the card's transport
        raise DriverError("rejected", f"{type(error).__name__}: {error}") from None
    values = {str(int(k)): cast(ElementValue, v) for k, v in result.elements.items()}
    answer: dict[str, Any] = {"elements": {k: element_to_json(v) for k, v in values.items()}}
    if receipt is not None:
        answer["receiptAcknowledged"] = result.receipt_acknowledged
    return answer


def _receipt(asked: Any, rpps: str) -> Receipt | None:
    """The billing receipt the suite asks the reader to file after the read (VDC-SM-040)."""
    if asked is None:
        return None
    try:
        return Receipt(
            time=instant(asked, "at"),
            rpps=rpps,
            act=asked["act"],
            amount_cents=asked["amountCents"],
        )
    except SmError as error:
        raise DriverError("bad_request", f"receipt: {error}") from None


@contextmanager
def _session(card: Any, transmit: Any) -> Iterator[Callable[[bytes], bytes]]:
    """The APDU path of one read: the suite's `transmit` messages, or one card session on
    the transport `card` names (one PC/SC connection, one ISO-DEP activation)."""
    if card is None:
        yield transmit
        return
    if not isinstance(card, dict) or card.get("transport") not in ("pcsc", "nfc"):
        raise DriverError("bad_request", "card must name the transport pcsc or nfc")
    from vitale_ref.transport import PcscReaderTransport
    from vitale_ref.transport._nfc import NfcReaderTransport

    session: PcscReaderTransport | NfcReaderTransport
    if card["transport"] == "pcsc":
        session = PcscReaderTransport(str(card["reader"]), wait=5.0)
    else:
        session = NfcReaderTransport(str(card["path"]), wait=5.0)
    try:
        yield session.transmit
    finally:
        session.close()


OPERATIONS: dict[str, Handler] = {"reader.setup": setup, "reader.read": read}
