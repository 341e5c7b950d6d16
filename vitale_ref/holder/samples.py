"""A synthetic presentation world for tests, vectors and the demo (all data invented).

`sample_world(seed)` gives the test PKI, a credential bound to a device key, the holder
core factory and reader identities; everything is reproducible from the seed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric import ec

from vitale_ref.apdu import encode_tlv, parse_tlvs
from vitale_ref.holder._core import HolderCore
from vitale_ref.holder.adapters import PkiReaderAuthority
from vitale_ref.pki import TEST_NOW, TestPKI, generate_test_pki, reader_authorisation
from vitale_ref.randomness import RandomSource, p256_private_key, seeded_random
from vitale_ref.reader import ReaderIdentity, VerifiedPresentation
from vitale_ref.sm import decode_point, encode_point

NOW = TEST_NOW
_VALUES = {1: "1 80 05 75 123 456 (synthetic)", 2: "EXEMPLE", 3: "CAMILLE", 4: "19800515"}


class StandInCredential:
    """Placeholder credential (no issuer signature) until the credential module is wired."""

    def __init__(self, device_key: ec.EllipticCurvePrivateKey) -> None:
        self._key = device_key

    @property
    def device_key(self) -> ec.EllipticCurvePrivateKey:
        return self._key

    def available(self) -> frozenset[int]:
        return frozenset(_VALUES)

    def presentation(self, element_ids: Sequence[int]) -> bytes:
        body = encode_tlv(0x81, encode_point(self._key.public_key()))
        for element in element_ids:
            body += encode_tlv(0x82, bytes([element]) + _VALUES[element].encode())
        return encode_tlv(0x30, body)


class StandInVerifier:
    def verify(self, presentation: bytes, now: datetime) -> VerifiedPresentation:
        ((_, body),) = parse_tlvs(presentation)
        items = parse_tlvs(body)
        key = decode_point(items[0][1])
        elements: Mapping[int, object] = {v[0]: v[1:].decode() for _, v in items[1:]}
        return VerifiedPresentation(elements=elements, device_key=key)


@dataclass(frozen=True, kw_only=True)
class SampleWorld:
    """Everything a synthetic presentation needs."""

    seed: str
    pki: TestPKI
    credential: StandInCredential
    verifier: StandInVerifier
    now: datetime

    def holder(self, random: RandomSource | None = None) -> HolderCore:
        """A fresh holder core whose ephemeral keys come from the world's seed."""
        return HolderCore(
            credential=self.credential,
            readers=PkiReaderAuthority(self.pki.reader_root.certificate),
            random=random or seeded_random(f"{self.seed}/holder/ephemeral"),
        )

    def rpps(self, name: str = "doctor") -> str:
        """RPPS number of a sample reader (read from its certificate)."""
        return reader_authorisation(self.pki.readers[name].certificate).rpps

    def reader(self, name: str = "doctor") -> ReaderIdentity:
        entity = self.pki.readers[name]
        return ReaderIdentity(chain=(entity.der,), key=entity.private_key)


def sample_world(seed: str = "vdc-nfc") -> SampleWorld:
    pki = generate_test_pki(seed)
    device_key = p256_private_key(seeded_random(f"{seed}/device-key"))
    return SampleWorld(
        seed=seed,
        pki=pki,
        credential=StandInCredential(device_key),
        verifier=StandInVerifier(),
        now=NOW,
    )
