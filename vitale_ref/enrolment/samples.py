"""Synthetic accounts and a ready-made simulated service, for tests, vectors and the CLI.

Every person here is invented (family name EXEMPLE); the NIRs have valid keys but
belong to nobody.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from vitale_ref.enrolment._collaborators import MemoryDirectory, ScriptedProofing
from vitale_ref.enrolment._events import StartEnrolment
from vitale_ref.enrolment._france_identite import FiIdentity, SimulatedFranceIdentite
from vitale_ref.enrolment._rules import Account
from vitale_ref.enrolment._service import Collaborators, EnrolmentService
from vitale_ref.enrolment._store import EnrolmentStore
from vitale_ref.randomness import RandomSource, p256_private_key, seeded_random

CAMILLE = Account(
    nir="290017505612320",
    birth_date=date(1990, 1, 15),
    email="camille.exemple@example.org",
    department="75",
    has_carte_vitale=True,
    given_names="Camille",
)
"""Paris: the document route opens there with the 46-department wave (illustrative)."""

DOMINIQUE = Account(
    nir="185062304506751",
    birth_date=date(1985, 6, 2),
    email="dominique.exemple@example.org",
    department="23",
    has_carte_vitale=True,
    given_names="Dominique",
)
"""Creuse: the document route opens there only when every department does (illustrative)."""

ALEX = Account(
    nir="192029935201178",
    birth_date=date(1992, 2, 20),
    email="alex.exemple@example.org",
    department="99",
    has_carte_vitale=False,
    given_names="Alex",
)
"""A short-stay visa holder: an account for reimbursements but no carte Vitale."""

LOU = Account(
    nir="212066912308971",
    birth_date=date(2012, 6, 30),
    email="lou.exemple@example.org",
    department="69",
    has_carte_vitale=True,
    given_names="Lou",
)
"""Too young to hold a card of their own under the shipped policy."""

SACHA = Account(
    nir="178016938100416",
    birth_date=date(1978, 1, 9),
    email="sacha.exemple@example.org",
    department="69",
    has_carte_vitale=True,
    given_names="Sacha",
)
"""Rhône: in the illustrative pilot of the document route."""

ACCOUNTS = (CAMILLE, DOMINIQUE, ALEX, LOU, SACHA)


def synthetic_directory() -> MemoryDirectory:
    """A directory holding every synthetic account."""
    return MemoryDirectory({account.nir: account for account in ACCOUNTS})


def device_public_key(random: RandomSource) -> bytes:
    """An uncompressed P-256 public key for a simulated phone."""
    key = p256_private_key(random).public_key()
    return key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)


OTP_KEY = b"synthetic OTP service key for tests and vectors only"
FRANCE_IDENTITE = SimulatedFranceIdentite()
"""The simulated provider, signing with the published test key (VDC-ENR-023)."""
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
"""A Monday morning when every department is open under the shipped policy."""


def make_service(
    *,
    seed: str = "vdc-enrolment",
    path: str = ":memory:",
    proofing: ScriptedProofing | None = None,
) -> EnrolmentService:
    """A service over a fresh store with the synthetic directory and seeded randomness."""
    collaborators = Collaborators(
        directory=synthetic_directory(),
        proofing=proofing or ScriptedProofing(),
        france_identite=FRANCE_IDENTITE,
    )
    return EnrolmentService(
        EnrolmentStore(path),
        otp_key=OTP_KEY,
        collaborators=collaborators,
        random=seeded_random(seed),
    )


def start_event(
    account: Account, random: RandomSource, *, device_os: str = "android", os_version: int = 14
) -> StartEnrolment:
    """A StartEnrolment for `account` from a simulated phone."""
    return StartEnrolment(
        nir=account.nir,
        device_os=device_os,
        os_version=os_version,
        device_public_key=device_public_key(random),
    )


def last_code(service: EnrolmentService, enrolment_id: str) -> str:
    """The code of the latest code e-mail of that enrolment, read from the outbox."""
    for message in reversed(service.outbox()):
        if message.enrolment_id == enrolment_id and message.kind == "code":
            match = re.search(r"\b(\d{6})\b", message.body)
            if match:
                return match[1]
    raise LookupError(f"no code e-mail for {enrolment_id}")


def france_identite_assertion(
    account: Account,
    *,
    now: datetime,
    card_issued_on: date = date(2022, 5, 1),
    nir: str | None = None,
) -> bytes:
    """A France Identité assertion for `account` issued at `now` under the test key."""
    identity = FiIdentity(
        nir=nir or account.nir, birth_date=account.birth_date, card_issued_on=card_issued_on
    )
    return FRANCE_IDENTITE.assert_identity(identity, now)
