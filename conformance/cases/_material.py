"""Test material the suite builds with the reference issuer: synthetic credentials,
status lists and keys, reproducible from fixed seeds and built once per process.

The suite needs an issuer to produce inputs; what it checks is the implementation's
answer, never the reference's own verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from cryptography.hazmat.primitives import serialization

from vitale_ref.credential import StatusList, sign_status_list
from vitale_ref.credential import samples as credential_samples
from vitale_ref.credential._structure import encode_credential, encode_presentation
from vitale_ref.pki import TEST_NOW, TestPKI, generate_test_pki

SEED = "conformance/suite"
NOW = TEST_NOW
REVOKED_INDEX = 2


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def der(certificate: object) -> str:
    from cryptography import x509

    assert isinstance(certificate, x509.Certificate)
    return certificate.public_bytes(serialization.Encoding.DER).hex().upper()


@dataclass(frozen=True)
class Material:
    """Everything the credential cases present to an implementation."""

    pki: TestPKI
    typical: credential_samples.SampleCredential
    lunar: credential_samples.SampleCredential
    revoked: credential_samples.SampleCredential
    status_list: bytes
    other_list: bytes
    stale_list: bytes
    list_by_wrong_signer: bytes

    @property
    def root(self) -> str:
        return der(self.pki.issuing_root.certificate)


def _signed_list(pki: TestPKI, list_id: int, *, signer: object = None, days: int = 1) -> bytes:
    status = StatusList.new(list_id, 64)
    status.revoke(REVOKED_INDEX)
    # days < 0: a list whose nextUpdate is already past (stale).
    start = NOW - timedelta(days=3) if days < 0 else NOW - timedelta(days=1)
    end = NOW + timedelta(days=days)
    return sign_status_list(
        status,
        signer=signer or pki.status_signer,  # type: ignore[arg-type]
        this_update=start,
        next_update=end,
    )


@cache
def material() -> Material:
    pki = generate_test_pki(SEED)
    issue = credential_samples.issue_sample
    return Material(
        pki=pki,
        typical=issue(credential_samples.typical_holder(), f"{SEED}/typical", pki=pki),
        lunar=issue(credential_samples.lunar_holder(), f"{SEED}/lunar", pki=pki, index=1),
        revoked=issue(
            credential_samples.single_insured(), f"{SEED}/revoked", pki=pki, index=REVOKED_INDEX
        ),
        status_list=_signed_list(pki, credential_samples.SAMPLE_LIST_ID),
        other_list=_signed_list(pki, credential_samples.SAMPLE_LIST_ID + 1),
        stale_list=_signed_list(pki, credential_samples.SAMPLE_LIST_ID, days=-1),
        list_by_wrong_signer=_signed_list(
            pki, credential_samples.SAMPLE_LIST_ID, signer=pki.document_signer
        ),
    )


@cache
def other_root() -> str:
    """A root with the same names as the issuing root but another key."""
    return der(generate_test_pki(f"{SEED}/other").issuing_root.certificate)


def with_signature(presentation: bytes, signature: bytes) -> bytes:
    """The same presentation with the issuer signature replaced."""
    from vitale_ref.credential import decode_presentation

    decoded = decode_presentation(presentation)
    credential = decoded.credential
    chain = [c.public_bytes(serialization.Encoding.DER) for c in credential.chain]
    rebuilt = encode_credential(credential.tbs_encoding, signature, chain)
    return encode_presentation(rebuilt, [d.encoding for d in decoded.disclosed])


def list_with_bad_signature(signed: bytes) -> bytes:
    """The same status list with one bit of its signature flipped."""
    from vitale_ref.credential import decode_status_list
    from vitale_ref.pki import der as der_codec

    decoded = decode_status_list(signed)
    bad = decoded.signature[:-1] + bytes([decoded.signature[-1] ^ 1])
    chain = [c.public_bytes(serialization.Encoding.DER) for c in decoded.chain]
    return der_codec.sequence(
        decoded.tbs_encoding, der_codec.octets(bad), der_codec.sequence(*chain)
    )


def with_disclosed(presentation: bytes, disclosed: list[bytes]) -> bytes:
    """The same credential with other disclosed-element encodings."""
    from vitale_ref.credential import decode_presentation

    decoded = decode_presentation(presentation)
    return encode_presentation(decoded.credential.encoding, disclosed)
