"""Holder profile: protected commands a malicious reader gets wrong (VDC-SM-021..035).

After ESTABLISH SESSION every READ ELEMENTS and FILE RECEIPT must be sealed under the
reader-to-device key with the exchange counter as nonce and the command header as
additional data. A reader that sends a command unprotected, sealed with the wrong key,
counter or header, replayed from another session, or reordered gets 6988 with no data,
and the session is over. The request inside a valid seal is checked next (VDC-NFC-023).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from cryptography.hazmat.primitives import hashes

from conformance.adapters import IutBase
from conformance.cases.holder._reader import provisioned
from conformance.cases.holder._scripted import (
    OK,
    READ,
    RECEIPT,
    Reply,
    Scripted,
    apdu,
    expect_sw,
)
from conformance.catalogue import Param, Parameter, param, tc
from conformance.outcomes import expect
from vitale_ref.apdu import encode_tlv

OPS = ["holder.setup", "holder.arm", "holder.transmit"]
INTEGRITY = 0x6988
REQUEST = encode_tlv(0x5C, b"\x01\x02")
Attack = Callable[[Scripted], Reply]

R_NFC023_SM035 = ("VDC-NFC-023", "VDC-SM-035")
R_NFC030_NFC023_SM035 = ("VDC-NFC-030", "VDC-NFC-023", "VDC-SM-035")
R_SM020_SM034_SM035_NFC061 = ("VDC-SM-020", "VDC-SM-034", "VDC-SM-035", "VDC-NFC-061")
R_SM030_SM034_SM035_NFC061 = ("VDC-SM-030", "VDC-SM-034", "VDC-SM-035", "VDC-NFC-061")
R_SM031_SM034_SM035_NFC061 = ("VDC-SM-031", "VDC-SM-034", "VDC-SM-035", "VDC-NFC-061")
R_SM033_SM034_SM035_NFC061 = ("VDC-SM-033", "VDC-SM-034", "VDC-SM-035", "VDC-NFC-061")


def _unprotected(size: int | None) -> Attack:
    def send(s: Scripted) -> Reply:
        data = REQUEST if size is None else bytes(size)
        return s.send(apdu(0x80, READ, data) if data else apdu(0x80, READ))

    return send


def _sealed(**sealing: object) -> Attack:
    return lambda s: s.send(s.sealed(READ, REQUEST, **sealing))  # type: ignore[arg-type]


def _wrong_direction(s: Scripted) -> Reply:
    assert s.keys is not None
    return s.send(s.sealed(READ, REQUEST, key=s.keys.device_to_reader))


def _previous_session(s: Scripted) -> Reply:
    """A READ ELEMENTS recorded in another session of the same holder, replayed."""
    recorded = Scripted(s.holder).open().sealed(READ, REQUEST)
    s.open()  # the other session was replaced by this one, established after it
    return s.send(recorded)


def _receipt_as_read(s: Scripted) -> Reply:
    """A command sealed for FILE RECEIPT (its header as additional data) sent as READ."""
    return s.send(s.sealed(READ, REQUEST, aad=bytes([0x80, RECEIPT, 0, 0])))


def _derived(
    salt: Callable[[Scripted], bytes | None], algorithm: hashes.HashAlgorithm | None = None
) -> Attack:
    """READ ELEMENTS sealed under a reader-to-device key derived another way (VDC-SM-020)."""

    def send(s: Scripted) -> Reply:
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        from vitale_ref.sm import Fci, decode_point

        device = decode_point(Fci.decode(s.fci).device_key)
        secret = s.ephemeral.exchange(ec.ECDH(), device)
        chosen = algorithm or hashes.SHA256()
        key = HKDF(chosen, 32, salt(s), b"VDC-SM v1 reader to device").derive(secret)
        return s.send(s.sealed(READ, REQUEST, key=key))

    return send


def _aes_128(s: Scripted) -> Reply:
    assert s.keys is not None
    return s.send(s.sealed(READ, REQUEST, key=s.keys.reader_to_device[:16]))


def _attacks() -> Iterable[Param | Parameter]:
    yield param("unprotected-request", _unprotected(None), *R_SM030_SM034_SM035_NFC061)
    yield param("no-data", _unprotected(0), *R_SM030_SM034_SM035_NFC061)
    yield param("15-bytes", _unprotected(15), *R_SM030_SM034_SM035_NFC061)
    yield param("16-zero-bytes", _unprotected(16), *R_SM030_SM034_SM035_NFC061)
    yield param("counter-0", _sealed(counter=0), *R_SM031_SM034_SM035_NFC061)
    yield param("counter-2-skipped", _sealed(counter=2), *R_SM031_SM034_SM035_NFC061)
    yield param("counter-2-pow-32", _sealed(counter=2**32), *R_SM031_SM034_SM035_NFC061)
    yield param(
        "device-to-reader-key",
        _wrong_direction,
        "VDC-SM-021",
        "VDC-SM-034",
        "VDC-SM-035",
        "VDC-NFC-061",
    )
    yield param(
        "replayed-from-another-session",
        _previous_session,
        "VDC-SM-022",
        "VDC-SM-031",
        "VDC-SM-034",
        "VDC-SM-035",
        "VDC-NFC-061",
    )
    yield param("header-of-another-command", _receipt_as_read, *R_SM033_SM034_SM035_NFC061)
    yield param(
        "chaining-bit-in-aad", _sealed(aad=bytes([0x90, READ, 0, 0])), *R_SM033_SM034_SM035_NFC061
    )
    yield param("p1p2-in-aad", _sealed(aad=bytes([0x80, READ, 0, 1])), *R_SM033_SM034_SM035_NFC061)
    yield param(
        "keys-from-a-transcript-without-the-fci",
        _derived(lambda s: hashlib.sha256(s.establish_data).digest()),
        *R_SM020_SM034_SM035_NFC061,
    )
    yield param("keys-without-salt", _derived(lambda s: None), *R_SM020_SM034_SM035_NFC061)
    yield param(
        "keys-from-hkdf-sha384",
        _derived(lambda s: s.transcript, hashes.SHA384()),
        *R_SM020_SM034_SM035_NFC061,
    )
    yield param("aes-128-key", _aes_128, "VDC-SM-001", "VDC-SM-034", "VDC-SM-035", "VDC-NFC-061")


@tc(
    "TC-SM-010",
    title="A READ ELEMENTS that is not correctly protected ends the session",
    purpose="After ESTABLISH SESSION, READ ELEMENTS sent in plain, with fewer than 16 bytes "
    "or a zero tag, sealed with the exchange counter 0, 2 or 2^32 instead of 1, under the "
    "device-to-reader key, under a key derived without the FCI in the transcript, "
    "without salt or with HKDF-SHA384, with AES-128, replayed from another session, or "
    "with the header of another command (or the chaining bit, or other P1-P2) as "
    "additional data is answered 6988 with no data; the session is over, so the honest "
    "command sent next gets 6985.",
    verifies=[
        "VDC-SM-001",
        "VDC-SM-020",
        "VDC-SM-030",
        "VDC-SM-031",
        "VDC-SM-021",
        "VDC-SM-033",
        "VDC-SM-034",
        "VDC-SM-035",
        "VDC-SM-022",
        "VDC-NFC-061",
    ],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed, session established",
    expected="6988 without data, then 6985 to the honest READ ELEMENTS",
    operations=OPS,
    params=_attacks,
)
def test_wrongly_protected(iut: IutBase, param: Attack) -> None:
    s = Scripted(provisioned(iut)).open()
    expect_sw(param(s), INTEGRITY, "a wrongly protected command was not refused with 6988")
    expect_sw(s.read([1, 2]), 0x6985, "the session survived the integrity failure")


def _receipt_attacks() -> Iterable[Param | Parameter]:
    yield param(
        "counter-reused-from-read",
        {"counter": 1},
        "VDC-SM-031",
        "VDC-SM-032",
        "VDC-SM-034",
        "VDC-SM-043",
        "VDC-NFC-131",
    )
    yield param(
        "counter-3-skipped", {"counter": 3}, "VDC-SM-031", "VDC-SM-034", "VDC-SM-043", "VDC-NFC-131"
    )
    yield param("unprotected", {"plain": True}, "VDC-SM-034", "VDC-SM-043", "VDC-NFC-131")


@tc(
    "TC-SM-011",
    title="A FILE RECEIPT with a reused, skipped or missing protection ends the session",
    purpose="After the read (exchange 1) the receipt must be exchange 2: sealed with "
    "counter 1 again or with counter 3, or sent in plain, it is answered 6988 with no data, "
    "nothing is filed, and the session is over.",
    verifies=["VDC-SM-031", "VDC-SM-032", "VDC-SM-034", "VDC-SM-043", "VDC-NFC-131"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed, one read done in the session",
    expected="6988 without data, no ReceiptFiled event, then 6985 to the honest receipt",
    operations=[*OPS, "holder.events"],
    params=_receipt_attacks,
)
def test_receipt_protection(iut: IutBase, param: dict[str, object]) -> None:
    s = Scripted(provisioned(iut)).open()
    expect(s.read([2]).sw == OK, "the read failed", expected="9000")
    iut.call("holder.events", {})
    plaintext = s.receipt_plaintext()
    if param.get("plain"):
        reply = s.send(apdu(0x80, RECEIPT, plaintext))
    else:
        reply = s.send(s.sealed(RECEIPT, plaintext, counter=param["counter"]))  # type: ignore[arg-type]
    expect_sw(reply, INTEGRITY, "a wrongly protected receipt was not refused with 6988")
    events = iut.call("holder.events", {})["events"]
    expect(events == [], "a refused receipt produced an event", expected="[]", got=str(events))
    expect_sw(s.receipt(), 0x6985, "the session survived the integrity failure")


def _requests() -> Iterable[Param | Parameter]:
    yield param("no-identifier", (encode_tlv(0x5C, b""), 0x6A80), *R_NFC023_SM035)
    yield param("33-identifiers", (encode_tlv(0x5C, bytes(range(1, 34))), 0x6A80), *R_NFC023_SM035)
    yield param("32-identifiers", (encode_tlv(0x5C, bytes(range(1, 33))), OK), *R_NFC023_SM035)
    yield param("1-identifier", (encode_tlv(0x5C, b"\x02"), OK), *R_NFC023_SM035)
    yield param("duplicate", (encode_tlv(0x5C, b"\x01\x02\x01"), 0x6A80), *R_NFC023_SM035)
    yield param("identifier-0", (encode_tlv(0x5C, b"\x00\x01"), 0x6A80), *R_NFC023_SM035)
    yield param("identifier-128", (encode_tlv(0x5C, b"\x01\x80"), 0x6A80), *R_NFC023_SM035)
    yield param(
        "identifier-127-unknown",
        (encode_tlv(0x5C, b"\x7f"), 0x6A88),
        "VDC-NFC-023",
        "VDC-NFC-114",
        "VDC-SM-035",
    )
    yield param("identifier-127-and-1", (encode_tlv(0x5C, b"\x7f\x01"), OK), *R_NFC023_SM035)
    yield param("other-tag", (encode_tlv(0x5D, b"\x01"), 0x6A80), *R_NFC030_NFC023_SM035)
    yield param(
        "trailing-byte", (encode_tlv(0x5C, b"\x01") + b"\x00", 0x6A80), *R_NFC030_NFC023_SM035
    )
    yield param(
        "second-tlv",
        (encode_tlv(0x5C, b"\x01") + encode_tlv(0x5C, b"\x02"), 0x6A80),
        *R_NFC030_NFC023_SM035,
    )
    yield param("long-form-length", (b"\x5c\x81\x01\x01", 0x6A80), *R_NFC030_NFC023_SM035)
    yield param("length-beyond-data", (b"\x5c\x05\x01", 0x6A80), *R_NFC030_NFC023_SM035)
    yield param("empty-plaintext", (b"", 0x6A80), *R_NFC030_NFC023_SM035)


@tc(
    "TC-NFC-023",
    title="The READ ELEMENTS request is refused outside 1 to 32 distinct identifiers in 1..127",
    purpose="Inside a valid seal, the request must be one TLV 5C of 1 to 32 distinct "
    "identifiers in 1..127 in strict BER-TLV: none, 33, a duplicate, 0, 128, another tag, "
    "extra bytes or a non-minimal or lying length get 6A80 with no data; 1 and 32 "
    "identifiers are answered, and identifier 127, unknown to the credential, is ignored.",
    verifies=["VDC-NFC-023", "VDC-NFC-030", "VDC-NFC-114", "VDC-SM-035"],
    profile="holder",
    kind="boundary",
    preconditions="holder provisioned and armed, session established by the doctor reader",
    expected="6A80 without data for each malformed request; 9000 for 1 and 32 "
    "identifiers; 6A88 for identifier 127 alone",
    operations=OPS,
    params=_requests,
)
def test_request_bounds(iut: IutBase, param: tuple[bytes, int]) -> None:
    plaintext, sw = param
    s = Scripted(provisioned(iut)).open()
    reply = s.protected(READ, plaintext)
    expect_sw(reply, sw, "READ ELEMENTS request not answered as specified")
    if sw == OK:
        expect(
            s.open_reply(READ, reply) is not None,
            "the answer is not sealed for its exchange",
            expected="sealed with counter 1",
            got=reply.hex()[:80],
        )
