"""The receipt time's fixed-width reading agrees with strptime (VDC-SM-040)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from vitale_ref.sm._messages import _TIME_FORMAT, _receipt_time


def _reference(text: str) -> datetime | str:
    try:
        return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError as error:
        return str(error)


def _ours(text: str) -> datetime | str:
    try:
        return _receipt_time(text)
    except ValueError as error:
        return str(error)


@given(st.text(alphabet="0123456789", min_size=14, max_size=14))
def test_nfc_receipt_time_digits_match_strptime(text: str) -> None:
    """VDC-SM-040: the same time, or the same error message, for any fourteen digits."""
    assert _ours(text) == _reference(text)


@given(st.text(alphabet="0123456789 +-:", min_size=12, max_size=16))
def test_nfc_receipt_time_other_text_matches_strptime(text: str) -> None:
    """VDC-SM-040: text that is not fourteen digits takes strptime's own path."""
    assert _ours(text) == _reference(text)
