"""The holder's remembered reader grants (VDC-PKI-026, VDC-PKI-027, VDC-NFC-110)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from vitale_ref.holder import adapters
from vitale_ref.holder._ports import ReaderGrant
from vitale_ref.pki import (
    TEST_NOW,
    PathError,
    SignatureError,
    ValidationCache,
    ValidityError,
    generate_test_pki,
    reader_authorisation,
)

PKI = generate_test_pki("tests/nfc-grants")
SECOND = timedelta(seconds=1)
DOCTOR = PKI.readers["doctor"]
NOT_AFTER = DOCTOR.certificate.not_valid_after_utc
DOCTOR_RPPS = reader_authorisation(DOCTOR.certificate).rpps


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """Every time the authority really validates a chain (the `now` it validates at)."""
    seen: list[datetime] = []
    real: Callable[..., Any] = adapters.validate_chain  # type: ignore[attr-defined]

    def counting(*args: Any, **kwargs: Any) -> Any:
        seen.append(args[3])
        return real(*args, **kwargs)

    monkeypatch.setattr(adapters, "validate_chain", counting)
    return seen


def _authority(size: int = 4) -> tuple[adapters.PkiReaderAuthority, ValidationCache[ReaderGrant]]:
    cache: ValidationCache[ReaderGrant] = ValidationCache(size)
    return adapters.PkiReaderAuthority(PKI.reader_root.certificate, cache=cache), cache


def test_nfc_grant_is_served_from_the_cache(validations: list[datetime]) -> None:
    """VDC-PKI-026: the same chain bytes validated once give the same grant again."""
    authority, cache = _authority()
    first = authority.authorise([DOCTOR.der], TEST_NOW)
    again = authority.authorise([DOCTOR.der], TEST_NOW + timedelta(days=1))
    assert again is first
    assert validations == [TEST_NOW]
    assert len(cache) == 1


def test_nfc_cached_grant_is_refused_after_not_after(validations: list[datetime]) -> None:
    """VDC-PKI-026, VDC-PKI-021: served up to notAfter inclusive, refused one second later."""
    authority, _cache = _authority()
    authority.authorise([DOCTOR.der], TEST_NOW)
    assert authority.authorise([DOCTOR.der], NOT_AFTER).rpps == DOCTOR_RPPS
    with pytest.raises(ValidityError, match="expired at"):
        authority.authorise([DOCTOR.der], NOT_AFTER + SECOND)
    assert validations == [TEST_NOW, NOT_AFTER + SECOND]


def test_nfc_other_chain_is_not_served_from_the_cache(validations: list[datetime]) -> None:
    """VDC-PKI-026: another certificate, or the same one with a broken signature, is
    validated on its own and gets its own answer."""
    authority, _cache = _authority()
    doctor = authority.authorise([DOCTOR.der], TEST_NOW)
    nurse = authority.authorise([PKI.readers["nurse"].der], TEST_NOW)
    assert nurse.rpps != doctor.rpps
    tampered = DOCTOR.der[:-1] + bytes([DOCTOR.der[-1] ^ 1])
    with pytest.raises(SignatureError):
        authority.authorise([tampered], TEST_NOW)
    assert len(validations) == 3


def test_nfc_grant_is_not_shared_between_roots() -> None:
    """VDC-PKI-026: an authority trusting another root does not see the first one's grants."""
    cache: ValidationCache[ReaderGrant] = ValidationCache(4)
    trusted = adapters.PkiReaderAuthority(PKI.reader_root.certificate, cache=cache)
    other = adapters.PkiReaderAuthority(PKI.issuing_root.certificate, cache=cache)
    trusted.authorise([DOCTOR.der], TEST_NOW)
    with pytest.raises(PathError, match="issuer is neither trusted nor supplied"):
        other.authorise([DOCTOR.der], TEST_NOW)


def test_nfc_grant_cache_is_bounded(validations: list[datetime]) -> None:
    """VDC-PKI-027: with room for two grants, a third chain evicts the least recent one."""
    authority, cache = _authority(2)
    for name in ("doctor", "nurse", "pharmacist"):
        authority.authorise([PKI.readers[name].der], TEST_NOW)
    assert len(cache) == 2
    authority.authorise([DOCTOR.der], TEST_NOW)  # evicted: validated again
    assert len(validations) == 4


def test_nfc_grant_cache_can_be_disabled(validations: list[datetime]) -> None:
    """VDC-PKI-026: without a cache every session validates the chain."""
    authority = adapters.PkiReaderAuthority(PKI.reader_root.certificate, cache=None)
    authority.authorise([DOCTOR.der], TEST_NOW)
    authority.authorise([DOCTOR.der], TEST_NOW)
    assert len(validations) == 2
