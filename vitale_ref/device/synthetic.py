"""A synthetic holder for tests, examples and `vitale holder init` (never real data).

The credential is a placeholder byte string unless one is given: this module fills the
store, it does not issue credentials (that is the enrolment service's job).
"""

from __future__ import annotations

from datetime import datetime

from vitale_ref.device._device import HolderDevice
from vitale_ref.device._summary import HolderSummary
from vitale_ref.pin import (
    DEFAULT_PARAMETERS,
    PinVerifier,
    VerifierParameters,
    confirm_personal_code,
)
from vitale_ref.randomness import RandomSource, p256_private_key

SYNTHETIC_HOLDER = HolderSummary(
    family_name="EXEMPLE",
    given_names="Camille (synthetic)",
    birth_date="19800100",
    nir="180017512345660",
)
"""Invented identity; the birth date is a lunar date (unknown day) on purpose."""

SYNTHETIC_CODE = "480715"
"""A personal code the policy accepts for SYNTHETIC_HOLDER; for tests and examples."""

PLACEHOLDER_CREDENTIAL = b"synthetic placeholder credential, not issuer-signed"


def provision_synthetic(
    device: HolderDevice,
    *,
    code: str,
    random: RandomSource,
    now: datetime,
    parameters: VerifierParameters = DEFAULT_PARAMETERS,
    credential: bytes = PLACEHOLDER_CREDENTIAL,
) -> None:
    """Provision `device` with SYNTHETIC_HOLDER, `code` (policy applied) and a fresh key."""
    confirm_personal_code(code, code, birth_date=SYNTHETIC_HOLDER.birth_date)
    verifier = PinVerifier.create(code, random=random, parameters=parameters)
    device.provision(
        holder=SYNTHETIC_HOLDER,
        verifier=verifier,
        credential=credential,
        device_key=p256_private_key(random),
        now=now,
    )
