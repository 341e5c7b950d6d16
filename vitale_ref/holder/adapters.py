"""Bindings of the holder ports to the PKI and credential modules.

`PkiReaderAuthority` validates a reader chain against the reader root for reader
authentication and reads the authorisation extension (VDC-NFC-110, VDC-PKI-030);
`IssuedCredentialSource` presents an issued credential (VDC-NFC-120).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from vitale_ref.credential import IssuedCredential, build_presentation
from vitale_ref.holder._ports import ReaderGrant
from vitale_ref.pki import Purpose, load_certificate, reader_authorisation, validate_chain
from vitale_ref.pki._errors import PKIError


class PkiReaderAuthority:
    """Reader authority trusting one reader root certificate."""

    def __init__(self, reader_root: x509.Certificate) -> None:
        self._root = reader_root

    def authorise(self, chain: Sequence[bytes], now: datetime) -> ReaderGrant:
        if not chain:
            raise PKIError("empty reader certificate chain")
        certificates = [load_certificate(der) for der in chain]
        leaf = certificates[0]
        validate_chain(leaf, certificates[1:], self._root, now, Purpose.READER_AUTHENTICATION)
        authorisation = reader_authorisation(leaf)
        key = leaf.public_key()
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise PKIError("reader key is not an EC key")
        return ReaderGrant(
            rpps=authorisation.rpps,
            allowed=frozenset(authorisation.allowed_elements),
            public_key=key,
        )


class IssuedCredentialSource:
    """Credential source over an issued credential and the device key it binds."""

    def __init__(self, issued: IssuedCredential, device_key: ec.EllipticCurvePrivateKey) -> None:
        self._issued = issued
        self._key = device_key

    @property
    def device_key(self) -> ec.EllipticCurvePrivateKey:
        return self._key

    def available(self) -> frozenset[int]:
        return frozenset(int(element) for element in self._issued.elements)

    def presentation(self, element_ids: Sequence[int]) -> bytes:
        return build_presentation(self._issued, element_ids)
