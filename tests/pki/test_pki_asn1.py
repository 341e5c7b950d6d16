"""The ASN.1 module describes the reader-authorisation extension (VDC-PKI-030)."""

from __future__ import annotations

from pathlib import Path

import asn1tools

from vitale_ref.pki import ID_READER_AUTHORISATION as EXT_OID
from vitale_ref.pki import generate_test_pki, reader_authorisation

MODULE = Path(__file__).resolve().parents[2] / "spec" / "vdc.asn"


def test_independent_compiler_decodes_the_extension_like_the_reference() -> None:
    """VDC-PKI-030: asn1tools and the reference agree on every test reader certificate."""
    compiled = asn1tools.compile_files(str(MODULE), "der")
    for entity in generate_test_pki("tests/pki").readers.values():
        raw = entity.certificate.extensions.get_extension_for_oid(EXT_OID).value
        decoded = compiled.decode("ReaderAuthorisation", raw.value)  # type: ignore[attr-defined]
        ours = reader_authorisation(entity.certificate)
        assert decoded == {
            "rpps": ours.rpps,
            "profession": ours.profession,
            "allowedElements": list(ours.allowed_elements),
        }
        assert compiled.encode("ReaderAuthorisation", decoded) == ours.encode()
