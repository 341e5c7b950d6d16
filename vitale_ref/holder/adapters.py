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
from vitale_ref.pki import (
    Purpose,
    ValidationCache,
    der_of,
    load_certificate,
    reader_authorisation,
    validate_chain,
)
from vitale_ref.pki._errors import PKIError
from vitale_ref.sm import reference as chain_reference

READER_GRANTS: ValidationCache[ReaderGrant] = ValidationCache(32)
"""Grants of reader chains already validated (VDC-PKI-026), shared by the authorities of
this process: the key holds the reader root's bytes, so two roots never share a grant."""

REMEMBERED_READERS = 16
"""Reader chains a holder remembers by reference, per device (VDC-PKI-060: at least 8)."""


class PkiReaderAuthority:
    """Reader authority trusting one reader root certificate.

    A grant is remembered per exact reader-root and chain bytes while every certificate
    of the chain is valid (VDC-PKI-026); pass `cache=None` to validate every session.
    """

    def __init__(
        self,
        reader_root: x509.Certificate,
        *,
        cache: ValidationCache[ReaderGrant] | None = READER_GRANTS,
        remember: bool = True,
    ) -> None:
        self._root = reader_root
        self._root_der = der_of(reader_root)
        self._cache = cache
        # This device's memory of the readers it met, by readerRef (VDC-PKI-060); unlike
        # the validation cache it is not shared: whether a device met a reader is state.
        self._remembered: ValidationCache[ReaderGrant] | None = (
            ValidationCache(REMEMBERED_READERS) if remember else None
        )

    def authorise(self, chain: Sequence[bytes], now: datetime) -> ReaderGrant:
        if not chain:
            raise PKIError("empty reader certificate chain")
        key = (self._root_der, *(bytes(der) for der in chain))
        grant = self._cache.get(key, now) if self._cache is not None else None
        certificates: list[x509.Certificate] | None = None
        if grant is None:
            certificates = [load_certificate(der) for der in chain]
            grant = self._validate(certificates, now)
            if self._cache is not None:
                self._cache.put(key, [self._root, *certificates], grant)
        if self._remembered is not None:
            certificates = certificates or [load_certificate(der) for der in chain]
            reference = chain_reference(b"".join(key[1:]))
            self._remembered.put((reference,), [self._root, *certificates], grant)
        return grant

    def remembered(self, reference: bytes, now: datetime) -> ReaderGrant | None:
        if self._remembered is None:
            return None
        return self._remembered.get((bytes(reference),), now)

    def _validate(self, certificates: list[x509.Certificate], now: datetime) -> ReaderGrant:
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


REMEMBERED_PRESENTATIONS = 8
"""Encoded disclosures a credential source keeps (a few readers' usual requests)."""


class IssuedCredentialSource:
    """Credential source over an issued credential and the device key it binds."""

    def __init__(self, issued: IssuedCredential, device_key: ec.EllipticCurvePrivateKey) -> None:
        self._issued = issued
        self._key = device_key
        self._available = frozenset(int(element) for element in issued.elements)
        # The holder's own credential does not change: each disclosure encoded once.
        self._presentations: dict[tuple[int, ...], bytes] = {}

    @property
    def device_key(self) -> ec.EllipticCurvePrivateKey:
        return self._key

    def available(self) -> frozenset[int]:
        return self._available

    def presentation(self, element_ids: Sequence[int]) -> bytes:
        wanted = tuple(sorted(set(element_ids)))  # the presentation's order (VDC-CRED-016)
        known = self._presentations.get(wanted)
        if known is None:
            known = build_presentation(self._issued, wanted)
            if len(self._presentations) >= REMEMBERED_PRESENTATIONS:
                del self._presentations[next(iter(self._presentations))]  # the oldest
            self._presentations[wanted] = known
        return known
