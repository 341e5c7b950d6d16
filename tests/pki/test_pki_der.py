"""The strict DER reader and writer shared by PKI and credential (VDC-CRED-030)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vitale_ref.pki import der


def _tlv(hex_value: str) -> der.Tlv:
    return der.decode_one(bytes.fromhex(hex_value))


@pytest.mark.parametrize("value", [0, 1, 127, 128, 255, 256, -1, -128, -129, 2**31, 2**63 - 1])
def test_integer_round_trip(value: int) -> None:
    encoded = der.integer(value)
    assert der.parse_integer(der.decode_one(encoded), "n", -(2**63), 2**63) == value


@pytest.mark.parametrize(
    ("hex_value", "error", "message"),
    [
        ("020100" + "", None, None),
        ("02020001", der.DerError, "not in its shortest form"),
        ("0202ff80", der.DerError, "not in its shortest form"),
        ("0200", der.DerError, "empty INTEGER"),
        ("020a01000000000000000000", der.ConstraintError, "10 bytes is out of range"),
        ("020105", der.ConstraintError, "5 is outside 0..4"),
    ],
)
def test_integer_strictness(
    hex_value: str, error: type[Exception] | None, message: str | None
) -> None:
    if error is None:
        assert der.parse_integer(_tlv(hex_value), "n", 0, 4) == 0
        return
    with pytest.raises(error, match=message):
        der.parse_integer(_tlv(hex_value), "n", 0, 4)


def test_lengths() -> None:
    assert der.tlv(0x04, b"\x00" * 200)[:3] == b"\x04\x81\xc8"
    assert der.tlv(0x04, b"\x00" * 300)[:4] == b"\x04\x82\x01\x2c"
    with pytest.raises(der.DerError, match="long-form length where the short"):
        der.decode_one(b"\x04\x81\x01\x00")
    with pytest.raises(der.DerError, match="long-form length where the short"):
        der.decode_one(b"\x04\x82\x00\xc8" + b"\x00" * 200)


def test_oid_round_trip_and_strictness() -> None:
    dotted = "2.25.211403634898987692493873858505084073045.2.3"
    assert der.parse_oid(der.decode_one(der.oid(dotted)), "oid") == dotted
    assert der.oid("1.2.840.10045.4.3.2").hex() == "06082a8648ce3d040302"
    with pytest.raises(der.DerError, match="not in its shortest form"):
        der.parse_oid(_tlv("0603808001"), "oid")
    with pytest.raises(der.DerError, match="malformed OBJECT IDENTIFIER"):
        der.parse_oid(_tlv("06022a86"), "oid")


def test_bit_string_padding() -> None:
    assert der.parse_bits(_tlv("03020780"), "b") == (b"\x80", 7)
    with pytest.raises(der.DerError, match="padding bits are not zero"):
        der.parse_bits(_tlv("03020781"), "b")
    with pytest.raises(der.DerError, match="malformed BIT STRING"):
        der.parse_bits(_tlv("030101"), "b")


def test_time() -> None:
    moment = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    assert der.parse_time(der.decode_one(der.time(moment)), "t") == moment
    for bad in (
        b"20260601120000.0Z",
        b"20260601120000+0100",
        b"20261301120000Z",
        b"2026060112000Z",
    ):
        with pytest.raises(der.DerError):
            der.parse_time(der.decode_one(der.tlv(0x18, bad)), "t")


def test_strings() -> None:
    assert der.parse_utf8(_tlv("0c03c3a97a"), "s", 1, 2) == "éz"
    with pytest.raises(der.DerError, match="invalid UTF-8"):
        der.parse_utf8(_tlv("0c02c328"), "s", 1, 2)
    with pytest.raises(der.ConstraintError, match="expected 2 decimal digits"):
        der.parse_numeric(_tlv("1202 3a31".replace(" ", "")), "n", 2, 2)
    with pytest.raises(der.ConstraintError, match="PrintableString"):
        der.parse_printable(_tlv("13022a2a"), "p", 2, 2)


@given(st.binary(max_size=64))
def test_reader_never_raises_anything_else(data: bytes) -> None:
    """Any input decodes or raises DerError."""
    try:
        tlv = der.decode_one(data)
        if tlv.constructed:
            reader = der.Reader(tlv, "x")
            while not reader.at_end():
                reader.read(reader.peek_tag() or 0, "item")
    except der.DerError:
        pass
