"""The reference credential issuer behind the `CredentialIssuer` seam (VDC-ENR-013).

It signs a VDC-CRED credential over the synthetic account's data with a document
signer of the test PKI, bound to the phone's key, with the status reference the
service allocated; the holder app keeps the full presentation (every element with
its salt). The revocation bits are kept by the service and published with
`status_list`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from cryptography.hazmat.primitives.asymmetric import ec

from vitale_ref.credential import (
    Beneficiary,
    IssuedCredential,
    RightsPeriod,
    StatusList,
    issue_credential,
    sign_status_list,
)
from vitale_ref.credential._structure import StatusReference
from vitale_ref.credential.samples import AFFILIATION, SAMPLE_LIST_ID
from vitale_ref.enrolment._record import Enrolment
from vitale_ref.enrolment._rules import Account
from vitale_ref.pki import TestPKI, generate_test_pki
from vitale_ref.randomness import RandomSource, system_random

STATUS_LIST_SIZE = 1024
CREDENTIAL_LIFETIME = timedelta(days=365)


def beneficiary_of(account: Account, now: datetime) -> Beneficiary:
    """The credential data of a synthetic account (insured person, general regime)."""
    return Beneficiary(
        nir=account.nir,
        family_name=account.family_name,
        given_names=account.given_names,
        birth_date=account.birth_date.strftime("%Y%m%d"),
        birth_rank=1,
        quality=0,
        affiliation=AFFILIATION,
        rights=(RightsPeriod(start=f"{now.year}0101", end=f"{now.year + 1}1231"),),
    )


@dataclass
class ReferenceIssuer:
    """Issues real VDC-CRED credentials under the test PKI of `pki_seed`."""

    pki_seed: str = "vdc-test-pki"
    random: RandomSource = field(default=system_random)
    last_issued: IssuedCredential | None = None

    @cached_property
    def pki(self) -> TestPKI:
        return generate_test_pki(self.pki_seed)

    def issue(
        self, enrolment: Enrolment, *, account: Account, status_index: int, now: datetime
    ) -> bytes:
        device_key = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), enrolment.device_public_key
        )
        issued = issue_credential(
            beneficiary_of(account, now),
            signer=self.pki.document_signer,
            device_public_key=device_key,
            valid_from=now,
            # VDC-PKI-012: a year, or less when the document signer expires sooner.
            valid_until=min(
                now + CREDENTIAL_LIFETIME, self.pki.document_signer.certificate.not_valid_after_utc
            ),
            status=StatusReference(list_id=SAMPLE_LIST_ID, index=status_index),
            random=self.random,
        )
        self.last_issued = issued
        return issued.full_presentation()

    def status_list(self, revoked: set[int], *, now: datetime) -> bytes:
        """The signed status list with `revoked` set (VDC-ENR-013)."""
        status = StatusList.new(SAMPLE_LIST_ID, STATUS_LIST_SIZE)
        for index in sorted(revoked):
            status.revoke(index)
        return sign_status_list(
            status,
            signer=self.pki.status_signer,
            this_update=now,
            next_update=now + timedelta(days=1),
        )
