"""Synthetic sample holders and credentials for tests, vectors and demonstrations.

Every person here is invented: the family name is EXEMPLE, NIRs are built from made-up
bodies with a correct key, and all keys come from seeds. Nothing describes a real person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric import ec

from vitale_ref.credential._issue import IssuedCredential, issue_credential
from vitale_ref.credential._model import (
    NAME_MAX_CHARACTERS,
    Affiliation,
    Beneficiary,
    ComplementaryCover,
    Minor,
    RightsPeriod,
)
from vitale_ref.credential._structure import StatusReference
from vitale_ref.nir import calc_key
from vitale_ref.pki import TestPKI, generate_test_pki
from vitale_ref.randomness import p256_private_key, seeded_random

VALID_FROM = datetime(2026, 1, 15, tzinfo=UTC)
VALID_UNTIL = datetime(2028, 1, 15, tzinfo=UTC)
SAMPLE_LIST_ID = 1

AFFILIATION = Affiliation(regime="01", caisse="751", centre="0001")
RIGHTS = (RightsPeriod(start="20260101", end="20271231"),)
AMC = (
    ComplementaryCover(
        organisation="99999901", period=RightsPeriod(start="20260101", end="20261231")
    ),
)


def synthetic_nir(body: str) -> str:
    """A made-up 13-character body completed with its key."""
    return body + calc_key(body)


def _minor(body: str, given: str, born: str, rank: int = 1) -> Minor:
    return Minor(
        nir=synthetic_nir(body),
        family_name="EXEMPLE",
        given_names=given,
        birth_date=born,
        birth_rank=rank,
        quality=6,
    )


def single_insured() -> Beneficiary:
    """One insured person, no complementary cover, no minors."""
    return Beneficiary(
        nir=synthetic_nir("1780369123045"),
        family_name="EXEMPLE",
        given_names="Jean",
        birth_date="19780312",
        birth_rank=1,
        quality=0,
        affiliation=AFFILIATION,
        rights=RIGHTS,
    )


def typical_holder() -> Beneficiary:
    """The typical credential: an insured parent, a complementary cover, two minors."""
    return Beneficiary(
        nir=synthetic_nir("2850575056123"),
        family_name="EXEMPLE",
        given_names="Camille Marie",
        birth_date="19850521",
        birth_rank=1,
        quality=0,
        affiliation=AFFILIATION,
        rights=RIGHTS,
        complementary=AMC,
        minors=(
            _minor("1150775056045", "Léo", "20150714"),
            _minor("2180375056078", "Inès", "20180302"),
        ),
    )


def lunar_holder() -> Beneficiary:
    """An insured person with a lunar birth date (day and month unknown) and twins."""
    return Beneficiary(
        nir=synthetic_nir("1529999216012"),
        family_name="EXEMPLE",
        given_names="Moussa",
        birth_date="19520000",
        birth_rank=2,
        quality=0,
        affiliation=Affiliation(regime="01", caisse="931", centre="0042"),
        rights=RIGHTS,
        minors=(
            _minor("1100375056011", "Awa", "20100340", rank=1),
            _minor("2100375056012", "Adama", "20100340", rank=2),
        ),
    )


def _long(prefix: str) -> str:
    return (prefix + "ÉÈÊËÀÂÔÛÇ" * 8)[:NAME_MAX_CHARACTERS]


def maximal_holder() -> Beneficiary:
    """Every field and list at its maximal length (VDC-CRED-021, 031)."""
    periods = tuple(
        RightsPeriod(start=f"20{20 + n:02d}0101", end=f"20{20 + n:02d}1231") for n in range(8)
    )
    covers = tuple(
        ComplementaryCover(organisation=f"999999990{n}", period=periods[n]) for n in range(4)
    )
    minors = tuple(
        Minor(
            nir=synthetic_nir(f"{1 + n % 2}{10 + n:02d}0{1 + n}75056{100 + n:03d}"),
            family_name=_long("EXEMPLE "),
            given_names=_long(f"Enfant{n} "),
            birth_date=f"20{10 + n:02d}0{1 + n}15",
            birth_rank=1 + n,
            quality=6,
        )
        for n in range(8)
    )
    return Beneficiary(
        nir=synthetic_nir("2700199350999"),
        family_name=_long("EXEMPLE "),
        given_names=_long("Prénom "),
        birth_date="19700199",
        birth_rank=9,
        quality=9,
        affiliation=Affiliation(regime="99", caisse="999", centre="9999"),
        rights=periods,
        complementary=covers,
        minors=minors,
    )


def device_key(seed: str) -> ec.EllipticCurvePrivateKey:
    """The holder device's key for a sample, from the seed."""
    return p256_private_key(seeded_random(f"{seed}/device"))


@dataclass(frozen=True)
class SampleCredential:
    """A sample credential with everything needed to present and verify it."""

    issued: IssuedCredential
    pki: TestPKI
    device_key: ec.EllipticCurvePrivateKey
    beneficiary: Beneficiary


def issue_sample(
    beneficiary: Beneficiary,
    seed: str,
    *,
    pki: TestPKI | None = None,
    index: int = 0,
    valid_from: datetime = VALID_FROM,
    valid_until: datetime = VALID_UNTIL,
) -> SampleCredential:
    """Issue `beneficiary`'s credential deterministically from `seed` with the test PKI."""
    pki = pki if pki is not None else generate_test_pki(seed)
    key = device_key(seed)
    issued = issue_credential(
        beneficiary,
        signer=pki.document_signer,
        device_public_key=key.public_key(),
        valid_from=valid_from,
        valid_until=valid_until,
        status=StatusReference(SAMPLE_LIST_ID, index),
        random=seeded_random(f"{seed}/credential/{index}"),
    )
    return SampleCredential(issued, pki, key, beneficiary)


def issue_typical(seed: str, *, pki: TestPKI | None = None) -> SampleCredential:
    """The typical holder's credential (insured + 2 minors)."""
    return issue_sample(typical_holder(), seed, pki=pki)
