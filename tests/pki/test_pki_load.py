"""Loading one DER certificate: bad input is the typed error (VDC-PKI-003, VDC-CRED-900)."""

from __future__ import annotations

import pytest

from tools.vectorgen.regressions import unknown_version
from vitale_ref.pki import CertificateFormatError, generate_test_pki, load_certificate

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
