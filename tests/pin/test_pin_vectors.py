"""The reference against the personal-code vectors (vectors/pin/*.json).

Verifies VDC-PIN-001..007 (policy), VDC-PIN-009..015 (verifier, counter, status words).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from conformance.vectors import VectorCase, iter_cases
from vitale_ref.device import HolderDevice, HolderSummary
from vitale_ref.pin import (
    TEST_ONLY_PARAMETERS,
    PinFormatError,
    PinVerifier,
    VerifierParameters,
    WeakPinError,
    check_personal_code,
)
from vitale_ref.randomness import p256_private_key, seeded_random

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
POLICY = list(iter_cases("pin/pin_policy.json"))
COUNTER = list(iter_cases("pin/pin_counter.json"))
VERIFIER = list(iter_cases("pin/pin_verifier.json"))


@pytest.mark.parametrize("case", POLICY, ids=lambda c: c.name)
def test_pin_policy_vector(case: VectorCase) -> None:
    """VDC-PIN-001..007: accepted, or refused by the rule the vector names."""
    code, birth_date = case.data["code"], case.group["birthDate"]
    if case.result == "valid":
        check_personal_code(code, birth_date=birth_date)
        return
    with pytest.raises(WeakPinError) as caught:
        check_personal_code(code, birth_date=birth_date)
    assert caught.value.requirement == case.data["refusedBy"]


def test_pin_policy_vectors_cover_every_rule() -> None:
    """VDC-PIN-005: each rule has refused vectors, and near misses are valid."""
    refused = {c.data["refusedBy"] for c in POLICY if c.result == "invalid"}
    assert refused == {f"VDC-PIN-00{n}" for n in (1, 2, 3, 4, 6, 7)}
    assert sum(c.result == "valid" for c in POLICY) >= 10


@pytest.mark.parametrize("case", COUNTER, ids=lambda c: c.name)
def test_pin_counter_vector(case: VectorCase, tmp_path: Path) -> None:
    """VDC-PIN-012..015: status words and tries left after each attempt."""
    code = case.group["personalCode"]
    holder = HolderSummary(
        family_name="EXEMPLE", given_names="Sacha", birth_date="19900101", nir="190017512345655"
    )
    random = seeded_random(case.name)
    with HolderDevice.open(tmp_path / "c.sqlite") as device:
        device.provision(
            holder=holder,
            verifier=PinVerifier.create(code, random=random, parameters=TEST_ONLY_PARAMETERS),
            credential=b"\x00",
            device_key=p256_private_key(random),
            now=NOW,
        )
        assert device.status(NOW).tries_remaining == case.group["initialTries"]
        for attempt in case.data["attempts"]:
            try:
                word = device.unlock(attempt["code"], NOW).status_word
            except PinFormatError as error:
                word = error.status_word
            assert f"{word:04X}" == attempt["statusWord"]
            assert device.status(NOW).tries_remaining == attempt["triesRemaining"]


@pytest.mark.parametrize("case", VERIFIER, ids=lambda c: c.name)
def test_pin_verifier_vector(case: VectorCase) -> None:
    """VDC-PIN-009..011: Argon2id known answers, with default and test-only parameters."""
    parameters = VerifierParameters(
        memory_kib=case.group["memoryKiB"],
        iterations=case.group["iterations"],
        lanes=case.group["lanes"],
    )
    verifier = PinVerifier(
        salt=bytes.fromhex(case.data["salt"]),
        digest=bytes.fromhex(case.data["digest"]),
        parameters=parameters,
    )
    assert verifier.matches(case.data["code"]) is (case.result == "valid")
