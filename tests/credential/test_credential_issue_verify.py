"""Issuance, selective disclosure and verification (VDC-CRED-010..019, 040..046, 060)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from vitale_ref.credential import (
    Beneficiary,
    CertificateChainError,
    CredentialExpiredError,
    CredentialFormatError,
    CredentialNotYetValidError,
    DeviceBindingError,
    ElementId,
    MissingElementError,
    build_presentation,
    decode_presentation,
    device_signature_binding,
    samples,
    verify_presentation,
)
from vitale_ref.ecdsa import sign_raw
from vitale_ref.pki import TEST_NOW, generate_test_pki

PKI = generate_test_pki("tests/credential")
TYPICAL = samples.issue_typical("tests/credential", pki=PKI)
ROOT = PKI.issuing_root.certificate
SECOND = timedelta(seconds=1)

PROFILES: list[Callable[[], Beneficiary]] = [
    samples.single_insured,
    samples.typical_holder,
    samples.lunar_holder,
    samples.maximal_holder,
]


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.__name__)
def test_every_element_round_trips(profile: Callable[[], Beneficiary]) -> None:
    """VDC-CRED-019, 022: verified values equal the issued values, lunar dates included."""
    sample = samples.issue_sample(profile(), "tests/credential", pki=PKI)
    verified = verify_presentation(
        sample.issued.full_presentation(), trust_anchor=ROOT, now=TEST_NOW
    )
    assert dict(verified.elements) == profile().elements()
    assert (
        verified.device_public_key.public_numbers()
        == sample.device_key.public_key().public_numbers()
    )
    assert verified.document_signer == PKI.document_signer.certificate
    assert verified.revocation_checked is False


def test_issuance_is_deterministic() -> None:
    """VDC-CRED-061: same seed and inputs, same bytes."""
    again = samples.issue_typical("tests/credential", pki=PKI)
    assert again.issued.credential == TYPICAL.issued.credential
    other = samples.issue_typical("tests/credential-2", pki=PKI)
    assert other.issued.credential != TYPICAL.issued.credential


def test_presentation_carries_only_the_requested_elements() -> None:
    """VDC-CRED-060: undisclosed values never appear in the bytes."""
    data = build_presentation(TYPICAL.issued, [ElementId.FAMILY_NAME, ElementId.BIRTH_DATE])
    decoded = decode_presentation(data)
    assert [e.element_id for e in decoded.disclosed] == [2, 4]
    for hidden in ("285057505612338", "Camille", "Léo", "99999901"):
        assert hidden.encode() not in data
    verified = verify_presentation(data, trust_anchor=ROOT, now=TEST_NOW, requested=[2, 4])
    assert verified.elements == {ElementId.FAMILY_NAME: "EXEMPLE", ElementId.BIRTH_DATE: "19850521"}


def test_requested_but_absent_element_is_refused() -> None:
    """VDC-CRED-017: a reader that asked for the NIR gets an error, not silence."""
    data = build_presentation(TYPICAL.issued, [ElementId.FAMILY_NAME])
    with pytest.raises(MissingElementError, match=r"requested element\(s\) \[1\] not disclosed"):
        verify_presentation(data, trust_anchor=ROOT, now=TEST_NOW, requested=[1, 2])
    single = samples.issue_sample(samples.single_insured(), "tests/credential", pki=PKI)
    with pytest.raises(MissingElementError, match="the credential holds no minors"):
        build_presentation(single.issued, [ElementId.MINORS])


def test_validity_period_is_enforced() -> None:
    """VDC-CRED-043."""
    data = TYPICAL.issued.full_presentation()
    with pytest.raises(CredentialNotYetValidError, match="not valid before 2026-01-15"):
        verify_presentation(data, trust_anchor=ROOT, now=samples.VALID_FROM - timedelta(seconds=1))
    with pytest.raises(CredentialExpiredError, match="expired at 2028-01-15"):
        verify_presentation(data, trust_anchor=ROOT, now=samples.VALID_UNTIL + timedelta(seconds=1))


def test_a_credential_never_outlives_its_document_signer() -> None:
    """VDC-PKI-012: the reference issuer refuses a validity past the signer's expiry."""
    expiry = PKI.document_signer.certificate.not_valid_after_utc
    sample = samples.typical_holder()
    at_expiry = samples.issue_sample(sample, "tests/credential", pki=PKI, valid_until=expiry)
    assert at_expiry.issued.credential  # the last instant the signer covers is allowed
    with pytest.raises(CredentialFormatError, match="outlive its document signer") as refused:
        samples.issue_sample(sample, "tests/credential", pki=PKI, valid_until=expiry + SECOND)
    assert refused.value.requirement == "VDC-PKI-012"


def test_unknown_root_is_refused() -> None:
    """VDC-CRED-041: a same-named root with another key, or the reader root, is refused."""
    data = TYPICAL.issued.full_presentation()
    other_root = generate_test_pki("tests/credential-other").issuing_root.certificate
    with pytest.raises(CertificateChainError, match=r"Signer 1 \(synthetic\): signature does not"):
        verify_presentation(data, trust_anchor=other_root, now=TEST_NOW)
    reader_root = PKI.reader_root.certificate
    with pytest.raises(CertificateChainError, match="issuer is neither trusted nor supplied"):
        verify_presentation(data, trust_anchor=reader_root, now=TEST_NOW)


def test_device_binding_hook() -> None:
    """VDC-CRED-046: the hook receives the bound key; a wrong signature is refused."""
    transcript = b"synthetic session transcript"
    good = sign_raw(TYPICAL.device_key, transcript)
    data = TYPICAL.issued.full_presentation()
    verify_presentation(
        data,
        trust_anchor=ROOT,
        now=TEST_NOW,
        device_binding=device_signature_binding(transcript, good),
    )
    with pytest.raises(DeviceBindingError, match="device signature does not verify"):
        verify_presentation(
            data,
            trust_anchor=ROOT,
            now=TEST_NOW,
            device_binding=device_signature_binding(b"another transcript", good),
        )


def test_requested_ids_may_be_an_iterator() -> None:
    """build_presentation reads the requested identifiers once: an unknown one in an
    iterator is refused as in a list (it went unseen when read twice)."""
    with pytest.raises(MissingElementError, match=r"unknown element id\(s\) \[200\]"):
        build_presentation(TYPICAL.issued, iter([1, 200]))
