"""The Argon2id verifier of the personal code (VDC-PIN-009..011)."""

from __future__ import annotations

import hmac

import pytest
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from vitale_ref.pin import (
    DEFAULT_PARAMETERS,
    SALT_LENGTH,
    TEST_ONLY_PARAMETERS,
    PinFormatError,
    PinVerifier,
    VerifierParameters,
    VerifierParametersError,
)
from vitale_ref.randomness import seeded_random


def test_pin_default_parameters_are_the_documented_ones() -> None:
    """VDC-PIN-010: 64 MiB, 3 passes, 4 lanes, 32 bytes."""
    documented = VerifierParameters(memory_kib=65536, iterations=3, lanes=4, length=32)
    assert documented == DEFAULT_PARAMETERS


def test_pin_verifier_default_parameters_known_answer() -> None:
    """VDC-PIN-009: salt from the injected source, Argon2id over the ASCII digits."""
    verifier = PinVerifier.create("480715", random=seeded_random("pin-verifier"))
    assert verifier.salt == seeded_random("pin-verifier")(SALT_LENGTH)
    assert verifier.parameters is DEFAULT_PARAMETERS
    expected = Argon2id(
        salt=verifier.salt, length=32, iterations=3, lanes=4, memory_cost=65536
    ).derive(b"480715")
    assert verifier.digest == expected
    assert verifier.matches("480715")
    assert not verifier.matches("480716")


def test_pin_salt_is_per_holder() -> None:
    """VDC-PIN-009: two holders with the same code get different verifiers."""
    first = PinVerifier.create("480715", random=seeded_random("a"), parameters=TEST_ONLY_PARAMETERS)
    second = PinVerifier.create(
        "480715", random=seeded_random("b"), parameters=TEST_ONLY_PARAMETERS
    )
    assert first.salt != second.salt
    assert first.digest != second.digest


def test_pin_comparison_goes_through_compare_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    """VDC-PIN-011: the comparison is hmac.compare_digest, called once per check."""
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    verifier = PinVerifier.create(
        "480715", random=seeded_random("spy"), parameters=TEST_ONLY_PARAMETERS
    )
    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert verifier.matches("480715") is True
    assert verifier.matches("999990") is False
    assert len(calls) == 2
    assert calls[0][1] == verifier.digest
    assert calls[1][1] == verifier.digest


def test_pin_verifier_refuses_malformed_code() -> None:
    """VDC-PIN-001: malformed codes are refused before any derivation."""
    verifier = PinVerifier.create(
        "480715", random=seeded_random("x"), parameters=TEST_ONLY_PARAMETERS
    )
    with pytest.raises(PinFormatError):
        verifier.matches("48071")
    with pytest.raises(PinFormatError):
        PinVerifier.create("4807150", random=seeded_random("x"))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"memory_kib": 7, "iterations": 1, "lanes": 1}, "memory"),
        ({"memory_kib": 1024 * 1024 + 1, "iterations": 1, "lanes": 1}, "memory"),
        ({"memory_kib": 64, "iterations": 0, "lanes": 1}, "iterations"),
        ({"memory_kib": 64, "iterations": 65, "lanes": 1}, "iterations"),
        ({"memory_kib": 256, "iterations": 1, "lanes": 17}, "lanes"),
        ({"memory_kib": 64, "iterations": 1, "lanes": 0}, "lanes"),
        ({"memory_kib": 64, "iterations": 1, "lanes": 1, "length": 15}, "length"),
    ],
)
def test_pin_parameters_bounded(fields: dict[str, int], message: str) -> None:
    """VDC-PIN-010: a stored parameter set outside the bounds is refused (limits and one past)."""
    with pytest.raises(VerifierParametersError, match=message):
        VerifierParameters(**fields)


def test_pin_parameters_at_the_bounds_accepted() -> None:
    """VDC-PIN-010: exactly at each bound is accepted."""
    VerifierParameters(memory_kib=8, iterations=1, lanes=1, length=16)
    VerifierParameters(memory_kib=1024 * 1024, iterations=64, lanes=16, length=64)


def test_pin_verifier_shape_checked() -> None:
    """VDC-PIN-009: a salt or digest of the wrong length is refused."""
    with pytest.raises(VerifierParametersError, match="salt"):
        PinVerifier(salt=b"\0" * 15, digest=b"\0" * 32, parameters=DEFAULT_PARAMETERS)
    with pytest.raises(VerifierParametersError, match="digest"):
        PinVerifier(salt=b"\0" * 16, digest=b"\0" * 31, parameters=DEFAULT_PARAMETERS)
