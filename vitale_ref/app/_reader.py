"""A practitioner's reader of the enrolment's synthetic world, driving a read in memory.

It authenticates with a reader certificate of the enrolment issuer's test PKI, asks
for elements, verifies the presentation against that PKI's issuing root (and the
status list when it has one) and, after the read, files a signed billing receipt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from vitale_ref.pki import TestPKI, reader_authorisation
from vitale_ref.randomness import RandomSource
from vitale_ref.reader import ReaderIdentity, ReadResult, run_read
from vitale_ref.reader.adapters import CredentialVerifier
from vitale_ref.sm import Receipt

ALL_ELEMENTS = tuple(range(1, 11))
DEMO_ACT = "G"
DEMO_AMOUNT_CENTS = 3000


@dataclass(frozen=True, kw_only=True)
class WorldReader:
    """Reader `name` ("doctor", "pharmacist", "nurse") of `pki`, checking `status_list`."""

    pki: TestPKI
    name: str = "doctor"
    status_list: bytes | None = None

    @property
    def identity(self) -> ReaderIdentity:
        entity = self.pki.readers[self.name]
        return ReaderIdentity(chain=(entity.der,), key=entity.private_key)

    @property
    def rpps(self) -> str:
        return reader_authorisation(self.pki.readers[self.name].certificate).rpps

    def read(
        self,
        transmit: Callable[[bytes], bytes],
        *,
        now: datetime,
        random: RandomSource,
        requested: Sequence[int] = ALL_ELEMENTS,
        receipt: bool = True,
        extended: bool = True,
    ) -> ReadResult:
        """A full authenticated read over `transmit` at `now`; raises ReaderError if it fails.

        `transmit` is `AppLink(app, now).transmit` in memory, or any transport's.
        """
        bill = Receipt(time=now, rpps=self.rpps, act=DEMO_ACT, amount_cents=DEMO_AMOUNT_CENTS)
        return run_read(
            transmit,
            identity=self.identity,
            requested=list(requested),
            # The issuer's signer chains come with its status list (VDC-CRED-071).
            verifier=CredentialVerifier(
                self.pki.issuing_root.certificate,
                self.status_list,
                signers=[(self.pki.document_signer.der,)],
            ),
            random=random,
            now=now,
            receipt=bill if receipt else None,
            extended=extended,
        )
