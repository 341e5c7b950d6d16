"""Remembered document-signer chains (VDC-CRED-047, VDC-PKI-026, VDC-PKI-027).

A cache hit skips only the chain validation: the issuer signature, the validity period,
the digests, the device binding and the revocation bit are checked on every presentation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from vitale_ref.credential import (
    CertificateChainError,
    CredentialExpiredError,
    CredentialRevokedError,
    DeviceBindingError,
    DigestMismatchError,
    IssuerSignatureError,
    StatusList,
    StatusReference,
    _verify,
    decode_presentation,
    device_signature_binding,
    issue_credential,
    sign_status_list,
    verify_presentation,
)
from vitale_ref.credential.samples import (
    SAMPLE_LIST_ID,
    VALID_FROM,
    VALID_UNTIL,
    issue_typical,
    typical_holder,
)
from vitale_ref.ecdsa import sign_raw
from vitale_ref.pki import TEST_NOW, ValidationCache, generate_test_pki
from vitale_ref.randomness import seeded_random

PKI = generate_test_pki("tests/credential-cache")
TYPICAL = issue_typical("tests/credential-cache", pki=PKI)
ROOT = PKI.issuing_root.certificate
SIGNER_NOT_AFTER = PKI.document_signer.certificate.not_valid_after_utc
SECOND = timedelta(seconds=1)


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """A fresh cache of two entries, and every `now` a chain is really validated at."""
    monkeypatch.setattr(_verify, "SIGNER_CHAINS", ValidationCache(2))
    seen: list[datetime] = []
    real: Callable[..., Any] = _verify.validate_chain  # type: ignore[attr-defined]

    def counting(*args: Any, **kwargs: Any) -> Any:
        seen.append(args[3])
        return real(*args, **kwargs)

    monkeypatch.setattr(_verify, "validate_chain", counting)
    return seen


def _verify_at(data: bytes, now: datetime = TEST_NOW, **kwargs: Any) -> object:
    return verify_presentation(data, trust_anchor=ROOT, now=now, **kwargs)


def test_credential_signer_chain_is_served_from_the_cache(validations: list[datetime]) -> None:
    """VDC-CRED-047: the same chain under the same root is validated once."""
    data = TYPICAL.issued.full_presentation()
    _verify_at(data)
    _verify_at(TYPICAL.issued.presentation([1, 2]))
    assert validations == [TEST_NOW]


def test_credential_cache_hit_still_checks_everything_else(validations: list[datetime]) -> None:
    """VDC-CRED-047: after a hit, signature, validity, digests, binding and revocation
    are still checked at `now`."""
    data = TYPICAL.issued.full_presentation()
    _verify_at(data)
    signature = decode_presentation(data).credential.signature
    forged = data.replace(signature, bytes([signature[0] ^ 1]) + signature[1:])
    with pytest.raises(IssuerSignatureError, match="issuer signature does not verify"):
        _verify_at(forged)
    with pytest.raises(CredentialExpiredError, match="expired at 2028-01-15"):
        _verify_at(data, VALID_UNTIL + SECOND)
    salt = TYPICAL.issued.elements[next(iter(TYPICAL.issued.elements))].salt
    altered = data.replace(salt, bytes(len(salt)))
    with pytest.raises(DigestMismatchError, match="does not match its digest"):
        _verify_at(altered)
    transcript = b"synthetic transcript"
    good = sign_raw(TYPICAL.device_key, transcript)
    with pytest.raises(DeviceBindingError, match="device signature does not verify"):
        _verify_at(data, device_binding=device_signature_binding(b"other", good))
    status = StatusList.new(SAMPLE_LIST_ID, 64)
    status.revoke(0)
    week = timedelta(days=7)
    signed = sign_status_list(
        status, signer=PKI.status_signer, this_update=TEST_NOW - week, next_update=TEST_NOW + week
    )
    with pytest.raises(CredentialRevokedError, match="revoked"):
        _verify_at(data, status_list=signed)
    assert validations == [TEST_NOW]  # every refusal above came after a cache hit


def test_credential_cached_chain_is_refused_after_not_after(validations: list[datetime]) -> None:
    """VDC-CRED-047, VDC-PKI-026: one second past the signer's notAfter the chain is
    validated again and refused, although it was remembered."""
    data = TYPICAL.issued.full_presentation()
    _verify_at(data)
    with pytest.raises(CertificateChainError, match="expired at"):
        _verify_at(data, SIGNER_NOT_AFTER + SECOND)
    assert validations == [TEST_NOW, SIGNER_NOT_AFTER + SECOND]


def test_credential_other_chain_or_root_is_not_served(validations: list[datetime]) -> None:
    """VDC-CRED-047: another signer certificate, or another root, is validated on its own;
    a refused chain is not remembered."""
    data = TYPICAL.issued.full_presentation()
    _verify_at(data)
    second = PKI.document_signers[1]
    assert second.der != PKI.document_signer.der
    other = issue_credential(
        typical_holder(),
        signer=second,
        device_public_key=TYPICAL.device_key.public_key(),
        valid_from=VALID_FROM,
        valid_until=VALID_UNTIL,
        status=StatusReference(SAMPLE_LIST_ID, 1),
        random=seeded_random("tests/credential-cache/second"),
    )
    _verify_at(other.full_presentation())
    other_root = generate_test_pki("tests/credential-cache-other").issuing_root.certificate
    with pytest.raises(CertificateChainError, match="signature does not verify"):
        verify_presentation(data, trust_anchor=other_root, now=TEST_NOW)
    with pytest.raises(CertificateChainError, match="signature does not verify"):
        verify_presentation(data, trust_anchor=other_root, now=TEST_NOW)
    _verify_at(data)
    assert len(validations) == 4  # the first signer, the second, the other root twice
    assert len(_verify.SIGNER_CHAINS) == 2
