"""Credential vectors: every case gets its verdict and its error class (VDC-CRED, VDC-VEC)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography import x509

from conformance.vectors import VectorCase, iter_cases
from vitale_ref import credential
from vitale_ref.credential import CredentialError, elements_to_json, verify_presentation

CASES = list(iter_cases("credential/presentations.json"))


def _verify(case: VectorCase) -> credential.VerifiedPresentation:
    anchor = x509.load_der_x509_certificate(bytes.fromhex(case.group["trustAnchor"]))
    now = datetime.strptime(case.data["now"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    status = bytes.fromhex(case.data["statusList"]) or None
    return verify_presentation(
        bytes.fromhex(case.data["presentation"]),
        trust_anchor=anchor,
        now=now,
        status_list=status,
        requested=case.data["requested"] or None,
    )


def test_enough_cases() -> None:
    """Issue 3: at least 40 invalid cases and every valid profile."""
    invalid = [c for c in CASES if c.result == "invalid"]
    assert len(invalid) >= 40
    assert all(c.data["requirement"].startswith("VDC-") for c in invalid)
    flags = {f for c in CASES for f in c.flags}
    assert {"LunarDate", "MaximalLengths", "Revoked", "WrongCurve", "TrailingBytes"} <= flags


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.tc_id}-{c.comment[:40]}")
def test_vector(case: VectorCase) -> None:
    """Each vector's requirement: valid cases give the expected values, invalid the error."""
    if case.result == "valid":
        verified = _verify(case)
        assert elements_to_json(verified.elements) == case.data["expected"]
        assert verified.revocation_checked is bool(case.data["statusList"])
        return
    expected = getattr(credential, case.data["errorType"])
    with pytest.raises(CredentialError) as raised:
        _verify(case)
    assert type(raised.value) is expected, str(raised.value)
