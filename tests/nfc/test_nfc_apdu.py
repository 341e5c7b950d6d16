"""APDU codec, BER-TLV and status words (VDC-NFC-010, 011, 012, 013, 030, 040)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vitale_ref.apdu import (
    SW,
    ApduError,
    CommandApdu,
    ResponseApdu,
    TlvError,
    encode_tlv,
    expect_tags,
    parse_tlvs,
    sw_meaning,
)

CASES = [
    ("00a40400", None, b"", False, "case 1"),
    ("00c0000000", 256, b"", False, "case 2S, Le 00 is 256"),
    ("00c0000010", 16, b"", False, "case 2S"),
    ("80860000020102", None, b"\x01\x02", False, "case 3S"),
    ("80cb000002010200", 256, b"\x01\x02", False, "case 4S, Le 00"),
    ("00c00000000000", 65536, b"", True, "case 2E, Le 0000 is 65536"),
    ("00c00000000100", 256, b"", True, "case 2E"),
    ("80860000000002aabb", None, b"\xaa\xbb", True, "case 3E"),
    ("80cb0000000002aabb0000", 65536, b"\xaa\xbb", True, "case 4E"),
]


@pytest.mark.parametrize(("raw", "ne", "data", "extended", "comment"), CASES)
def test_nfc_apdu_cases_parse_and_round_trip(
    raw: str, ne: int | None, data: bytes, extended: bool, comment: str
) -> None:
    """VDC-NFC-010, VDC-NFC-011: each case decodes to its fields and re-encodes identically."""
    apdu = CommandApdu.parse(bytes.fromhex(raw))
    assert (apdu.ne, apdu.data, apdu.extended) == (ne, data, extended), comment
    assert apdu.to_bytes().hex() == raw


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("00a404", "C-APDU of 3 bytes is shorter than its header"),
        ("00a4040007f05649", "short Lc 7 does not match a body of 4 bytes"),
        ("00a40400020102030405", "short Lc 2 does not match a body of 6 bytes"),
        ("00a404000000", "extended length field truncated (2 bytes)"),
        ("00a40400000000aa", "extended Lc of zero"),
        ("00a4040000000301", "extended Lc 3 does not match a body of 4 bytes"),
    ],
)
def test_nfc_apdu_malformed_lengths_are_6700(raw: str, message: str) -> None:
    """VDC-NFC-010: every inconsistent body is ApduError with SW 6700."""
    with pytest.raises(ApduError, match=re.escape(message)) as err:
        CommandApdu.parse(bytes.fromhex(raw))
    assert err.value.sw == SW.WRONG_LENGTH


def test_nfc_apdu_short_form_limits() -> None:
    """VDC-NFC-012: the short form refuses Nc > 255 and Ne > 256; extended accepts them."""
    with pytest.raises(ApduError, match="Nc 256 exceeds 255"):
        CommandApdu(cla=0x80, ins=0xCB, p1=0, p2=0, data=bytes(256))
    with pytest.raises(ApduError, match=r"Ne 257 outside 1\.\.256"):
        CommandApdu(cla=0x80, ins=0xCB, p1=0, p2=0, ne=257)
    long = CommandApdu(cla=0x80, ins=0xCB, p1=0, p2=0, data=bytes(300), ne=300, extended=True)
    assert CommandApdu.parse(long.to_bytes()) == long


@given(
    data=st.binary(max_size=600),
    ne=st.one_of(st.none(), st.integers(1, 65536)),
    extended=st.booleans(),
)
def test_nfc_apdu_round_trip_property(data: bytes, ne: int | None, extended: bool) -> None:
    """VDC-NFC-010: build then parse is the identity for every encodable command."""
    if not extended and (len(data) > 255 or (ne or 0) > 256):
        extended = True
    apdu = CommandApdu(cla=0x80, ins=0xCB, p1=1, p2=2, data=data, ne=ne, extended=extended)
    parsed = CommandApdu.parse(apdu.to_bytes())
    assert (parsed.data, parsed.ne) == (data, ne)


@given(st.binary(max_size=40))
def test_nfc_apdu_parse_junk_is_typed(raw: bytes) -> None:
    """VDC-NFC-010: junk either parses or raises ApduError with 6700, nothing else."""
    try:
        apdu = CommandApdu.parse(raw)
    except ApduError as error:
        assert error.sw == SW.WRONG_LENGTH
    else:
        assert apdu.to_bytes() == raw or apdu.extended or raw[4:5] == b"\x00"


def test_nfc_apdu_response_parse() -> None:
    """VDC-NFC-013: data then SW1 SW2; fewer than two bytes is refused."""
    reply = ResponseApdu.parse(bytes.fromhex("0102611a"))
    assert (reply.data, reply.sw, reply.sw1, reply.sw2) == (b"\x01\x02", 0x611A, 0x61, 0x1A)
    with pytest.raises(ApduError, match="R-APDU of 1 bytes has no status word"):
        ResponseApdu.parse(b"\x90")


def test_nfc_tlv_strict() -> None:
    """VDC-NFC-030: minimal lengths, two-byte tags at most, no trailing bytes."""
    assert parse_tlvs(encode_tlv(0x5C, b"\x01\x02") + encode_tlv(0x7F21, bytes(200))) == [
        (0x5C, b"\x01\x02"),
        (0x7F21, bytes(200)),
    ]
    assert encode_tlv(0x53, bytes(300))[:4] == bytes.fromhex("53820 12c".replace(" ", ""))
    for raw, message in [
        ("5c8101aa", "non-minimal length encoding"),
        ("5c03aabb", "TLV 5C declares 3 bytes, 2 remain"),
        ("5c830000 01aa", "length field must be 1 to 3 bytes"),
        ("5f", "truncated tag"),
        ("5f8101", "tags longer than two bytes or non-minimal tags are refused"),
    ]:
        with pytest.raises(TlvError, match=message):
            parse_tlvs(bytes.fromhex(raw.replace(" ", "")))
    with pytest.raises(TlvError, match=r"expected tags \[80 81\], got \[81 80\]"):
        expect_tags(encode_tlv(0x81, b"") + encode_tlv(0x80, b""), (0x80, 0x81))


def test_nfc_status_word_meanings() -> None:
    """VDC-NFC-040: every SW of the table has a meaning; 61XX and 6CXX are explained."""
    assert sw_meaning(0x6988) == "secure messaging integrity failure; session ended"
    assert sw_meaning(0x6110) == "16 more response bytes: send GET RESPONSE"
    assert sw_meaning(0x6100) == "256 more response bytes: send GET RESPONSE"
    assert sw_meaning(0x6C57) == "wrong Le: resend with Le = 87"
    assert sw_meaning(0x6A81) == "protocol version not offered by the holder"
    assert sw_meaning(0x6A83) == "unknown status word"
    assert all(sw_meaning(sw) != "unknown status word" for sw in SW)
