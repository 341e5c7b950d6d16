"""Reader certificates the suite issues to break one rule of the reader profile at a time.

Every certificate here is signed by the suite's reader root (the one the holder under
test trusts, `provisioned()`) unless the rule broken is the issuer itself, and has a
key the suite holds, so the ESTABLISH SESSION signature is always valid: a holder that
skipped the broken check would accept the reader.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from functools import cache

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from conformance.cases import _material as m
from conformance.cases.holder._scripted import ReaderKeys
from vitale_ref.pki import ID_KP_READER_AUTHENTICATION, ReaderAuthorisation
from vitale_ref.pki import der as der_codec
from vitale_ref.pki._build import (
    LEAF_KEY_USAGE,
    CertificateTemplate,
    build_certificate,
    subject_name,
)
from vitale_ref.pki._profile import ID_READER_AUTHORISATION
from vitale_ref.randomness import p256_private_key, seeded_random

DOCTOR_RPPS = "19999999006"
ISSUER = Callable[[], tuple[ec.EllipticCurvePrivateKey, x509.Certificate]]


def _key(name: str) -> ec.EllipticCurvePrivateKey:
    return p256_private_key(seeded_random(f"{m.SEED}/reader-pki/{name}"))


def authorisation(allowed: Sequence[int] = tuple(range(1, 11))) -> ReaderAuthorisation:
    return ReaderAuthorisation(rpps=DOCTOR_RPPS, profession="10", allowed_elements=tuple(allowed))


def template(name: str, **changes: object) -> CertificateTemplate:
    """The profile of a reader certificate (PKI chapter), valid around the suite's `now`."""
    base = CertificateTemplate(
        common_name=f"EXEMPLE {name} (synthetic reader)",
        public_key=_key(name).public_key(),
        serial=int.from_bytes(seeded_random(f"{m.SEED}/reader-pki/serial/{name}")(8), "big") | 1,
        not_before=m.NOW - timedelta(days=30),
        not_after=m.NOW + timedelta(days=365),
        extended_key_usage=(ID_KP_READER_AUTHENTICATION,),
        authorisation=authorisation(),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _root() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    root = m.material().pki.reader_root
    return root.private_key, root.certificate


def _der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(Encoding.DER)


@cache
def reader(name: str, **changes: object) -> ReaderKeys:
    """A reader certificate under the suite's reader root with `changes` to the profile."""
    key, root = _root()
    cert = build_certificate(template(name, **changes), key, root)
    return ReaderKeys((_der(cert),), _key(name))


def resigned(der_bytes: bytes, alter: Callable[[asn1_x509.TbsCertificate], None]) -> bytes:
    """The certificate with its to-be-signed part altered, signed again by the reader root."""
    cert = asn1_x509.Certificate.load(der_bytes)
    tbs = cert["tbs_certificate"]
    alter(tbs)
    key, _ = _root()
    body = tbs.dump(force=True)
    cert["signature_value"] = key.sign(body, ec.ECDSA(hashes.SHA256()))
    return bytes(cert.dump(force=True))


def with_bad_signature(keys: ReaderKeys) -> ReaderKeys:
    leaf = bytearray(keys.chain[0])
    leaf[-1] ^= 0x01  # the last byte of s: still DER, no longer a valid signature
    return ReaderKeys((bytes(leaf), *keys.chain[1:]), keys.key)


def _duplicate_key_usage(tbs: asn1_x509.TbsCertificate) -> None:
    extensions = tbs["extensions"]
    usage = next(e for e in extensions if e["extn_id"].native == "key_usage")
    extensions.append(asn1_x509.Extension.load(usage.dump()))


def raw_authorisation(
    rpps: str = DOCTOR_RPPS, profession: str = "10", allowed: Sequence[int] = (1, 2)
) -> bytes:
    """The extension value encoded without the checks of ReaderAuthorisation."""
    return der_codec.sequence(
        der_codec.numeric(rpps),
        der_codec.numeric(profession),
        der_codec.sequence(*(der_codec.integer(i) for i in allowed)),
    )


def _authorisation_extension(value: bytes) -> x509.UnrecognizedExtension:
    return x509.UnrecognizedExtension(ID_READER_AUTHORISATION, value)


@cache
def sub_ca_reader() -> ReaderKeys:
    """A reader under a sub-CA of the reader root (whose pathLenConstraint is 0)."""
    key, root = _root()
    sub_key = _key("sub-ca")
    sub = build_certificate(
        CertificateTemplate(
            common_name="EXEMPLE sub-CA (synthetic)",
            public_key=sub_key.public_key(),
            serial=7,
            not_before=m.NOW - timedelta(days=30),
            not_after=m.NOW + timedelta(days=365),
            ca=True,
            path_length=0,
        ),
        key,
        root,
    )
    leaf = build_certificate(template("under-sub-ca"), sub_key, sub)
    return ReaderKeys((_der(leaf), _der(sub)), _key("under-sub-ca"))


@cache
def forged_issuer() -> ReaderKeys:
    """Names the reader root as issuer but is signed by another key."""
    _, root = _root()
    cert = build_certificate(template("forged"), _key("forger"), root)
    return ReaderKeys((_der(cert),), _key("forged"))


@cache
def sha384_reader() -> ReaderKeys:
    key, root = _root()
    t = template("sha384")
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject_name(t.common_name))
        .issuer_name(root.subject)
        .public_key(t.public_key)
        .serial_number(t.serial)
        .not_valid_before(t.not_before)
        .not_valid_after(t.not_after)
        .add_extension(LEAF_KEY_USAGE, critical=True)
        .add_extension(x509.ExtendedKeyUsage([ID_KP_READER_AUTHENTICATION]), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(t.public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False
        )
        .add_extension(_authorisation_extension(authorisation().encode()), critical=False)
    )
    return ReaderKeys((_der(builder.sign(key, hashes.SHA384())),), _key("sha384"))


@cache
def duplicate_extension() -> ReaderKeys:
    keys = reader("duplicate-key-usage")
    return ReaderKeys((resigned(keys.chain[0], _duplicate_key_usage),), keys.key)


@cache
def other_root(not_after: datetime) -> tuple[x509.Certificate, ReaderKeys]:
    """A reader root of its own valid until `not_after`, and a valid reader under it."""
    root_key = _key(f"root-{not_after.isoformat()}")
    root = build_certificate(
        CertificateTemplate(
            common_name="EXEMPLE other reader root (synthetic)",
            public_key=root_key.public_key(),
            serial=11,
            not_before=m.NOW - timedelta(days=365),
            not_after=not_after,
            ca=True,
            path_length=0,
        ),
        root_key,
    )
    leaf = build_certificate(template("under-other-root"), root_key, root)
    return root, ReaderKeys((_der(leaf),), _key("under-other-root"))


@cache
def hierarchy(allowed_depth: int) -> tuple[x509.Certificate, ReaderKeys, ReaderKeys]:
    """A reader root allowing `allowed_depth` CAs below it (pathLenConstraint), with two
    intermediate CAs: a reader under the first, and one under the second (below the first).
    Returns (root, reader with its one intermediate, reader with its two intermediates)."""
    root_key = _key(f"deep-root-{allowed_depth}")
    window = {"not_before": m.NOW - timedelta(days=30), "not_after": m.NOW + timedelta(days=365)}
    root = build_certificate(
        CertificateTemplate(
            common_name=f"EXEMPLE reader root allowing {allowed_depth} (synthetic)",
            public_key=root_key.public_key(),
            serial=21 + allowed_depth,
            ca=True,
            path_length=allowed_depth,
            **window,  # type: ignore[arg-type]
        ),
        root_key,
    )
    first_key, second_key = _key(f"first-ca-{allowed_depth}"), _key(f"second-ca-{allowed_depth}")
    first = build_certificate(
        CertificateTemplate(
            common_name=f"EXEMPLE first CA {allowed_depth} (synthetic)",
            public_key=first_key.public_key(),
            serial=31,
            ca=True,
            path_length=1,
            **window,  # type: ignore[arg-type]
        ),
        root_key,
        root,
    )
    second = build_certificate(
        CertificateTemplate(
            common_name=f"EXEMPLE second CA {allowed_depth} (synthetic)",
            public_key=second_key.public_key(),
            serial=32,
            ca=True,
            path_length=0,
            **window,  # type: ignore[arg-type]
        ),
        first_key,
        first,
    )
    near = build_certificate(template(f"under-first-{allowed_depth}"), first_key, first)
    deep = build_certificate(template(f"under-second-{allowed_depth}"), second_key, second)
    return (
        root,
        ReaderKeys((_der(near), _der(first)), _key(f"under-first-{allowed_depth}")),
        ReaderKeys((_der(deep), _der(second), _der(first)), _key(f"under-second-{allowed_depth}")),
    )
