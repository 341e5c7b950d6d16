"""Building blocks for credential vectors: take a valid credential apart and re-sign it.

Invalid vectors change one thing at a time. Fields of the TBS are kept as DER pieces so a
case can replace one piece with a deliberately wrong encoding and still carry a valid
issuer signature, which proves that the decoder, not the signature, refuses it.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from vitale_ref.credential import (
    ElementId,
    IssuedCredential,
    decode_credential,
    samples,
)
from vitale_ref.ecdsa import sign_raw
from vitale_ref.pki import TestPKI, der, generate_test_pki

SEED = "vectors/credential"
OTHER_SEED = "vectors/credential/other-issuer"


@functools.cache
def pki() -> TestPKI:
    return generate_test_pki(SEED)


@functools.cache
def other_pki() -> TestPKI:
    return generate_test_pki(OTHER_SEED)


@functools.cache
def typical() -> samples.SampleCredential:
    return samples.issue_sample(samples.typical_holder(), SEED, pki=pki(), index=5)


@functools.cache
def single() -> samples.SampleCredential:
    return samples.issue_sample(samples.single_insured(), SEED, pki=pki(), index=6)


def cert_der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


@dataclass(frozen=True)
class Parts:
    """A credential's TBS fields as DER pieces, the signer and the chain."""

    version: bytes
    serial: bytes
    valid_from: bytes
    valid_until: bytes
    spki: bytes
    status: bytes
    algorithm: bytes
    digests: tuple[tuple[int, bytes], ...]
    key: ec.EllipticCurvePrivateKey
    chain: tuple[bytes, ...]
    tbs_override: bytes | None = field(default=None)

    def digest_list(self) -> bytes:
        return der.sequence(*(der.sequence(der.integer(i), der.octets(d)) for i, d in self.digests))

    def tbs(self) -> bytes:
        if self.tbs_override is not None:
            return self.tbs_override
        return der.sequence(
            self.version,
            self.serial,
            self.valid_from,
            self.valid_until,
            self.spki,
            self.status,
            self.algorithm,
            self.digest_list(),
        )

    def credential(self, signature: bytes | None = None) -> bytes:
        tbs = self.tbs()
        sig = signature if signature is not None else sign_raw(self.key, tbs)
        return der.sequence(tbs, der.octets(sig), der.sequence(*self.chain))

    def with_digest(self, element_id: int, disclosed: bytes) -> Parts:
        """Replace (or add, in order) the digest of one element."""
        entries = dict(self.digests)
        entries[element_id] = hashlib.sha256(disclosed).digest()
        return replace(self, digests=tuple(sorted(entries.items())))


def parts_of(sample: samples.SampleCredential) -> Parts:
    """The pieces of a sample's credential, signed by the first document signer."""
    credential = decode_credential(sample.issued.credential)
    tbs = credential.tbs
    reader = der.Reader(der.decode_one(credential.tbs_encoding), "tbs")
    pieces = [reader.read(tag, str(n)).encoding for n, tag in enumerate(_TBS_TAGS)]
    return Parts(
        version=pieces[0],
        serial=pieces[1],
        valid_from=pieces[2],
        valid_until=pieces[3],
        spki=pieces[4],
        status=pieces[5],
        algorithm=pieces[6],
        digests=tuple((int(i), d) for i, d in tbs.digests),
        key=sample.pki.document_signer.private_key,
        chain=(cert_der(sample.pki.document_signer.certificate),),
    )


_TBS_TAGS = (
    der.INTEGER,
    der.OCTET_STRING,
    der.GENERALIZED_TIME,
    der.GENERALIZED_TIME,
    der.SEQUENCE,
    der.SEQUENCE,
    der.OID,
)


def disclosed(issued: IssuedCredential, *ids: ElementId) -> list[bytes]:
    return [issued.elements[i].encoding for i in ids]


def present(credential: bytes, items: list[bytes]) -> bytes:
    return der.sequence(credential, der.sequence(*items))


def element(tag: int, content: bytes, salt: bytes = b"\x5a" * 16) -> bytes:
    """A DisclosedElement with a hand-made value encoding."""
    return der.sequence(der.octets(salt), der.tlv(tag, content))


def time(value: datetime) -> bytes:
    return der.time(value)


_PADDING_OID = x509.ObjectIdentifier("1.3.6.1.4.1.99999.7")
"""A private, non-critical extension that only adds bytes to a certificate."""
MAX_PRESENTATION = 32768


def _padded_signer(padding: int) -> bytes:
    """The first document signer again (same key, name and profile) with `padding` more
    bytes in a non-critical extension: a valid chain of a chosen size."""
    from vitale_ref.pki import ID_KP_DOCUMENT_SIGNING, CertificateTemplate, build_certificate

    signer, root = pki().document_signer, pki().issuing_root
    cert = signer.certificate
    name = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
    template = CertificateTemplate(
        common_name=str(name),
        public_key=signer.public_key,
        serial=cert.serial_number + 1,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        extended_key_usage=(ID_KP_DOCUMENT_SIGNING,),
        extra_extensions=((x509.UnrecognizedExtension(_PADDING_OID, b"\x00" * padding), False),),
    )
    return cert_der(build_certificate(template, root.private_key, root.certificate))


def sized_presentation(size: int) -> bytes:
    """A presentation of the typical credential, every element disclosed, of exactly
    `size` bytes, its document signer padded to reach it (VDC-CRED-030's bound)."""
    sample = typical()
    items = disclosed(sample.issued, *sample.issued.elements)
    parts = parts_of(sample)
    base = len(present(parts.credential(), items))
    padding = max(size - base, 0)
    for _ in range(8):  # DER lengths grow by a byte at some sizes: converge on `size`
        data = present(replace(parts, chain=(_padded_signer(padding),)).credential(), items)
        if len(data) == size:
            return data
        padding += size - len(data)
    raise ValueError(f"no presentation of exactly {size} bytes")
