"""Certificates of the VDC profile, built deterministically (VDC-PKI-001..012).

Signatures use RFC 6979 deterministic ECDSA, so one seed gives byte-identical DER.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID, ObjectIdentifier

from vitale_ref.pki._authorisation import ReaderAuthorisation
from vitale_ref.pki._profile import ID_READER_AUTHORISATION
from vitale_ref.randomness import RandomSource

ORGANISATION = "VDC open model (synthetic)"

CA_KEY_USAGE = x509.KeyUsage(
    digital_signature=False,
    content_commitment=False,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=True,
    crl_sign=True,
    encipher_only=False,
    decipher_only=False,
)
LEAF_KEY_USAGE = x509.KeyUsage(
    digital_signature=True,
    content_commitment=False,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)


def subject_name(common_name: str) -> x509.Name:
    """C=FR, O=<the model's organisation>, CN=<common_name> (the profile table of the PKI
    chapter)."""
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def serial_number(random: RandomSource) -> int:
    """A positive 127-bit serial from the injected source (VDC-PKI-011)."""
    return (int.from_bytes(random(16), "big") >> 1) | 1


@dataclass(frozen=True, kw_only=True)
class CertificateTemplate:
    """Everything that varies between certificates; the defaults follow the profile."""

    common_name: str
    public_key: ec.EllipticCurvePublicKey
    serial: int
    not_before: datetime
    not_after: datetime
    ca: bool = False
    path_length: int | None = 0
    key_usage: x509.KeyUsage | None = None
    extended_key_usage: Sequence[ObjectIdentifier] = ()
    authorisation: ReaderAuthorisation | None = None
    extra_extensions: Sequence[tuple[x509.ExtensionType, bool]] = field(default=())


def build_certificate(
    template: CertificateTemplate,
    issuer_key: ec.EllipticCurvePrivateKey,
    issuer: x509.Certificate | None = None,
) -> x509.Certificate:
    """Sign `template` with `issuer_key`; `issuer=None` makes it self-signed."""
    name = subject_name(template.common_name)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.subject if issuer is not None else name)
        .public_key(template.public_key)
        .serial_number(template.serial)
        .not_valid_before(template.not_before)
        .not_valid_after(template.not_after)
    )
    if template.ca:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=True, path_length=template.path_length), critical=True
        )
    default_usage = CA_KEY_USAGE if template.ca else LEAF_KEY_USAGE
    builder = builder.add_extension(template.key_usage or default_usage, critical=True)
    if template.extended_key_usage:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage(list(template.extended_key_usage)), critical=True
        )
    builder = builder.add_extension(
        x509.SubjectKeyIdentifier.from_public_key(template.public_key), critical=False
    )
    if issuer is not None:
        issuer_public = issuer_key.public_key()
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public), critical=False
        )
    if template.authorisation is not None:
        value = x509.UnrecognizedExtension(ID_READER_AUTHORISATION, template.authorisation.encode())
        builder = builder.add_extension(value, critical=False)
    for extension, critical in template.extra_extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(issuer_key, hashes.SHA256(), ecdsa_deterministic=True)
