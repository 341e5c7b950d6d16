"""Injected randomness: every core takes a RandomSource instead of calling os.urandom.

Production code passes `system_random`; generators of vectors and golden transcripts pass
`seeded_random(label)`, a deterministic stream (SHA-256 in counter mode over the seed), so
that every byte of a vector can be regenerated. The seeded stream is for tests only: it
is predictable by design.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric import ec

RandomSource = Callable[[int], bytes]
"""A function returning that many random bytes."""

_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def system_random(count: int) -> bytes:
    """Bytes from the operating system's CSPRNG."""
    return secrets.token_bytes(count)


class _SeededStream:
    """SHA-256(seed || counter) blocks, served in order."""

    def __init__(self, seed: bytes) -> None:
        self._seed = seed
        self._counter = 0
        self._buffer = b""

    def __call__(self, count: int) -> bytes:
        while len(self._buffer) < count:
            block = self._seed + self._counter.to_bytes(8, "big")
            self._buffer += hashlib.sha256(block).digest()
            self._counter += 1
        drawn, self._buffer = self._buffer[:count], self._buffer[count:]
        return drawn


def seeded_random(seed: str | bytes) -> RandomSource:
    """A reproducible byte stream derived from `seed` (tests and vector generators only)."""
    return _SeededStream(seed.encode("utf-8") if isinstance(seed, str) else seed)


def p256_private_key(random: RandomSource) -> ec.EllipticCurvePrivateKey:
    """A P-256 key whose scalar comes from `random` (rejection sampling, no bias)."""
    while True:
        scalar = int.from_bytes(random(32), "big")
        if 0 < scalar < _P256_ORDER:
            return ec.derive_private_key(scalar, ec.SECP256R1())
