"""PKI vectors: path validation and the reader-authorisation extension (VDC-PKI)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography import x509

from conformance.vectors import VectorCase, iter_cases
from vitale_ref import pki
from vitale_ref.pki import PKIError, Purpose, ReaderAuthorisation, reader_authorisation

CHAINS = list(iter_cases("pki/chains.json"))
AUTH = list(iter_cases("pki/reader_authorisation.json"))


def _cert(hex_value: str) -> x509.Certificate:
    return x509.load_der_x509_certificate(bytes.fromhex(hex_value))


def _validate(case: VectorCase) -> None:
    anchor = case.group["issuingRoot" if case.data["anchor"] == "issuing" else "readerRoot"]
    now = datetime.strptime(case.data["now"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    pki.validate_chain(
        _cert(case.data["leaf"]),
        [_cert(c) for c in case.data["intermediates"]],
        _cert(anchor),
        now,
        Purpose[case.data["purpose"]],
    )


@pytest.mark.parametrize("case", CHAINS, ids=lambda c: f"{c.tc_id}-{c.comment[:40]}")
def test_chain_vector(case: VectorCase) -> None:
    """The requirement each vector names: valid paths pass, invalid ones raise its class."""
    if case.result == "valid":
        _validate(case)
        if case.data["purpose"] == "READER_AUTHENTICATION":
            assert reader_authorisation(_cert(case.data["leaf"])).rpps.startswith("1999999")
        return
    with pytest.raises(PKIError) as raised:
        _validate(case)
    assert type(raised.value) is getattr(pki, case.data["errorType"]), str(raised.value)


@pytest.mark.parametrize("case", AUTH, ids=lambda c: f"{c.tc_id}-{c.comment[:40]}")
def test_authorisation_vector(case: VectorCase) -> None:
    """VDC-PKI-030..033."""
    value = bytes.fromhex(case.data["value"])
    if case.result == "valid":
        parsed = ReaderAuthorisation.decode(value)
        assert {
            "rpps": parsed.rpps,
            "profession": parsed.profession,
            "allowedElements": list(parsed.allowed_elements),
        } == case.data["expected"]
        assert parsed.encode() == value
        return
    with pytest.raises(pki.AuthorisationError):
        ReaderAuthorisation.decode(value)
