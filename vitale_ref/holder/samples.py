"""A synthetic presentation world for tests, vectors and the demo (all data invented).

`sample_world(seed)` gives the test PKI, the typical holder's credential bound to a
device key, a signed status list, the holder core factory and reader identities;
everything is reproducible from the seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric import ec

from vitale_ref.apdu import PROTOCOL_VERSIONS
from vitale_ref.credential import StatusList, sign_status_list
from vitale_ref.credential.samples import SAMPLE_LIST_ID, issue_typical
from vitale_ref.holder._core import HolderCore
from vitale_ref.holder.adapters import IssuedCredentialSource, PkiReaderAuthority
from vitale_ref.pki import TEST_NOW, TestPKI, reader_authorisation
from vitale_ref.randomness import RandomSource, p256_private_key, seeded_random
from vitale_ref.reader import ReaderIdentity
from vitale_ref.reader.adapters import CredentialVerifier
from vitale_ref.sm import (
    LABEL_READER_AUTH,
    LABEL_RECEIPT,
    Establish,
    Fci,
    Receipt,
    SecureChannel,
    decode_point,
    derive_keys,
    encode_point,
    encode_signed_receipt,
    reader_auth_message,
    receipt_message,
    session_hash,
    sign,
)

NOW = TEST_NOW


@dataclass(frozen=True, kw_only=True)
class SampleWorld:
    """Everything a synthetic presentation needs."""

    seed: str
    pki: TestPKI
    credential: IssuedCredentialSource
    verifier: CredentialVerifier
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
    """The typical synthetic holder (insured parent, cover, two minors) and readers."""
    sample = issue_typical(seed)
    status = sign_status_list(
        StatusList.new(SAMPLE_LIST_ID, 64),
        signer=sample.pki.status_signer,
        this_update=NOW - timedelta(hours=1),
        next_update=NOW + timedelta(days=1),
    )
    return SampleWorld(
        seed=seed,
        pki=sample.pki,
        credential=IssuedCredentialSource(sample.issued, sample.device_key),
        verifier=CredentialVerifier(sample.pki.issuing_root.certificate, status),
        now=NOW,
    )


@dataclass(frozen=True, kw_only=True)
class Handshake:
    """The reader half of a session, for scripted tests and failure vectors."""

    establish: bytes
    channel: SecureChannel
    session_hash: bytes


def handshake(
    fci: bytes,
    identity: ReaderIdentity,
    random: RandomSource,
    *,
    sign_with: ec.EllipticCurvePrivateKey | None = None,
) -> Handshake:
    """ESTABLISH SESSION data for `fci` and the matching reader channel (VDC-SM-010..020).

    `sign_with` replaces the leaf key for the reader signature (a forged-signature case).
    """
    ephemeral = p256_private_key(random)
    unsigned = Establish(
        version=PROTOCOL_VERSIONS[0],
        reader_key=encode_point(ephemeral.public_key()),
        chain=identity.chain,
    )
    signed = reader_auth_message(fci, unsigned.signed_part())
    signature = sign(sign_with or identity.key, LABEL_READER_AUTH, signed)
    data = Establish(**{**vars(unsigned), "signature": signature}).encode()
    transcript = session_hash(fci, data)
    device = decode_point(Fci.decode(fci).device_key)
    return Handshake(
        establish=data,
        channel=SecureChannel(derive_keys(ephemeral, device, transcript)),
        session_hash=transcript,
    )


def signed_receipt(hs: Handshake, identity: ReaderIdentity, receipt: Receipt) -> bytes:
    """FILE RECEIPT plaintext signed by `identity` for the session of `hs`."""
    body = receipt.encode()
    signature = sign(identity.key, LABEL_RECEIPT, receipt_message(hs.session_hash, body))
    return encode_signed_receipt(receipt, signature)
