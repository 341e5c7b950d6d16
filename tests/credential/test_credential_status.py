"""The signed status list (VDC-CRED-050..054)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from vitale_ref.credential import (
    SignedStatusList,
    StatusList,
    StatusListError,
    decode_status_list,
    sign_status_list,
    verify_status_list,
)
from vitale_ref.pki import TEST_NOW, generate_test_pki

PKI = generate_test_pki("tests/credential")
WEEK = timedelta(days=7)


def _signed(status: StatusList) -> bytes:
    return sign_status_list(
        status, signer=PKI.status_signer, this_update=TEST_NOW - WEEK, next_update=TEST_NOW + WEEK
    )


def test_bit_order_and_encoding() -> None:
    """VDC-CRED-050: bit i is bit 7 - i % 8 of octet i // 8, most significant first."""
    status = StatusList.new(3, 16)
    status.revoke(0)
    status.revoke(9)
    assert bytes(status.bits) == b"\x80\x40"
    assert status.revoked_indices() == [0, 9]
    tbs = status.encode_tbs(TEST_NOW, TEST_NOW + WEEK)
    assert tbs.endswith(b"\x02\x01\x10\x03\x03\x00\x80\x40")


def test_revocation_survives_decoding_and_re_encoding() -> None:
    """VDC-CRED-054: decode then encode gives the same bytes and the same bits."""
    status = StatusList.new(1, 1024)
    for index in (0, 5, 1023):
        status.revoke(index)
    data = _signed(status)
    decoded = decode_status_list(data)
    assert decoded.status.revoked_indices() == [0, 5, 1023]
    again = decoded.status.encode_tbs(decoded.this_update, decoded.next_update)
    assert again == decoded.tbs_encoding
    assert data.startswith(b"\x30") and decoded.tbs_encoding in data
    verified = verify_status_list(data, trust_anchor=PKI.issuing_root.certificate, now=TEST_NOW)
    assert isinstance(verified, SignedStatusList)
    assert verified.is_revoked(5) and not verified.is_revoked(6)


def test_signing_is_deterministic() -> None:
    """VDC-CRED-061: the same list signs to the same bytes."""
    assert _signed(StatusList.new(1, 8)) == _signed(StatusList.new(1, 8))


@pytest.mark.parametrize(
    ("list_id", "size", "message"),
    [(1, 12, "a multiple of 8"), (1, 0, "a multiple of 8"), (-1, 8, "list id -1 out of range")],
)
def test_bad_list_parameters(list_id: int, size: int, message: str) -> None:
    with pytest.raises(StatusListError, match=message):
        StatusList.new(list_id, size)


def test_index_bounds() -> None:
    status = StatusList.new(1, 8)
    with pytest.raises(StatusListError, match="index 8 outside the list of 8 entries"):
        status.revoke(8)


def test_wrong_signer_and_stale_list() -> None:
    """VDC-CRED-051, VDC-CRED-052."""
    status = StatusList.new(1, 8)
    by_ds = sign_status_list(
        status, signer=PKI.document_signer, this_update=TEST_NOW, next_update=TEST_NOW + WEEK
    )
    root = PKI.issuing_root.certificate
    with pytest.raises(StatusListError, match="lacks STATUS_LIST_SIGNING"):
        verify_status_list(by_ds, trust_anchor=root, now=TEST_NOW)
    with pytest.raises(StatusListError, match="status list expired at"):
        verify_status_list(_signed(status), trust_anchor=root, now=TEST_NOW + 2 * WEEK)
    with pytest.raises(StatusListError, match="nextUpdate must be after thisUpdate"):
        sign_status_list(
            status, signer=PKI.status_signer, this_update=TEST_NOW, next_update=TEST_NOW
        )


def test_padding_bits_and_size_mismatch_are_refused() -> None:
    """VDC-CRED-050: the bit string holds exactly `size` bits."""
    data = bytearray(_signed(StatusList.new(1, 8)))
    index = data.index(b"\x03\x02\x00\x00")
    data[index + 2] = 0x01  # one unused bit
    with pytest.raises(StatusListError, match="must hold exactly size bits"):
        decode_status_list(bytes(data))
