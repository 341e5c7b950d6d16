"""A bounded memo of successful path validations (VDC-PKI-026, VDC-PKI-027).

Path validation depends on the certificates' bytes, the trust anchor's bytes and `now`;
`now` only matters through the validity periods. So a success can be remembered under
the exact DER bytes of the anchor and of the chain, together with the time window in
which every one of those certificates is valid: inside that window a fresh validation
would succeed again, outside it the caller validates afresh (and gets the error).
Failures are never remembered. The oldest entry goes when the bound is reached.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Generic, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

T = TypeVar("T")

CacheKey = tuple[bytes, ...]
"""Exact DER bytes: the trust anchor first, then the chain as presented."""

DEFAULT_MAX_ENTRIES = 32


@dataclass(frozen=True)
class _Entry(Generic[T]):
    not_before: datetime
    not_after: datetime
    value: T


class ValidationCache(Generic[T]):
    """At most `max_entries` successes, each served only inside its validity window."""

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        if max_entries < 1:
            raise ValueError("a validation cache holds at least one entry")
        self.max_entries = max_entries
        self._entries: OrderedDict[CacheKey, _Entry[T]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: CacheKey, now: datetime) -> T | None:
        """The remembered value if `key` validated and every certificate is valid at `now`."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if now > entry.not_after:
            del self._entries[key]  # expired for good: validity only moves forward
            return None
        if now < entry.not_before:
            return None
        self._entries.move_to_end(key)
        return entry.value

    def put(self, key: CacheKey, certificates: Iterable[x509.Certificate], value: T) -> None:
        """Remember `value` for `key`, valid while every one of `certificates` is.

        Give every certificate the key names (anchor and chain): the window is then the
        intersection of all their validity periods, never wider than the path's.
        """
        certs = list(certificates)
        if not certs:
            raise ValueError("a cached validation names its certificates")
        not_before = max(cert.not_valid_before_utc for cert in certs)
        not_after = min(cert.not_valid_after_utc for cert in certs)
        self._entries[key] = _Entry(not_before, not_after, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)


@lru_cache(maxsize=64)
def der_of(cert: x509.Certificate) -> bytes:
    """The certificate's DER bytes (the encoding it was parsed from).

    Remembered per certificate (bounded): the same trust anchor object is re-encoded for
    every presentation otherwise. Equal certificates have the same encoding.
    """
    return cert.public_bytes(Encoding.DER)
