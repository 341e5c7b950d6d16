"""Bad input: typed errors, bounded work (VDC-CRED-030, issue 3 "Bad input")."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vitale_ref.credential import (
    CertificateChainError,
    CredentialEncodingError,
    CredentialError,
    StatusListError,
    decode_presentation,
    decode_status_list,
    samples,
    verify_presentation,
)
from vitale_ref.pki import (
    TEST_NOW,
    AuthorisationError,
    ReaderAuthorisation,
    der,
    generate_test_pki,
)

PKI = generate_test_pki("tests/credential")
VALID = samples.issue_typical("tests/credential", pki=PKI).issued.full_presentation()
ROOT = PKI.issuing_root.certificate


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Presentation: truncated before the tag"),
        (b"\x30", "Presentation: truncated before the length"),
        (b"\x30\x84\x7f\xff\xff\xff", "Presentation: length 2147483647 exceeds the 0 bytes"),
        (b"\x30\x84\xff\xff\xff\xff\x00", "length 4294967295 exceeds the 1 bytes present"),
        (b"\x30\x89" + b"\xff" * 9, "length field of 9 bytes exceeds 4"),
        (b"\x30\x80\x00\x00", "indefinite length is not DER"),
        (b"\x30\x02\x30\x00", "credential.tbs: missing"),
        (VALID[:100], r"length \d+ exceeds the 96 bytes present"),
        (b"\x30\x00" * 5000, "9998 trailing bytes after the value"),
        (b"\x00" * 40000, "40000 bytes exceeds the 32768 limit"),
    ],
)
def test_junk_names_the_first_problem(data: bytes, message: str) -> None:
    """VDC-CRED-030: truncated, 2 GB claims, deep nesting and oversize input."""
    with pytest.raises(CredentialEncodingError, match=message):
        decode_presentation(data)


def test_deep_nesting_is_refused_without_recursion() -> None:
    """VDC-CRED-030: thousands of nested SEQUENCEs end at the first wrong tag."""
    data = b""
    for _ in range(3000):
        data = der.sequence(data)
    assert len(data) < 32768
    with pytest.raises(CredentialEncodingError, match=r"tbs\.version: expected tag 0x02"):
        decode_presentation(data)


def test_non_bytes_input_is_a_typed_error() -> None:
    with pytest.raises(CredentialEncodingError, match="expected bytes"):
        decode_presentation("30 00")  # type: ignore[arg-type]


@st.composite
def mutations(draw: st.DrawFn) -> bytes:
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "set", "insert", "delete", "truncate"]))
        position = draw(st.integers(0, len(data) - 1)) if data else 0
        if kind == "flip" and data:
            data[position] ^= 1 << draw(st.integers(0, 7))
        elif kind == "set" and data:
            data[position] = draw(st.sampled_from([0x00, 0x7F, 0x80, 0x81, 0x84, 0xFF]))
        elif kind == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=4))
        elif kind == "delete" and data:
            del data[position : position + draw(st.integers(1, 8))]
        else:
            del data[position:]
    return bytes(data)


@given(mutations())
def test_mutated_presentations_parse_or_raise_typed(data: bytes) -> None:
    """Issue 3 bad input: any mutation verifies or raises a CredentialError, nothing else."""
    try:
        verified = verify_presentation(data, trust_anchor=ROOT, now=TEST_NOW)
    except CredentialError as error:
        assert str(error)
        return
    # A mutation can only pass when the bytes still form the same signed values.
    assert verified.serial == decode_presentation(VALID).credential.tbs.serial


EC_KEY_TYPE = bytes.fromhex("06072a8648ce3d0201")  # OID id-ecPublicKey, 1.2.840.10045.2.1
UNKNOWN_KEY_TYPE = bytes.fromhex("06072b8648ce3d0201")  # one bit flipped: 1.3.840.10045.2.1


def test_signer_key_of_an_unknown_type_is_a_typed_error() -> None:
    """Found by the mutation test above: a document signer whose key type cryptography
    does not know made `public_key()` raise UnsupportedAlgorithm through the verifier."""
    signer = PKI.document_signer.der
    assert signer.count(EC_KEY_TYPE) == 1
    data = VALID.replace(signer, signer.replace(EC_KEY_TYPE, UNKNOWN_KEY_TYPE))
    with pytest.raises(CertificateChainError, match="public key is not on P-256"):
        verify_presentation(data, trust_anchor=ROOT, now=TEST_NOW)


@given(st.binary(max_size=300))
def test_random_bytes_raise_typed_errors(data: bytes) -> None:
    with pytest.raises(CredentialError):
        verify_presentation(data, trust_anchor=ROOT, now=TEST_NOW)


@given(st.binary(max_size=120))
def test_status_list_and_authorisation_decoders_raise_typed(data: bytes) -> None:
    """VDC-CRED-050, VDC-PKI-030: the other two strict decoders."""
    with pytest.raises(StatusListError):
        decode_status_list(data)
    with contextlib.suppress(AuthorisationError):
        ReaderAuthorisation.decode(data)
