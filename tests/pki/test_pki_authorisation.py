"""Reader-authorisation extension (VDC-PKI-030..033)."""

from __future__ import annotations

import pytest
from cryptography import x509

from vitale_ref.pki import ID_KP_READER_AUTHENTICATION as READER_EKU
from vitale_ref.pki import ID_READER_AUTHORISATION as EXT_OID
from vitale_ref.pki import (
    TEST_NOW,
    AuthorisationError,
    CertificateTemplate,
    KeyUsageError,
    Purpose,
    ReaderAuthorisation,
    build_certificate,
    generate_test_pki,
    reader_authorisation,
    rpps_is_valid,
    validate_chain,
)

PKI = generate_test_pki("tests/pki")


def test_test_readers_carry_their_authorisations() -> None:
    """VDC-PKI-030: the three synthetic practitioners and their element lists."""
    got = {name: reader_authorisation(e.certificate) for name, e in PKI.readers.items()}
    assert got["doctor"] == ReaderAuthorisation(
        rpps="19999999006", profession="10", allowed_elements=tuple(range(1, 11))
    )
    assert got["pharmacist"].allowed_elements == (1, 2, 3, 4, 7, 8, 9, 10)
    assert got["nurse"].profession == "60"
    assert 8 in got["nurse"].allowed_elements
    assert 10 not in got["nurse"].allowed_elements


def test_encoding_round_trips() -> None:
    """VDC-PKI-030: decode(encode(a)) == a, and the DER is what the module says."""
    auth = ReaderAuthorisation(rpps="19999999006", profession="21", allowed_elements=(1, 4))
    encoded = auth.encode()
    assert encoded.hex() == "3019120b3139393939393939303036120232313006020101020104"
    assert ReaderAuthorisation.decode(encoded) == auth


@pytest.mark.parametrize(
    ("hex_value", "message"),
    [
        ("3019120b3139393939393939303036120232313006020101020104" + "00", "trailing bytes"),
        ("3019120b3139393939393939303037120232313006020101020104", "Luhn"),
        ("3019120b3139393939393939303036120239393006020101020104", "unknown profession"),
        ("3019120b3139393939393939303036120232313006020104020101", "strictly ascending"),
        ("3019120b3139393939393939303036120232313006020101020101", "strictly ascending"),
        ("3013120b3139393939393939303036120232313002", "exceeds the 0 bytes present"),
        ("3019120b3139393939393939303036120232313006020100020104", "outside 1..127"),
        ("308119120b3139393939393939303036120232313006020101020104", "long-form length"),
        ("3019120b3139393939393939303036120232313106020101020104", "found 0x31"),
        ("3011120b313939393939393930303612023231", "allowedElements: missing"),
    ],
)
def test_strict_decoding(hex_value: str, message: str) -> None:
    """VDC-PKI-030..033: every deviation is an AuthorisationError naming it."""
    with pytest.raises(AuthorisationError, match=message):
        ReaderAuthorisation.decode(bytes.fromhex(hex_value))


def test_rpps_luhn() -> None:
    """VDC-PKI-031."""
    assert rpps_is_valid("19999999006")
    assert not rpps_is_valid("19999999007")
    assert not rpps_is_valid("1999999900")
    assert not rpps_is_valid("1999999900٦")


def _reader(extension_value: bytes | None, critical: bool = False) -> x509.Certificate:
    key = PKI.readers["nurse"].private_key
    extra: tuple[tuple[x509.ExtensionType, bool], ...] = ()
    if extension_value is not None:
        extra = ((x509.UnrecognizedExtension(EXT_OID, extension_value), critical),)
    template = CertificateTemplate(
        common_name="Reader variant (synthetic)",
        public_key=key.public_key(),
        serial=11,
        not_before=PKI.readers["nurse"].certificate.not_valid_before_utc,
        not_after=PKI.readers["nurse"].certificate.not_valid_after_utc,
        extended_key_usage=(READER_EKU,),
        extra_extensions=extra,
    )
    return build_certificate(template, PKI.reader_root.private_key, PKI.reader_root.certificate)


def test_reader_without_extension_is_refused() -> None:
    """VDC-PKI-030: the extension is mandatory for readers."""
    cert = _reader(None)
    with pytest.raises(AuthorisationError, match="no reader-authorisation extension"):
        validate_chain(
            cert, [], PKI.reader_root.certificate, TEST_NOW, Purpose.READER_AUTHENTICATION
        )


def test_critical_extension_is_refused_by_the_parser() -> None:
    """VDC-PKI-030: the extension is non-critical by profile."""
    value = ReaderAuthorisation(rpps="19999999006", profession="10", allowed_elements=(1,))
    with pytest.raises(AuthorisationError, match="must not be critical"):
        reader_authorisation(_reader(value.encode(), critical=True))


def test_document_signer_with_reader_extension_is_refused() -> None:
    """VDC-PKI-023: the authorisation belongs to readers only."""
    value = ReaderAuthorisation(rpps="19999999006", profession="10", allowed_elements=(1,))
    cert = _reader(value.encode())
    with pytest.raises(KeyUsageError, match="lacks DOCUMENT_SIGNING"):
        validate_chain(cert, [], PKI.reader_root.certificate, TEST_NOW, Purpose.DOCUMENT_SIGNING)
