"""The bounded memo of successful path validations (VDC-PKI-026, VDC-PKI-027)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography import x509

from vitale_ref.pki import TEST_NOW, ValidationCache, der_of, generate_test_pki

PKI = generate_test_pki("tests/pki-cache")
SECOND = timedelta(seconds=1)
ROOT = PKI.reader_root.certificate
DOCTOR = PKI.readers["doctor"].certificate
NURSE = PKI.readers["nurse"].certificate


def _key(*certs: x509.Certificate) -> tuple[bytes, ...]:
    return tuple(der_of(c) for c in certs)


def test_pki_cache_serves_inside_the_window_only() -> None:
    """VDC-PKI-026: a remembered success is served from the latest notBefore to the
    earliest notAfter of the certificates it names, both ends included, never outside."""
    cache: ValidationCache[str] = ValidationCache(4)
    cache.put(_key(ROOT, DOCTOR), [ROOT, DOCTOR], "granted")
    start = max(ROOT.not_valid_before_utc, DOCTOR.not_valid_before_utc)
    end = min(ROOT.not_valid_after_utc, DOCTOR.not_valid_after_utc)
    assert end == DOCTOR.not_valid_after_utc
    assert cache.get(_key(ROOT, DOCTOR), TEST_NOW) == "granted"
    assert cache.get(_key(ROOT, DOCTOR), start) == "granted"
    assert cache.get(_key(ROOT, DOCTOR), start - SECOND) is None
    assert cache.get(_key(ROOT, DOCTOR), end) == "granted"
    assert cache.get(_key(ROOT, DOCTOR), end + SECOND) is None
    assert len(cache) == 0  # an entry past its notAfter is dropped
    assert cache.get(_key(ROOT, DOCTOR), TEST_NOW) is None


def test_pki_cache_key_is_the_exact_bytes() -> None:
    """VDC-PKI-026: another chain, another anchor or one byte changed is a miss."""
    cache: ValidationCache[str] = ValidationCache(4)
    cache.put(_key(ROOT, DOCTOR), [ROOT, DOCTOR], "doctor")
    assert cache.get(_key(ROOT, NURSE), TEST_NOW) is None
    assert cache.get(_key(PKI.issuing_root.certificate, DOCTOR), TEST_NOW) is None
    root, doctor = _key(ROOT, DOCTOR)
    altered = doctor[:-1] + bytes([doctor[-1] ^ 1])
    assert cache.get((root, altered), TEST_NOW) is None
    assert cache.get((root, doctor), TEST_NOW) == "doctor"


def test_pki_cache_is_bounded_and_drops_the_least_recent() -> None:
    """VDC-PKI-027: never more than the bound; the least recently used entry goes first."""
    cache: ValidationCache[str] = ValidationCache(2)
    pharmacist = PKI.readers["pharmacist"].certificate
    cache.put(_key(ROOT, DOCTOR), [ROOT, DOCTOR], "doctor")
    cache.put(_key(ROOT, NURSE), [ROOT, NURSE], "nurse")
    assert cache.get(_key(ROOT, DOCTOR), TEST_NOW) == "doctor"  # now the most recent
    cache.put(_key(ROOT, pharmacist), [ROOT, pharmacist], "pharmacist")
    assert len(cache) == 2
    assert cache.get(_key(ROOT, NURSE), TEST_NOW) is None
    assert cache.get(_key(ROOT, DOCTOR), TEST_NOW) == "doctor"
    assert cache.get(_key(ROOT, pharmacist), TEST_NOW) == "pharmacist"


def test_pki_cache_refuses_empty_bounds_and_windows() -> None:
    """VDC-PKI-027: a cache holds at least one entry; an entry names its certificates."""
    with pytest.raises(ValueError, match="at least one entry"):
        ValidationCache(0)
    with pytest.raises(ValueError, match="names its certificates"):
        ValidationCache[str](1).put((b"",), [], "x")
