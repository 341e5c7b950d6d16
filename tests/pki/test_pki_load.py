"""Loading one DER certificate: bad input is the typed error (VDC-PKI-003, VDC-CRED-900)."""

from __future__ import annotations

import pytest

from tools.vectorgen.regressions import unknown_version
from vitale_ref.pki import (
    TEST_NOW,
    CertificateFormatError,
    Purpose,
    generate_test_pki,
    load_certificate,
    validate_chain,
)

PKI = generate_test_pki("tests/pki-load")


def test_pki_load_unknown_x509_version_is_a_format_error() -> None:
    """VDC-PKI-003: a certificate whose version field says 122 is refused with
    CertificateFormatError (the X.509 parser's InvalidVersion is no ValueError)."""
    bad = unknown_version(PKI.readers["doctor"].der)
    with pytest.raises(CertificateFormatError, match=r"^not a DER certificate: "):
        load_certificate(bad)


def test_pki_load_garbage_is_a_format_error() -> None:
    """VDC-PKI-003: bytes that are no certificate at all give the same typed error."""
    with pytest.raises(CertificateFormatError, match=r"^not a DER certificate: "):
        load_certificate(b"\x30\x03\x02\x01\x00")


def test_pki_load_unparsable_issuer_name_is_a_format_error() -> None:
    """VDC-PKI-003: an issuer name holding a value of a tag X.509 forbids there (0x0D
    where a UTF8String was) is refused with CertificateFormatError by path validation,
    not with the X.509 parser's ValueError."""
    good = PKI.readers["doctor"].der
    position = good.index(bytes.fromhex("0603550403")) + 5
    assert good[position] == 0x0C
    bad = load_certificate(good[:position] + b"\x0d" + good[position + 1 :])
    root = PKI.reader_root.certificate
    with pytest.raises(CertificateFormatError, match=r"issuer: error parsing asn1 value"):
        validate_chain(bad, [], root, TEST_NOW, Purpose.READER_AUTHENTICATION)
