"""The stored verifier of the personal code: Argon2id with a per-holder salt.

VDC-PIN-009: the device keeps `Argon2id(code, salt, parameters)`, never the code.
VDC-PIN-010: the parameters travel with the verifier and are bounded on read, so a
tampered store cannot ask for an unbounded allocation.
VDC-PIN-011: the comparison goes through `hmac.compare_digest`.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from vitale_ref.pin._errors import PinFormatError, VerifierParametersError
from vitale_ref.pin._policy import is_well_formed
from vitale_ref.randomness import RandomSource

SALT_LENGTH = 16
MAX_MEMORY_KIB = 1024 * 1024  # 1 GiB: the most a stored parameter set may ask for
MAX_ITERATIONS = 64
MAX_LANES = 16


@dataclass(frozen=True, kw_only=True)
class VerifierParameters:
    """Argon2id cost parameters (RFC 9106 names: m in KiB, t, p) and the output length."""

    memory_kib: int
    iterations: int
    lanes: int
    length: int = 32

    def __post_init__(self) -> None:
        values = (self.memory_kib, self.iterations, self.lanes, self.length)
        if not all(type(v) is int for v in values):
            raise VerifierParametersError("Argon2id parameters must be integers")
        if not 1 <= self.lanes <= MAX_LANES:
            raise VerifierParametersError(f"Argon2id lanes must be 1 to {MAX_LANES}")
        if not 8 * self.lanes <= self.memory_kib <= MAX_MEMORY_KIB:
            raise VerifierParametersError(
                f"Argon2id memory must be 8 KiB per lane to {MAX_MEMORY_KIB} KiB"
            )
        if not 1 <= self.iterations <= MAX_ITERATIONS:
            raise VerifierParametersError(f"Argon2id iterations must be 1 to {MAX_ITERATIONS}")
        if not 16 <= self.length <= 64:
            raise VerifierParametersError("Argon2id output length must be 16 to 64 bytes")

    def describe(self) -> str:
        return f"Argon2id m={self.memory_kib} KiB t={self.iterations} p={self.lanes}"


DEFAULT_PARAMETERS = VerifierParameters(memory_kib=65536, iterations=3, lanes=4)
"""VDC-PIN-010: RFC 9106's second recommended option (64 MiB, 3 passes, 4 lanes)."""

TEST_ONLY_PARAMETERS = VerifierParameters(memory_kib=32, iterations=1, lanes=1)
"""Deliberately weak, for tests and crash injection only: never for a real holder."""


def _derive(code: str, salt: bytes, parameters: VerifierParameters) -> bytes:
    kdf = Argon2id(
        salt=salt,
        length=parameters.length,
        iterations=parameters.iterations,
        lanes=parameters.lanes,
        memory_cost=parameters.memory_kib,
    )
    return kdf.derive(code.encode("ascii"))


@dataclass(frozen=True, kw_only=True)
class PinVerifier:
    """What the holder device stores instead of the code: salt, digest, parameters."""

    salt: bytes
    digest: bytes
    parameters: VerifierParameters

    def __post_init__(self) -> None:
        if len(self.salt) != SALT_LENGTH:
            raise VerifierParametersError(f"verifier salt must be {SALT_LENGTH} bytes")
        if len(self.digest) != self.parameters.length:
            raise VerifierParametersError("verifier digest length differs from its parameters")

    @classmethod
    def create(
        cls,
        code: str,
        *,
        random: RandomSource,
        parameters: VerifierParameters = DEFAULT_PARAMETERS,
    ) -> PinVerifier:
        """A verifier of `code` with a fresh salt drawn from `random` (VDC-PIN-009).

        The policy is not applied here (see check_personal_code); only the format is.
        """
        if not is_well_formed(code):
            raise PinFormatError("personal code must be exactly 6 digits")
        salt = random(SALT_LENGTH)
        return cls(salt=salt, digest=_derive(code, salt, parameters), parameters=parameters)

    def matches(self, code: str) -> bool:
        """True when `code` is the verified code; constant-time comparison (VDC-PIN-011)."""
        if not is_well_formed(code):
            raise PinFormatError("personal code must be exactly 6 digits")
        candidate = _derive(code, self.salt, self.parameters)
        return hmac.compare_digest(candidate, self.digest)
