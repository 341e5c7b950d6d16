"""Test PKI generation and path validation (VDC-PKI-001..006, 011, 020..024, 040)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from tools.vectorgen.regressions import country_as_bits
from vitale_ref.pki import (
    ID_KP_DOCUMENT_SIGNING as DS_EKU,
)
from vitale_ref.pki import (
    TEST_NOW,
    AlgorithmError,
    BasicConstraintsError,
    CertificateFormatError,
    CertificateTemplate,
    CriticalExtensionError,
    KeyUsageError,
    PathError,
    Purpose,
    SignatureError,
    TestPKI,
    ValidityError,
    build_certificate,
    generate_test_pki,
    load_certificate,
    validate_chain,
)
from vitale_ref.randomness import p256_private_key, seeded_random

PKI = generate_test_pki("tests/pki")
SECOND = timedelta(seconds=1)
DS = Purpose.DOCUMENT_SIGNING


def test_same_seed_gives_identical_der() -> None:
    """VDC-PKI-040: byte-identical certificates from the same seed."""
    again = generate_test_pki("tests/pki")
    assert [e.der for e in again.entities()] == [e.der for e in PKI.entities()]
    other = generate_test_pki("tests/pki-other")
    assert {e.der for e in other.entities()}.isdisjoint(e.der for e in PKI.entities())


def test_every_role_is_present() -> None:
    """VDC-PKI-040: roots, two document signers, a status signer, three readers."""
    assert isinstance(PKI, TestPKI)
    assert len(PKI.document_signers) == 2
    assert sorted(PKI.readers) == ["doctor", "nurse", "pharmacist"]
    assert PKI.document_signer is PKI.document_signers[0]


def test_validities_nest_within_their_issuers() -> None:
    """VDC-PKI-012: every certificate of the test PKI lies within its issuer's validity."""
    roots = {PKI.issuing_root.certificate.subject: PKI.issuing_root.certificate}
    roots[PKI.reader_root.certificate.subject] = PKI.reader_root.certificate
    leaves = [e.certificate for e in PKI.entities() if e.certificate.subject not in roots]
    assert len(leaves) == 6
    for leaf in leaves:
        issuer = roots[leaf.issuer]
        assert issuer.not_valid_before_utc <= leaf.not_valid_before_utc, leaf.subject
        assert leaf.not_valid_after_utc <= issuer.not_valid_after_utc, leaf.subject


@pytest.mark.parametrize("entity", PKI.entities(), ids=lambda e: e.name)
def test_profile_fields(entity: object) -> None:
    """VDC-PKI-001, 003, 006, 011: v3, ecdsa-with-SHA256, P-256, SKI, positive serial."""
    cert = entity.certificate  # type: ignore[attr-defined]
    assert cert.version is x509.Version.v3
    assert cert.signature_algorithm_oid == x509.SignatureAlgorithmOID.ECDSA_WITH_SHA256
    assert cert.public_key().curve.name == "secp256r1"
    assert 0 < cert.serial_number < 2**159
    cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    if cert.issuer != cert.subject:
        cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
    assert load_certificate(entity.der).serial_number == cert.serial_number  # type: ignore[attr-defined]


def test_valid_paths_for_each_purpose() -> None:
    """VDC-PKI-020, 023: each leaf validates for its own purpose."""
    root, readers = PKI.issuing_root.certificate, PKI.reader_root.certificate
    for signer in PKI.document_signers:
        path = validate_chain(signer.certificate, [], root, TEST_NOW, Purpose.DOCUMENT_SIGNING)
        assert path == [signer.certificate, root]
    validate_chain(PKI.status_signer.certificate, [], root, TEST_NOW, Purpose.STATUS_LIST_SIGNING)
    for reader in PKI.readers.values():
        validate_chain(reader.certificate, [], readers, TEST_NOW, Purpose.READER_AUTHENTICATION)


def test_wrong_purpose_is_refused() -> None:
    """VDC-PKI-023: a status signer cannot sign credentials, a reader cannot either."""
    root = PKI.issuing_root.certificate
    with pytest.raises(KeyUsageError, match="extended key usage lacks DOCUMENT_SIGNING"):
        validate_chain(PKI.status_signer.certificate, [], root, TEST_NOW, Purpose.DOCUMENT_SIGNING)
    doctor = PKI.readers["doctor"].certificate
    with pytest.raises(KeyUsageError, match="lacks DOCUMENT_SIGNING"):
        validate_chain(doctor, [], PKI.reader_root.certificate, TEST_NOW, Purpose.DOCUMENT_SIGNING)


def test_other_hierarchy_is_untrusted() -> None:
    """VDC-PKI-020: the reader root does not vouch for document signers."""
    with pytest.raises(PathError, match="issuer is neither trusted nor supplied"):
        validate_chain(
            PKI.document_signer.certificate,
            [],
            PKI.reader_root.certificate,
            TEST_NOW,
            Purpose.DOCUMENT_SIGNING,
        )


def test_validity_window() -> None:
    """VDC-PKI-021: before notBefore and after notAfter are refused."""
    cert, root = PKI.document_signer.certificate, PKI.issuing_root.certificate
    with pytest.raises(ValidityError, match="not valid before"):
        validate_chain(
            cert,
            [],
            root,
            cert.not_valid_before_utc - timedelta(seconds=1),
            Purpose.DOCUMENT_SIGNING,
        )
    with pytest.raises(ValidityError, match="expired at"):
        validate_chain(
            cert,
            [],
            root,
            cert.not_valid_after_utc + timedelta(seconds=1),
            Purpose.DOCUMENT_SIGNING,
        )


def _leaf(**changes: object) -> x509.Certificate:
    key = p256_private_key(seeded_random("tests/pki/variant"))
    fields: dict[str, object] = {
        "common_name": "Variant (synthetic)",
        "public_key": key.public_key(),
        "serial": 7,
        "not_before": PKI.document_signer.certificate.not_valid_before_utc,
        "not_after": PKI.document_signer.certificate.not_valid_after_utc,
        "extended_key_usage": (DS_EKU,),
    }
    fields.update(changes)
    template = CertificateTemplate(**fields)  # type: ignore[arg-type]
    return build_certificate(template, PKI.issuing_root.private_key, PKI.issuing_root.certificate)


def _validate(leaf: x509.Certificate) -> None:
    validate_chain(leaf, [], PKI.issuing_root.certificate, TEST_NOW, Purpose.DOCUMENT_SIGNING)


def test_variant_baseline_is_valid() -> None:
    """VDC-PKI-005: the helper's default leaf is acceptable, so each variant tests one change."""
    _validate(_leaf())


def test_leaf_asserting_ca_is_refused() -> None:
    """VDC-PKI-022."""
    with pytest.raises(BasicConstraintsError, match="a CA certificate cannot be a leaf"):
        _validate(_leaf(ca=True, key_usage=None))


def test_unknown_critical_extension_is_refused() -> None:
    """VDC-PKI-024."""
    extra = x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.99999.1"), b"\x05\x00")
    with pytest.raises(CriticalExtensionError, match=r"unknown critical extension 1\.3\.6"):
        _validate(_leaf(extra_extensions=((extra, True),)))


def test_p384_key_is_refused() -> None:
    """VDC-PKI-003."""
    key = ec.derive_private_key(12345, ec.SECP384R1())
    with pytest.raises(AlgorithmError, match="public key is not on P-256"):
        _validate(_leaf(public_key=key.public_key()))


def test_tampered_signature_is_refused() -> None:
    """VDC-PKI-020: flipping a bit of the TBS part breaks the signature."""
    der = bytearray(PKI.document_signer.der)
    index = der.index(b"Document Signer 1")
    der[index] ^= 0x01
    tampered = load_certificate(bytes(der))
    with pytest.raises(SignatureError, match="signature does not verify"):
        _validate(tampered)


def test_intermediate_is_used_and_path_length_enforced() -> None:
    """VDC-PKI-020, 022: a sub-CA under a pathLen=0 root breaks the constraint."""
    sub_key = p256_private_key(seeded_random("tests/pki/sub"))
    sub = build_certificate(
        CertificateTemplate(
            common_name="Sub CA (synthetic)",
            public_key=sub_key.public_key(),
            serial=9,
            not_before=PKI.document_signer.certificate.not_valid_before_utc,
            not_after=PKI.document_signer.certificate.not_valid_after_utc,
            ca=True,
        ),
        PKI.issuing_root.private_key,
        PKI.issuing_root.certificate,
    )
    leaf_key = p256_private_key(seeded_random("tests/pki/leaf"))
    leaf = build_certificate(
        CertificateTemplate(
            common_name="Leaf under sub CA (synthetic)",
            public_key=leaf_key.public_key(),
            serial=10,
            not_before=PKI.document_signer.certificate.not_valid_before_utc,
            not_after=PKI.document_signer.certificate.not_valid_after_utc,
            extended_key_usage=(DS_EKU,),
        ),
        sub_key,
        sub,
    )
    with pytest.raises(BasicConstraintsError, match="path length constraint exceeded"):
        validate_chain(
            leaf, [sub], PKI.issuing_root.certificate, TEST_NOW, Purpose.DOCUMENT_SIGNING
        )
    with pytest.raises(PathError, match="issuer is neither trusted nor supplied"):
        validate_chain(leaf, [], PKI.issuing_root.certificate, TEST_NOW, Purpose.DOCUMENT_SIGNING)


def test_unreadable_names_are_typed_errors() -> None:
    """Found by mutating certificates: a name attribute typed BIT STRING made the subject
    raise TypeError while labelling an error, and the issuer while building the path."""
    signer = PKI.document_signer.der
    reader_root = PKI.reader_root.certificate
    bad_subject = load_certificate(country_as_bits(signer, "subject"))
    with pytest.raises(PathError, match=r"^certificate: issuer is neither trusted"):
        validate_chain(bad_subject, [], reader_root, TEST_NOW, DS)
    bad_issuer = load_certificate(country_as_bits(signer, "issuer"))
    with pytest.raises(CertificateFormatError, match="issuer: "):
        validate_chain(bad_issuer, [], PKI.issuing_root.certificate, TEST_NOW, DS)
