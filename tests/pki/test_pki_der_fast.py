"""The DER reader's fast paths accept and decode exactly what its full checks do (VDC-CRED-030)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vitale_ref.pki import der

# Mostly well-formed prefixes with a random tail, so both paths are exercised.
HEADS = st.sampled_from([b"", b"\x30", b"\x04\x81", b"\x04\x82", b"\x04\x82\x00", b"\x1f"])


@given(head=HEADS, tail=st.binary(max_size=300))
def test_pki_der_fast_tlv_agrees_with_full_checks(head: bytes, tail: bytes) -> None:
    """VDC-CRED-030: whenever the fast path decodes, the full path decodes the same."""
    data = head + tail
    fast = der._fast_tlv(data, 0)
    try:
        full = der._read_tlv_checked(data, 0, "v")
    except der.DerError:
        assert fast is None
        return
    assert fast is None or fast == full


@given(content=st.binary(max_size=300), tag=st.sampled_from([0x04, 0x30, 0x0C]))
def test_pki_der_fast_tlv_decodes_every_length_form(content: bytes, tag: int) -> None:
    """VDC-CRED-030: short, one-byte and two-byte length forms take the fast path."""
    encoded = der.tlv(tag, content)
    assert der._fast_tlv(encoded, 0) == (der.Tlv(tag, content, encoded), len(encoded))


@given(
    digits=st.text(alphabet="0123456789", min_size=14, max_size=14),
)
def test_pki_der_parse_time_agrees_with_strptime(digits: str) -> None:
    """VDC-CRED-030: fixed-width slicing accepts exactly the calendar times strptime does."""
    text = digits + "Z"
    tlv = der.Tlv(der.GENERALIZED_TIME, text.encode(), b"")
    try:
        expected = datetime.strptime(text, "%Y%m%d%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        with pytest.raises(der.DerError, match=f"^t: {text} is not a calendar time$"):
            der.parse_time(tlv, "t")
        return
    assert der.parse_time(tlv, "t") == expected


@pytest.mark.parametrize(
    "text",
    [
        "20260230000000Z",
        "20261301000000Z",
        "20260101240000Z",
        "20260101006000Z",
        "20260101000060Z",
        "00000101000000Z",
        "20240229235959Z",
    ],
)
def test_pki_der_parse_time_edges(text: str) -> None:
    """VDC-CRED-030: the edge dates give the same result on both decoders."""
    tlv = der.Tlv(der.GENERALIZED_TIME, text.encode(), b"")
    try:
        expected = datetime.strptime(text, "%Y%m%d%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        with pytest.raises(der.DerError, match=r"is not a calendar time$"):
            der.parse_time(tlv, "t")
        return
    assert der.parse_time(tlv, "t") == expected


@given(value=st.integers(-(2**70), 2**70))
def test_pki_der_integer_writer_is_minimal_for_every_value(value: int) -> None:
    """VDC-CRED-030: the writer's one-byte shortcut gives what the general rule gives."""
    size = max(1, (value + (value < 0)).bit_length() // 8 + 1)
    assert der.integer(value) == der.tlv(der.INTEGER, value.to_bytes(size, "big", signed=True))
    assert der.parse_integer(der.decode_one(der.integer(value)), "n", -(2**71), 2**71) == value


@given(moment=st.datetimes(timezones=st.just(UTC)))
def test_pki_der_time_writer_matches_strftime(moment: datetime) -> None:
    """VDC-CRED-030: GeneralizedTime is written as strftime writes it, for every year."""
    expected = moment.strftime("%Y%m%d%H%M%SZ").encode("ascii")
    assert der.time(moment) == der.tlv(der.GENERALIZED_TIME, expected)
