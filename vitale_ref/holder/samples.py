"""A synthetic presentation world for tests, vectors and the demo (all data invented).

`sample_world(seed)` gives the test PKI, the typical holder's credential bound to a
device key, a signed status list, the holder core factory and reader identities;
everything is reproducible from the seed. A reader played by script opens its session
with `vitale_ref.reader.handshake`, the reader core's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509

from vitale_ref.credential import StatusList, sign_status_list
from vitale_ref.credential.samples import SAMPLE_LIST_ID, issue_typical
from vitale_ref.holder._core import HolderCore
from vitale_ref.holder.adapters import IssuedCredentialSource, PkiReaderAuthority
from vitale_ref.pki import TEST_NOW, TestPKI, reader_authorisation
from vitale_ref.randomness import RandomSource, seeded_random
from vitale_ref.reader import ReaderIdentity
from vitale_ref.reader.adapters import CredentialVerifier

NOW = TEST_NOW


@dataclass(frozen=True, kw_only=True)
class SampleWorld:
    """Everything a synthetic presentation needs."""

    seed: str
    pki: TestPKI
    credential: IssuedCredentialSource
    status_list: bytes
    """The signed status list the world's issuer publishes (DER)."""
    verifier: CredentialVerifier
    now: datetime

    def holder(
        self, random: RandomSource | None = None, *, reader_root: x509.Certificate | None = None
    ) -> HolderCore:
        """A fresh holder core whose ephemeral keys come from the world's seed; it trusts
        the world's reader root, or `reader_root` (a reader of another implementation)."""
        return HolderCore(
            credential=self.credential,
            readers=PkiReaderAuthority(reader_root or self.pki.reader_root.certificate),
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
        status_list=status,
        verifier=CredentialVerifier(
            sample.pki.issuing_root.certificate,
            status,
            signers=[(sample.pki.document_signer.der,)],  # published with the status list
        ),
        now=NOW,
    )
