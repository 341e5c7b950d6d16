"""What the receipt cases share: a session after its read, the check that a receipt is
filed as sent, receipt bodies built field by field (VDC-SM-040..043, VDC-NFC-131)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from conformance.adapters import IutBase
from conformance.cases import _material as m
from conformance.cases.holder._reader import Event, Holder, holder_events, provisioned
from conformance.cases.holder._scripted import OK, RECEIPT, Scripted, default_receipt, expect_sw
from conformance.outcomes import expect
from vitale_ref.apdu import encode_tlv
from vitale_ref.sm import Receipt

DOCTOR = "19999999006"
NURSE = "19999999022"
Plaintext = Callable[[Scripted], bytes]


def events(iut: IutBase) -> list[Event]:
    return holder_events(iut)


def read_done(iut: IutBase, holder: Holder | None = None) -> Scripted:
    """A session after a successful read, its events drained."""
    s = Scripted(holder or provisioned(iut)).open()
    reply = s.read([1, 2])
    expect(reply.sw == OK, "the read failed", expected="9000", got=reply.hex()[:40])
    events(iut)
    return s


def filed(iut: IutBase, s: Scripted, receipt: Receipt) -> None:
    """The honest receipt of the next exchange, sent at now + 3 s, is acknowledged and
    filed as sent: its fields, its signed bytes, the session hash and that instant."""
    plaintext = s.receipt_plaintext(receipt)
    at = m.NOW + timedelta(seconds=3)
    reply = s.protected(RECEIPT, plaintext, at=at)
    expect(
        reply.sw == OK,
        "the valid receipt sent next was refused",
        got=reply.hex()[:40],
        expected="9000 for the valid receipt",
    )
    expect(
        len(reply.data) == 16 and s.open_reply(RECEIPT, reply) == b"",
        "the acknowledgement is not the 16-byte tag of an empty plaintext",
        expected="16 bytes opening to nothing",
        got=reply.hex()[:80],
    )
    reported = events(iut)
    found = [e for e in reported if e.kind == "ReceiptFiled"]
    expect(len(found) == 1, "not exactly one receipt filed", expected="1", got=str(reported))
    wanted = (receipt.rpps, receipt.act, receipt.amount_cents, receipt.time)
    expect(
        found[0].receipt == wanted and found[0].rpps == DOCTOR,
        "the filed receipt is not the one acknowledged",
        expected=str(wanted),
        got=str(found[0]),
    )
    expect(
        (found[0].signed, found[0].session_hash, found[0].time) == (plaintext, s.transcript, at),
        "the ReceiptFiled event does not carry the signed bytes, the session hash and the "
        "instant of the command",
        expected=f"{plaintext.hex()[:24]}... {s.transcript.hex()[:16]}... {at.isoformat()}",
        got=f"{(found[0].signed or b'').hex()[:24]}... "
        f"{(found[0].session_hash or b'').hex()[:16]}... {found[0].time}",
    )


def refused_then_filed(iut: IutBase, s: Scripted, plaintext: bytes, sw: int) -> None:
    expect_sw(s.protected(RECEIPT, plaintext), sw, "a bad receipt was not refused as specified")
    reported = events(iut)
    expect(
        reported == [], "a refused receipt was filed or reported", expected="[]", got=str(reported)
    )
    filed(iut, s, default_receipt())


def tlv(tag: int, value: bytes) -> bytes:
    return encode_tlv(tag, value)


def body(
    stamp: bytes = b"20260601120000",
    rpps: bytes = DOCTOR.encode(),
    act: bytes = b"GS",
    amount: bytes = (2650).to_bytes(4, "big"),
) -> bytes:
    return tlv(0x80, stamp) + tlv(0x81, rpps) + tlv(0x82, act) + tlv(0x83, amount)


def signed_body(data: bytes, tail: bytes = b"") -> Plaintext:
    """A receipt whose body is `data` (valid or not), signed over it, followed by `tail`."""
    return lambda s: s.receipt_plaintext(body=data) + tail
