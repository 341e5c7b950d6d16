"""A complete synthetic read, wired with the real credential, PKI and verifier.

The holder presents the issuer-signed typical credential (insured and two minors, all
data invented); the reader authenticates with the test PKI's doctor certificate,
requests every element, verifies the presentation against the issuing root and files a
billing receipt. This is the "full authenticated read" every benchmark refers to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from cryptography.hazmat.primitives.asymmetric import ec

from vitale_ref.apdu import LEAN_VERSION
from vitale_ref.app import DEMO_ACT, DEMO_AMOUNT_CENTS
from vitale_ref.credential import IssuedCredential
from vitale_ref.credential.samples import issue_typical
from vitale_ref.holder import HolderCore
from vitale_ref.holder.adapters import IssuedCredentialSource, PkiReaderAuthority
from vitale_ref.link import InMemoryLink
from vitale_ref.pki import TEST_NOW, TestPKI, reader_authorisation
from vitale_ref.randomness import system_random
from vitale_ref.reader import ReaderIdentity, ReadResult, run_read
from vitale_ref.reader.adapters import CredentialVerifier
from vitale_ref.sm import Receipt
from vitale_ref.trace import Trace

SEED = "vdc-bench"
TYPICAL_ELEMENTS = tuple(range(1, 11))


@dataclass(frozen=True)
class BenchWorld:
    pki: TestPKI
    issued: IssuedCredential
    device_key: ec.EllipticCurvePrivateKey
    now: datetime
    rpps: str
    """The doctor's RPPS number, read once: reader set-up, not part of the timed read."""
    reader_identity: ReaderIdentity
    """The doctor's chain and key, encoded once: reader set-up too."""
    credential: IssuedCredentialSource
    """The phone's credential store, opened once when the app starts, as on a phone."""
    readers: PkiReaderAuthority
    """The phone's trust in the reader root and its memory of readers (VDC-PKI-060)."""
    reader_verifier: CredentialVerifier
    """The reader's verifier, holding the issuer's signer chain as published with the
    status list (VDC-CRED-071): reader set-up, kept from tap to tap."""

    def holder(self, *, remembers_reader: bool = True) -> HolderCore:
        """A holder core for one tap: fresh state, the app's credential and trust; with
        `remembers_reader` false, a phone that never met this reader (VDC-PKI-060)."""
        root = self.pki.reader_root.certificate
        holder = HolderCore(
            credential=self.credential,
            readers=self.readers if remembers_reader else PkiReaderAuthority(root),
            random=system_random,  # a phone draws its ephemeral keys from the OS
        )
        holder.arm(self.now + timedelta(seconds=60))
        return holder

    def identity(self) -> ReaderIdentity:
        return self.reader_identity

    def receipt(self) -> Receipt:
        return Receipt(time=self.now, rpps=self.rpps, act=DEMO_ACT, amount_cents=DEMO_AMOUNT_CENTS)

    def verifier(self, *, holds_signer: bool = True) -> CredentialVerifier:
        """The reader's verifier, or a new one without the signer chain, to cost GET
        SIGNER CHAIN (VDC-NFC-073)."""
        if holds_signer:
            return self.reader_verifier
        return CredentialVerifier(self.pki.issuing_root.certificate)


@cache
def bench_world() -> BenchWorld:
    sample = issue_typical(SEED)
    doctor = sample.pki.readers["doctor"]
    rpps = reader_authorisation(doctor.certificate).rpps
    identity = ReaderIdentity(chain=(doctor.der,), key=doctor.private_key)
    credential = IssuedCredentialSource(sample.issued, sample.device_key)
    readers = PkiReaderAuthority(sample.pki.reader_root.certificate)
    verifier = CredentialVerifier(
        sample.pki.issuing_root.certificate, signers=[(sample.pki.document_signer.der,)]
    )
    world = BenchWorld(
        sample.pki,
        sample.issued,
        sample.device_key,
        TEST_NOW,
        rpps,
        identity,
        credential,
        readers,
        verifier,
    )
    full_read(world, first_tap=False)  # the phone meets the doctor once (VDC-PKI-060)
    return world


def full_read(
    world: BenchWorld,
    *,
    receipt: bool = True,
    extended: bool = True,
    version: int = LEAN_VERSION,
    first_tap: bool = False,
    holds_signer: bool = True,
) -> tuple[ReadResult, Trace]:
    """One complete read, holder and reader in memory; returns the result and the trace.

    Version 2 by default, the reader sending its chain by reference to a phone that
    remembers it (or, with `first_tap`, does not) and holding the signer chain (or not).
    `version=1` is the protocol as it was."""
    link = InMemoryLink(world.holder(remembers_reader=not first_tap), world.now)
    result = run_read(
        link.transmit,
        identity=world.identity(),
        requested=TYPICAL_ELEMENTS,
        verifier=world.verifier(holds_signer=holds_signer),
        random=system_random,  # as a terminal does; sizes do not depend on it
        now=world.now,
        receipt=world.receipt() if receipt else None,
        extended=extended,
        versions=(version,),
        by_reference=version >= LEAN_VERSION,
    )
    return result, link.trace
