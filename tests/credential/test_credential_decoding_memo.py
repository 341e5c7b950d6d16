"""Remembered decodings of credentials and disclosed elements (VDC-CRED-048).

The memo serves only the exact bytes it decoded, never a refused encoding, holds a
bounded number of entries, and leaves every check at `now` to run on each presentation.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from vitale_ref.credential import (
    CredentialEncodingError,
    CredentialExpiredError,
    ElementId,
    IssuerSignatureError,
    UnsupportedVersionError,
    _verify,
    decode_presentation,
    forget_decodings,
    verify_presentation,
)
from vitale_ref.credential._elements import remembered_disclosed
from vitale_ref.credential._structure import _decode_credential_once
from vitale_ref.credential.samples import VALID_UNTIL, issue_typical
from vitale_ref.pki import TEST_NOW, generate_test_pki

PKI = generate_test_pki("tests/credential-memo")
TYPICAL = issue_typical("tests/credential-memo", pki=PKI)
ROOT = PKI.issuing_root.certificate


@pytest.fixture(autouse=True)
def empty_memo() -> Iterator[None]:
    forget_decodings()
    yield
    forget_decodings()


def test_credential_memo_serves_the_same_bytes() -> None:
    """A second decoding of the same bytes is the remembered one, equal to a fresh one."""
    presentation = TYPICAL.issued.full_presentation()
    first = decode_presentation(presentation)
    second = decode_presentation(presentation)
    assert second.credential.tbs is first.credential.tbs
    assert all(a is b for a, b in zip(first.disclosed, second.disclosed, strict=True))
    forget_decodings()
    fresh = decode_presentation(presentation)
    assert fresh.credential.tbs is not first.credential.tbs
    assert fresh == first


def test_credential_memo_is_keyed_by_exact_bytes() -> None:
    """One changed signature byte is another credential: decoded afresh, and refused by
    the issuer-signature check, not served the remembered decoding of the good one."""
    presentation = TYPICAL.issued.full_presentation()
    verify_presentation(presentation, trust_anchor=ROOT, now=TEST_NOW)
    signature = decode_presentation(presentation).credential.signature
    forged = presentation.replace(signature, signature[:-1] + bytes([signature[-1] ^ 1]))
    assert forged != presentation
    before = _decode_credential_once.cache_info().currsize
    with pytest.raises(IssuerSignatureError):
        verify_presentation(forged, trust_anchor=ROOT, now=TEST_NOW)
    assert _decode_credential_once.cache_info().currsize == before + 1


def test_credential_memo_never_remembers_a_refusal() -> None:
    """A refused encoding raises every time and leaves the memo as it was: a credential
    of version 2 (same length), then a family name that is not UTF-8 (same length)."""
    presentation = TYPICAL.issued.full_presentation()
    assert presentation[12:15] == b"\x02\x01\x01"  # the TBS version, 1
    other_version = presentation[:14] + b"\x02" + presentation[15:]
    for _ in range(2):
        with pytest.raises(UnsupportedVersionError):
            decode_presentation(other_version)
    assert _decode_credential_once.cache_info().currsize == 0
    name = decode_presentation(presentation).disclosed[1]
    assert name.element_id == ElementId.FAMILY_NAME
    bad_name = name.encoding[:-1] + b"\xff"
    broken = presentation.replace(name.encoding, bad_name)
    remembered = remembered_disclosed.cache_info().currsize
    for _ in range(2):
        with pytest.raises(CredentialEncodingError):
            decode_presentation(broken)
    assert remembered_disclosed.cache_info().currsize == remembered


def test_credential_memo_is_bounded() -> None:
    """VDC-PKI-027 applied to decodings: 32 credentials and 256 elements at most."""
    assert _decode_credential_once.cache_info().maxsize == 32
    assert remembered_disclosed.cache_info().maxsize == 256


def test_credential_memo_leaves_the_checks_at_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the decoding remembered, the issuer signature is still verified for every
    presentation and the validity period still judged at each `now` (VDC-CRED-047)."""
    presentation = TYPICAL.issued.full_presentation()
    calls: list[bytes] = []
    real = _verify.verify_raw  # type: ignore[attr-defined]

    def counting(key: Any, message: bytes, signature: bytes) -> bool:
        calls.append(signature)
        return real(key, message, signature)

    monkeypatch.setattr(_verify, "verify_raw", counting)
    for _ in range(3):
        verify_presentation(presentation, trust_anchor=ROOT, now=TEST_NOW)
    assert len(calls) == 3
    with pytest.raises(CredentialExpiredError):
        verify_presentation(presentation, trust_anchor=ROOT, now=VALID_UNTIL + timedelta(1))
