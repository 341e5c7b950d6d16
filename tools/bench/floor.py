"""The crypto floor of a full read: what its primitives alone cost, timed in the same run.

The primitives a read performs are counted by profiling one real read (cProfile records
every call into the `cryptography` bindings and hashlib), and the AES-GCM and SHA-256
input sizes are recorded on the way, so the floor follows the protocol if it changes.
Each primitive is then timed bare, on the same curve and the same byte counts, and the
floor is the sum of count x time. Key generation is counted with ECDH: an ephemeral
ECDH needs its key pair.
"""

from __future__ import annotations

import cProfile
import hashlib
import pstats
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from tools.bench._timing import per_call

# Profile names (substring of the cProfile function name) -> primitive.
_PRIMITIVES = {
    "derive_private_key": "keygen",
    "generate_private_key": "keygen",
    "'exchange' of": "ecdh",
    "'sign' of": "ecdsa_sign",
    "'verify' of": "ecdsa_verify",
    "HKDF": "hkdf",
}
_ECDSA = ec.ECDSA(hashes.SHA256())
_SIGNING = ec.ECDSA(hashes.SHA256(), deterministic_signing=True)
"""The read signs as VDC-SM-005 recommends (RFC 6979), so the floor does too."""
SIGNED_BYTES = 256
"""Size of the message timed for sign and verify (hashing it is a negligible part)."""


@dataclass(frozen=True, kw_only=True)
class Floor:
    counts: dict[str, int]
    unit_seconds: dict[str, float]
    gcm_sizes: list[int]
    sha256_sizes: list[int]

    @property
    def seconds(self) -> float:
        return sum(self.counts[name] * self.unit_seconds[name] for name in self.counts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "unit_microseconds": {k: v * 1e6 for k, v in self.unit_seconds.items()},
            "gcm_bytes": self.gcm_sizes,
            "sha256_bytes": sum(self.sha256_sizes),
            "floor_ms": self.seconds * 1e3,
        }


class _RecordingAesGcm:
    """Stands in for AESGCM during the counting read, recording the sizes it sees."""

    sizes: ClassVar[list[int]] = []

    def __init__(self, key: bytes) -> None:
        self._inner = AESGCM(key)

    def encrypt(self, nonce: bytes, data: bytes, aad: bytes | None) -> bytes:
        self.sizes.append(len(data))
        return self._inner.encrypt(nonce, data, aad)

    def decrypt(self, nonce: bytes, data: bytes, aad: bytes | None) -> bytes:
        self.sizes.append(len(data) - 16)
        return self._inner.decrypt(nonce, data, aad)


@contextmanager
def _recording() -> Iterator[list[int]]:
    from vitale_ref.sm import _channel

    _RecordingAesGcm.sizes = []
    namespace = vars(_channel)
    original = namespace["AESGCM"]
    namespace["AESGCM"] = _RecordingAesGcm
    try:
        yield _RecordingAesGcm.sizes
    finally:
        namespace["AESGCM"] = original


def count_primitives(read: Callable[[], object]) -> tuple[Counter[str], list[int], int]:
    """(primitive counts, AES-GCM plaintext sizes, SHA-256 calls) of one `read()`."""
    profile = cProfile.Profile()
    with _recording() as gcm_sizes:
        profile.enable()
        read()
        profile.disable()
    counts: Counter[str] = Counter()
    sha256_calls = 0
    stats: dict[Any, Any] = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    for (_file, _line, name), (_cc, calls, *_rest) in stats.items():
        if "openssl_sha256" in name:
            sha256_calls += calls
        for needle, primitive in _PRIMITIVES.items():
            if needle in name and ("cryptography" in name or "built-in" in name):
                counts[primitive] += calls
    counts["aes_gcm"] = len(gcm_sizes)
    return counts, list(gcm_sizes), sha256_calls


def _unit_times(gcm_sizes: list[int], sha256_bytes: int) -> dict[str, float]:
    curve = ec.SECP256R1()
    mine = ec.derive_private_key(0x1234567890ABCDEF << 64, curve)
    peer = ec.derive_private_key(0xFEDCBA0987654321 << 64, curve).public_key()
    message = bytes(SIGNED_BYTES)
    signature = mine.sign(message, _SIGNING)
    public = mine.public_key()
    secret = mine.exchange(ec.ECDH(), peer)
    key = AESGCM(bytes(32))
    nonce = bytes(12)
    blobs = [bytes(size) for size in gcm_sizes]
    hashed = bytes(sha256_bytes)
    gcm_total = per_call(lambda: [key.encrypt(nonce, blob, b"aad!") for blob in blobs])
    return {
        "keygen": per_call(lambda: ec.derive_private_key(0x5EED << 200, curve)),
        "ecdh": per_call(lambda: mine.exchange(ec.ECDH(), peer)),
        "ecdsa_sign": per_call(lambda: mine.sign(message, _SIGNING)),
        "ecdsa_verify": per_call(lambda: public.verify(signature, message, _ECDSA)),
        "hkdf": per_call(lambda: HKDF(hashes.SHA256(), 32, b"salt", b"info").derive(secret)),
        # One unit = all the recorded AES-GCM operations of the read, same sizes.
        "aes_gcm": gcm_total / max(1, len(blobs)),
        "sha256": per_call(lambda: hashlib.sha256(hashed).digest()),
    }


def crypto_floor(read: Callable[[], object], sha256_bytes: int) -> Floor:
    """Count the primitives of `read` and time them bare.

    SHA-256 is charged as one pass over `sha256_bytes`: for a full read, three passes
    over the presentation (the salted element digests, and the device-authentication
    transcript on each side); for a verification, the disclosed elements once.
    """
    counts, gcm_sizes, sha256_calls = count_primitives(read)
    sha256_sizes = [sha256_bytes]
    units = _unit_times(gcm_sizes, sum(sha256_sizes))
    final = {name: counts.get(name, 0) for name in units}
    final["sha256"] = 1 if sha256_calls else 0
    return Floor(counts=final, unit_seconds=units, gcm_sizes=gcm_sizes, sha256_sizes=sha256_sizes)


def floor_run(floor: Floor) -> Callable[[], None]:
    """One call performs every counted primitive once per count, on the recorded sizes.

    Timed alternately with the read (`_timing.paired`), so that both sides of the ratio
    see the same machine load.
    """
    curve = ec.SECP256R1()
    mine = ec.derive_private_key(0x1234567890ABCDEF << 64, curve)
    peer = ec.derive_private_key(0xFEDCBA0987654321 << 64, curve).public_key()
    message = bytes(SIGNED_BYTES)
    signature = mine.sign(message, _ECDSA)
    public = mine.public_key()
    secret = mine.exchange(ec.ECDH(), peer)
    key = AESGCM(bytes(32))
    blobs = [bytes(size) for size in floor.gcm_sizes]
    hashed = bytes(sum(floor.sha256_sizes))
    counts = floor.counts

    def run() -> None:
        for number in range(counts["keygen"]):
            ec.derive_private_key((0x5EED << 200) + number, curve)
        for _ in range(counts["ecdh"]):
            mine.exchange(ec.ECDH(), peer)
        for _ in range(counts["ecdsa_sign"]):
            mine.sign(message, _SIGNING)
        for _ in range(counts["ecdsa_verify"]):
            public.verify(signature, message, _ECDSA)
        for _ in range(counts["hkdf"]):
            HKDF(hashes.SHA256(), 32, b"salt", b"info").derive(secret)
        for blob in blobs:
            key.encrypt(bytes(12), blob, b"aad!")
        for _ in range(counts["sha256"]):
            hashlib.sha256(hashed).digest()

    return run
