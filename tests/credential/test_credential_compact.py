"""Compact presentations: the document signer by reference (VDC-CRED-070, VDC-CRED-071)."""

from __future__ import annotations

import hashlib

import pytest

from vitale_ref.credential import (
    CertificateChainError,
    CredentialEncodingError,
    CredentialFormatError,
    compact,
    decode_compact,
    signer_reference,
    verify_presentation,
)
from vitale_ref.credential.samples import issue_typical
from vitale_ref.pki import TEST_NOW
from vitale_ref.pki.der import octets, sequence

TYPICAL = issue_typical("tests/credential-compact")
SIGNER = TYPICAL.pki.document_signer.der


def test_credential_compact_round_trip() -> None:
    """The compact form names the signer by 8 bytes of SHA-256 and expands back to the
    same presentation, which verifies as before."""
    full = TYPICAL.issued.full_presentation()
    lean, chain = compact(full)
    assert chain == (SIGNER,)
    assert signer_reference(SIGNER) == hashlib.sha256(SIGNER).digest()[:8]
    assert len(full) - len(lean) == len(SIGNER) + 4 - 10  # the chain's SEQUENCE, an OCTET STRING
    parts = decode_compact(lean)
    assert parts.signer == signer_reference(SIGNER)
    assert parts.expand(chain) == full
    verify_presentation(
        parts.expand(chain), trust_anchor=TYPICAL.pki.issuing_root.certificate, now=TEST_NOW
    )


def test_credential_compact_refuses_another_chain() -> None:
    """VDC-CRED-071: a chain whose leaf has another reference is refused."""
    parts = decode_compact(compact(TYPICAL.issued.full_presentation())[0])
    with pytest.raises(CertificateChainError, match="no chain with the reference"):
        parts.expand((TYPICAL.pki.status_signer.der,))
    with pytest.raises(CertificateChainError):
        parts.expand(())


def test_credential_compact_strict() -> None:
    """A signer reference of 7 bytes, or bytes after the presentation, are refused."""
    parts = decode_compact(compact(TYPICAL.issued.full_presentation())[0])
    short = sequence(
        sequence(parts.tbs, parts.signature, octets(parts.signer[:7])), parts.disclosed
    )
    with pytest.raises(CredentialFormatError):
        decode_compact(short)
    good = sequence(sequence(parts.tbs, parts.signature, octets(parts.signer)), parts.disclosed)
    with pytest.raises(CredentialEncodingError):
        decode_compact(good + b"\x00")
