"""Key schedule, signatures, secure channel and message codecs.

Verifies VDC-SM-002, 003, 004, 005, 020, 021, 022, 031, 033, 036, 040 and VDC-NFC-022.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tools.vectorgen.nfc_script import Script
from vitale_ref.apdu import AID, INS
from vitale_ref.randomness import p256_private_key, seeded_random
from vitale_ref.sm import (
    Fci,
    Receipt,
    SecureChannel,
    SessionKeys,
    SmError,
    SmIntegrityError,
    decode_point,
    derive_keys,
    encode_point,
    sign,
    verify,
)
from vitale_ref.sm._channel import MAX_COUNTER

KEY_A = p256_private_key(seeded_random("test/sm/a"))
KEY_B = p256_private_key(seeded_random("test/sm/b"))
HEADER = bytes([0x80, INS.READ, 0, 0])


def test_nfc_sm_point_encoding() -> None:
    """VDC-SM-002: 65-byte uncompressed points only, on the curve."""
    point = encode_point(KEY_A.public_key())
    assert len(point) == 65 and point[0] == 4
    assert decode_point(point) == KEY_A.public_key()
    for bad, message in [
        (point[:64], "not a 65-byte uncompressed P-256 point"),
        (b"\x02" + point[1:], "not a 65-byte uncompressed P-256 point"),
        (point[:-1] + bytes([point[-1] ^ 1]), "not a point of P-256"),
    ]:
        with pytest.raises(SmError, match=message):
            decode_point(bad)


def test_nfc_sm_signatures() -> None:
    """VDC-SM-004, VDC-SM-005: r || s on 64 bytes, deterministic, zero values refused."""
    first = sign(KEY_A, b"label", b"message")
    assert len(first) == 64 and first == sign(KEY_A, b"label", b"message")
    assert verify(KEY_A.public_key(), first, b"label", b"message")
    assert not verify(KEY_A.public_key(), first, b"other", b"message")
    assert not verify(KEY_B.public_key(), first, b"label", b"message")
    assert not verify(KEY_A.public_key(), first[:63], b"label", b"message")
    assert not verify(KEY_A.public_key(), bytes(32) + first[32:], b"label", b"message")


def test_nfc_sm_key_schedule() -> None:
    """VDC-SM-020, VDC-SM-021: both sides derive the same two keys, distinct per direction."""
    transcript = bytes(range(32))
    one = derive_keys(KEY_A, KEY_B.public_key(), transcript)
    other = derive_keys(KEY_B, KEY_A.public_key(), transcript)
    assert one == other
    assert one.reader_to_device != one.device_to_reader
    assert derive_keys(KEY_A, KEY_B.public_key(), bytes(32)) != one
    assert SessionKeys.from_hex(one.to_hex()) == one
    with pytest.raises(SmError, match="two 32-byte keys written RD:DR"):
        SessionKeys.from_hex("00:11")
    with pytest.raises(SmError, match="session keys must be hexadecimal"):
        SessionKeys.from_hex("zz:11")


def test_nfc_sm_channel_counters_and_aad() -> None:
    """VDC-SM-031, VDC-SM-033, VDC-SM-036: counter in the nonce, header bound, limit."""
    keys = derive_keys(KEY_A, KEY_B.public_key(), bytes(32))
    reader, holder = SecureChannel(keys), SecureChannel(keys)
    first = reader.seal_command(HEADER, b"one")
    reader.advance()
    second = reader.seal_command(HEADER, b"two")
    with pytest.raises(SmIntegrityError, match="command authentication failed"):
        holder.open_command(HEADER, second)  # reordered
    assert holder.open_command(bytes([0x90]) + HEADER[1:], first) == b"one"  # chaining bit
    holder.advance()
    with pytest.raises(SmIntegrityError):
        holder.open_command(HEADER, first)  # replayed
    with pytest.raises(SmIntegrityError):
        holder.open_command(bytes([0x80, INS.RECEIPT, 0, 0]), second)  # other header
    assert holder.open_command(HEADER, second) == b"two"
    answer = holder.seal_response(HEADER, b"")
    assert len(answer) == 16 and reader.open_response(HEADER, answer) == b""
    with pytest.raises(SmIntegrityError, match="protected data shorter than the tag"):
        holder.open_command(HEADER, bytes(15))
    holder.counter = MAX_COUNTER
    with pytest.raises(SmIntegrityError, match="exchange counter exhausted"):
        holder.open_command(HEADER, second)


def test_nfc_sm_fci_codec() -> None:
    """VDC-NFC-022: the FCI round-trips and refuses another AID or extra tags."""
    fci = Fci(versions=(1,), device_key=encode_point(KEY_A.public_key()))
    encoded = fci.encode()
    assert Fci.decode(encoded) == fci
    assert encoded[4:11] == AID
    with pytest.raises(SmError, match="FCI names another application"):
        Fci.decode(encoded.replace(AID, bytes(7)))
    with pytest.raises(SmError, match="expected tags"):
        Fci.decode(encoded + b"\x90\x00")


def test_nfc_sm_receipt_fields() -> None:
    """VDC-SM-040: receipt fields are checked and round-trip."""
    when = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    receipt = Receipt(time=when, rpps="19999999006", act="G", amount_cents=3000)
    assert Receipt.decode(receipt.encode()) == receipt
    cases: list[tuple[dict[str, object], str]] = [
        ({"rpps": "123"}, "receipt RPPS must be 11 digits"),
        ({"act": ""}, "act code must be 1 to 16 printable ASCII characters"),
        ({"amount_cents": -1}, "receipt amount out of range"),
        ({"time": datetime(2026, 6, 1)}, "receipt time must be timezone-aware"),
    ]
    for kwargs, message in cases:
        fields = {"time": when, "rpps": "19999999006", "act": "G", "amount_cents": 1, **kwargs}
        with pytest.raises(SmError, match=message):
            Receipt(**fields)  # type: ignore[arg-type]


def test_nfc_sm_fresh_keys_and_erasure(script: Script) -> None:
    """VDC-SM-003, VDC-SM-022: each SELECT gives a new key; a failed session is erased."""
    first, second = script.select(), script.select()
    assert Fci.decode(first).device_key != Fci.decode(second).device_key
    hs = script.establish()
    script.apdu(0x80, INS.READ, bytes(20), ne=256)
    assert script.exchanges[-1]["response"] == "6988"
    assert script.read(hs, [1]).sw == 0x6985
