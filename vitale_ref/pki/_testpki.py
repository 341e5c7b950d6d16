"""The test PKI: every role's key and certificate derived from one seed (VDC-PKI-040).

Keys come from `seeded_random(f"{seed}/pki/<role>")`, serials from a separate stream per
role, and signatures are deterministic, so the same seed gives byte-identical DER.
Everything here is synthetic and for tests, vectors and demonstrations only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from vitale_ref.pki._authorisation import ReaderAuthorisation
from vitale_ref.pki._build import CertificateTemplate, build_certificate, serial_number
from vitale_ref.pki._profile import (
    ID_KP_DOCUMENT_SIGNING,
    ID_KP_READER_AUTHENTICATION,
    ID_KP_STATUS_LIST_SIGNING,
)
from vitale_ref.randomness import p256_private_key, seeded_random

ROOT_NOT_BEFORE = datetime(2025, 1, 1, tzinfo=UTC)
ROOT_NOT_AFTER = datetime(2045, 1, 1, tzinfo=UTC)
LEAF_NOT_BEFORE = datetime(2026, 1, 1, tzinfo=UTC)
SIGNER_NOT_AFTER = datetime(2031, 1, 1, tzinfo=UTC)
READER_NOT_AFTER = datetime(2029, 1, 1, tzinfo=UTC)
TEST_NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
"""A moment at which every certificate of the test PKI is valid."""

ALL_ELEMENTS = tuple(range(1, 11))

# name -> (common name, RPPS, profession, allowed element ids); synthetic practitioners.
READER_PROFILES: dict[str, tuple[str, str, str, tuple[int, ...]]] = {
    "doctor": ("Dr EXEMPLE Alice (synthetic)", "19999999006", "10", ALL_ELEMENTS),
    "pharmacist": ("EXEMPLE Bruno (synthetic)", "19999999014", "21", (1, 2, 3, 4, 7, 8, 9, 10)),
    "nurse": ("EXEMPLE Chloe (synthetic)", "19999999022", "60", (1, 2, 3, 4, 7, 8)),
}


@dataclass(frozen=True)
class Entity:
    """One role of the PKI: its private key and its certificate."""

    name: str
    private_key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def public_key(self) -> ec.EllipticCurvePublicKey:
        return self.private_key.public_key()

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


@dataclass(frozen=True)
class TestPKI:
    """The issuing hierarchy (credentials, status lists) and the reader hierarchy."""

    __test__ = False  # not a pytest class

    seed: str
    issuing_root: Entity
    document_signers: tuple[Entity, ...]
    status_signer: Entity
    reader_root: Entity
    readers: dict[str, Entity]

    @property
    def document_signer(self) -> Entity:
        """The first document signer, the one samples and vectors sign with."""
        return self.document_signers[0]

    def entities(self) -> list[Entity]:
        return [
            self.issuing_root,
            *self.document_signers,
            self.status_signer,
            self.reader_root,
            *self.readers.values(),
        ]


def _key(seed: str, role: str) -> ec.EllipticCurvePrivateKey:
    return p256_private_key(seeded_random(f"{seed}/pki/{role}"))


def _serial(seed: str, role: str) -> int:
    return serial_number(seeded_random(f"{seed}/pki/serial/{role}"))


def _root(seed: str, role: str, common_name: str) -> Entity:
    key = _key(seed, role)
    template = CertificateTemplate(
        common_name=common_name,
        public_key=key.public_key(),
        serial=_serial(seed, role),
        not_before=ROOT_NOT_BEFORE,
        not_after=ROOT_NOT_AFTER,
        ca=True,
        path_length=0,
    )
    return Entity(role, key, build_certificate(template, key))


def _leaf(seed: str, role: str, issuer: Entity, template_args: dict[str, object]) -> Entity:
    key = _key(seed, role)
    template = CertificateTemplate(
        public_key=key.public_key(),
        serial=_serial(seed, role),
        not_before=LEAF_NOT_BEFORE,
        **template_args,  # type: ignore[arg-type]
    )
    return Entity(role, key, build_certificate(template, issuer.private_key, issuer.certificate))


def generate_test_pki(seed: str) -> TestPKI:
    """Every key and certificate of the test PKI, reproducible from `seed`."""
    issuing_root = _root(seed, "issuing-root", "VDC Test Issuing Root (synthetic)")
    reader_root = _root(seed, "reader-root", "VDC Test Reader Root (synthetic)")
    signers = tuple(
        _leaf(
            seed,
            f"document-signer-{n}",
            issuing_root,
            {
                "common_name": f"VDC Test Document Signer {n} (synthetic)",
                "not_after": SIGNER_NOT_AFTER,
                "extended_key_usage": (ID_KP_DOCUMENT_SIGNING,),
            },
        )
        for n in (1, 2)
    )
    status_signer = _leaf(
        seed,
        "status-signer",
        issuing_root,
        {
            "common_name": "VDC Test Status List Signer (synthetic)",
            "not_after": SIGNER_NOT_AFTER,
            "extended_key_usage": (ID_KP_STATUS_LIST_SIGNING,),
        },
    )
    readers = {}
    for name, (common_name, rpps, profession, allowed) in READER_PROFILES.items():
        authorisation = ReaderAuthorisation(
            rpps=rpps, profession=profession, allowed_elements=allowed
        )
        readers[name] = _leaf(
            seed,
            f"reader-{name}",
            reader_root,
            {
                "common_name": common_name,
                "not_after": READER_NOT_AFTER,
                "extended_key_usage": (ID_KP_READER_AUTHENTICATION,),
                "authorisation": authorisation,
            },
        )
    return TestPKI(seed, issuing_root, signers, status_signer, reader_root, readers)
