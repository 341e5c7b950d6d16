"""Holder profile: billing receipts and the events the holder app records (VDC-SM-04x,
VDC-NFC-130, VDC-NFC-131)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from conformance.adapters import IutBase
from conformance.cases import _material as m
from conformance.cases.holder._reader import (
    Event,
    Holder,
    holder_events,
    provisioned,
    read_fails_with,
)
from conformance.cases.holder._scripted import (
    OK,
    READ,
    RECEIPT,
    Scripted,
    expect_sw,
    reader_keys,
)
from conformance.catalogue import Param, Parameter, param, tc
from conformance.outcomes import expect
from vitale_ref.apdu import encode_tlv
from vitale_ref.reader import ReaderError
from vitale_ref.sm import LABEL_READER_AUTH, LABEL_RECEIPT, Receipt, receipt_message, sign

OPS = ["holder.setup", "holder.arm", "holder.transmit", "holder.events"]
DOCTOR = "19999999006"
NURSE = "19999999022"


def _receipt(rpps: str = DOCTOR) -> Receipt:
    return Receipt(time=m.NOW, rpps=rpps, act="GS", amount_cents=2650)


@tc(
    "TC-SM-005",
    title="A signed receipt of the reading practitioner is acknowledged and filed",
    purpose="After the read, FILE RECEIPT with the reader's signature is acknowledged; the "
    "holder reports the presentation and the receipt as events for its history.",
    verifies=[
        "VDC-SM-040",
        "VDC-SM-042",
        "VDC-SM-043",
        "VDC-NFC-130",
        "VDC-NFC-131",
        "VDC-SM-032",
        "VDC-HARN-009",
    ],
    profile="holder",
    kind="positive",
    preconditions="holder provisioned and armed",
    expected="receipt acknowledged; events Presented (doctor, [1, 2]) then ReceiptFiled",
    operations=OPS,
)
def test_receipt_filed(iut: IutBase) -> None:
    holder = provisioned(iut)
    iut.call("holder.events", {})
    try:
        result = holder.read([1, 2], receipt=_receipt())
    except ReaderError as error:
        expect(False, f"read with receipt failed: {error}", expected="acknowledged", got=str(error))
        return
    expect(
        result.receipt_acknowledged,
        "FILE RECEIPT status word: the receipt was not acknowledged (VDC-SM-042)",
        expected="9000 with a sealed empty plaintext",
        got="no acknowledgement",
    )
    events = _events(iut)
    kinds = [event.kind for event in events]
    expect(
        kinds == ["Presented", "ReceiptFiled"],
        "holder.events events[].type: the read and the receipt are not both reported "
        "(holder-event form: type, readerRpps, elements, at)",
        expected="['Presented', 'ReceiptFiled']",
        got=str(kinds),
    )
    presented, filed = events
    expect(
        presented.rpps == DOCTOR and presented.elements == (1, 2),
        "holder.events events[0].readerRpps and .elements: the Presented event names "
        "another reader or other elements (VDC-NFC-130)",
        expected=f"readerRpps {DOCTOR}, elements [1, 2]",
        got=f"readerRpps {presented.rpps}, elements {list(presented.elements)}",
    )
    expect(
        filed.rpps == DOCTOR
        and filed.receipt is not None
        and filed.receipt[:3] == (DOCTOR, "GS", 2650),
        "holder.events events[1].readerRpps and .receipt (practitionerRpps, act, "
        "amountCents): the ReceiptFiled event does not carry the receipt filed (VDC-NFC-131)",
        expected=f"readerRpps {DOCTOR}; receipt {DOCTOR}, GS, 2650",
        got=f"readerRpps {filed.rpps}; receipt {filed.receipt}",
    )


@tc(
    "TC-SM-006",
    title="A receipt for another practitioner is refused and not filed",
    purpose="A receipt whose RPPS is not the authenticated reader's is refused with 6A80 "
    "and produces no ReceiptFiled event.",
    verifies=["VDC-SM-041", "VDC-SM-043"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed",
    expected="6A80 on FILE RECEIPT, no ReceiptFiled event",
    operations=OPS,
)
def test_receipt_other_rpps(iut: IutBase) -> None:
    holder = provisioned(iut)
    read_fails_with(holder, 0x6A80, [2], receipt=_receipt(NURSE))
    kinds = [event.kind for event in _events(iut)]
    expect(
        "ReceiptFiled" not in kinds,
        "a refused receipt was filed",
        expected="no ReceiptFiled",
        got=str(kinds),
    )


# -- a malicious reader's receipts ---------------------------------------------------------
def _events(iut: IutBase) -> list[Event]:
    return holder_events(iut)


def _read_done(iut: IutBase, holder: Holder | None = None) -> Scripted:
    """A session after a successful read, its events drained."""
    s = Scripted(holder or provisioned(iut)).open()
    reply = s.read([1, 2])
    expect(reply.sw == OK, "the read failed", expected="9000", got=reply.hex()[:40])
    _events(iut)
    return s


def _filed(iut: IutBase, s: Scripted, receipt: Receipt) -> None:
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
    events = _events(iut)
    filed = [e for e in events if e.kind == "ReceiptFiled"]
    expect(len(filed) == 1, "not exactly one receipt filed", expected="1", got=str(events))
    wanted = (receipt.rpps, receipt.act, receipt.amount_cents, receipt.time)
    expect(
        filed[0].receipt == wanted and filed[0].rpps == DOCTOR,
        "the filed receipt is not the one acknowledged",
        expected=str(wanted),
        got=str(filed[0]),
    )
    expect(
        (filed[0].signed, filed[0].session_hash, filed[0].time) == (plaintext, s.transcript, at),
        "the ReceiptFiled event does not carry the signed bytes, the session hash and the "
        "instant of the command",
        expected=f"{plaintext.hex()[:24]}... {s.transcript.hex()[:16]}... {at.isoformat()}",
        got=f"{(filed[0].signed or b'').hex()[:24]}... "
        f"{(filed[0].session_hash or b'').hex()[:16]}... {filed[0].time}",
    )


def _refused_then_filed(iut: IutBase, s: Scripted, plaintext: bytes, sw: int) -> None:
    expect_sw(s.protected(RECEIPT, plaintext), sw, "a bad receipt was not refused as specified")
    events = _events(iut)
    expect(events == [], "a refused receipt was filed or reported", expected="[]", got=str(events))
    _filed(iut, s, _receipt())


def _tlv(tag: int, value: bytes) -> bytes:
    return encode_tlv(tag, value)


def _body(
    stamp: bytes = b"20260601120000",
    rpps: bytes = DOCTOR.encode(),
    act: bytes = b"GS",
    amount: bytes = (2650).to_bytes(4, "big"),
) -> bytes:
    return _tlv(0x80, stamp) + _tlv(0x81, rpps) + _tlv(0x82, act) + _tlv(0x83, amount)


Plaintext = Callable[[Scripted], bytes]


def _signed_body(body: bytes, tail: bytes = b"") -> Plaintext:
    return lambda s: s.receipt_plaintext(body=body) + tail


def _malformed() -> Iterable[Param | Parameter]:
    good = _body()
    yield param(
        "tags-reordered",
        _signed_body(good[16:29] + good[:16] + good[29:]),
        "VDC-SM-041",
        "VDC-SM-043",
        "VDC-NFC-030",
        "VDC-NFC-131",
        "VDC-SM-032",
    )
    yield param(
        "date-13-characters",
        _signed_body(_body(stamp=b"2026060112000")),
        "VDC-SM-041",
        "VDC-SM-043",
        "VDC-NFC-131",
        "VDC-SM-032",
    )
    yield param(
        "date-15-characters",
        _signed_body(_body(stamp=b"202606011200000")),
        "VDC-SM-041",
        "VDC-SM-043",
        "VDC-NFC-131",
        "VDC-SM-032",
    )
    yield param(
        "date-not-digits",
        _signed_body(_body(stamp=b"2026060112000Z")),
        "VDC-SM-041",
        "VDC-SM-043",
        "VDC-NFC-131",
        "VDC-SM-032",
    )
    yield param(
        "date-month-13",
        _signed_body(_body(stamp=b"20261301120000")),
        "VDC-SM-041",
        "VDC-SM-043",
        "VDC-NFC-131",
        "VDC-SM-032",
    )
    yield param(
        "rpps-10-digits",
        _signed_body(_body(rpps=b"1999999900")),
        "VDC-SM-041",
        "VDC-SM-043",
        "VDC-NFC-131",
        "VDC-SM-032",
    )
    yield param(
        "rpps-12-digits",
        _signed_body(_body(rpps=b"199999990060")),
        "VDC-SM-041",
        "VDC-SM-043",
        "VDC-NFC-131",
        "VDC-SM-032",
    )
    yield param(
        "rpps-letters",
        _signed_body(_body(rpps=b"1999999900A")),
        "VDC-SM-041",
        "VDC-SM-043",
        "VDC-NFC-131",
        "VDC-SM-032",
    )
    yield param(
        "act-empty",
        _signed_body(_body(act=b"")),
        "VDC-SM-041",
        "VDC-SM-043",
        "VDC-NFC-131",
        "VDC-SM-032",
    )
    yield param(
        "act-17-characters",
        _signed_body(_body(act=b"A" * 17)),
        "VDC-SM-041",
        "VDC-SM-043",
        "VDC-NFC-131",
        "VDC-SM-032",
    )
    yield param(
        "act-not-printable",
        _signed_body(_body(act=b"G\x07")),
        "VDC-SM-041",
        "VDC-SM-043",
        "VDC-NFC-131",
        "VDC-SM-032",
    )
    yield param(
        "amount-3-bytes",
        _signed_body(_body(amount=b"\x00\x0a\x5a")),
        "VDC-SM-041",
        "VDC-SM-043",
        "VDC-NFC-131",
        "VDC-SM-032",
    )
    yield param(
        "amount-5-bytes",
        _signed_body(_body(amount=b"\x00\x00\x00\x0a\x5a")),
        "VDC-SM-041",
        "VDC-SM-043",
        "VDC-NFC-131",
        "VDC-SM-032",
    )
    yield param(
        "extra-tlv-in-body",
        _signed_body(good + _tlv(0x84, b"\x00")),
        "VDC-SM-041",
        "VDC-SM-043",
        "VDC-NFC-030",
        "VDC-NFC-131",
        "VDC-SM-032",
    )
    yield param(
        "tlv-after-signature",
        _signed_body(good, _tlv(0x84, b"\x00")),
        "VDC-SM-041",
        "VDC-SM-043",
        "VDC-NFC-030",
        "VDC-NFC-131",
        "VDC-SM-032",
    )
    yield param(
        "other-template-tag",
        lambda s: b"\x71" + s.receipt_plaintext()[1:],
        "VDC-SM-041",
        "VDC-SM-043",
        "VDC-NFC-030",
        "VDC-NFC-131",
        "VDC-SM-032",
    )
    yield param(
        "signature-missing",
        lambda s: _tlv(0x70, good),
        "VDC-SM-041",
        "VDC-SM-043",
        "VDC-NFC-131",
        "VDC-SM-032",
    )
    yield param(
        "signature-63-bytes",
        lambda s: _tlv(0x70, good) + _tlv(0x9E, bytes(63)),
        "VDC-SM-041",
        "VDC-SM-043",
        "VDC-NFC-131",
        "VDC-SM-032",
    )


@tc(
    "TC-SM-016",
    title="A malformed receipt is refused with 6A80 and not filed; the session stays READ-DONE",
    purpose="Receipts validly signed by the reader but with fields out of order, a date of "
    "13 or 15 characters, not digits or not a date, an RPPS of 10 or 12 characters or with "
    "a letter, an act code empty, of 17 characters or not printable, an amount of 3 or 5 "
    "bytes, an extra TLV, another template tag or a missing or short signature get 6A80 "
    "with no data and nothing filed; the valid receipt of the next exchange is then "
    "acknowledged and filed once.",
    verifies=["VDC-SM-041", "VDC-SM-043", "VDC-NFC-030", "VDC-NFC-131", "VDC-SM-032"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed, one read done in the session",
    expected="6A80 without data and no event; then 9000 and one ReceiptFiled",
    operations=OPS,
    params=_malformed,
)
def test_malformed_receipt(iut: IutBase, param: Plaintext) -> None:
    s = _read_done(iut)
    _refused_then_filed(iut, s, param(s), 0x6A80)


def _edges() -> Iterable[Param | Parameter]:
    yield "act-1-character", Receipt(time=m.NOW, rpps=DOCTOR, act="G", amount_cents=2650)
    yield "act-16-characters", Receipt(time=m.NOW, rpps=DOCTOR, act="A" * 16, amount_cents=1)
    yield "amount-0", Receipt(time=m.NOW, rpps=DOCTOR, act="GS", amount_cents=0)
    yield (
        "amount-2-pow-32-minus-1",
        Receipt(time=m.NOW, rpps=DOCTOR, act="GS", amount_cents=2**32 - 1),
    )
    yield (
        "year-2099-act-with-a-space",
        Receipt(
            time=datetime(2099, 12, 31, 23, 59, 59, tzinfo=UTC),
            rpps=DOCTOR,
            act="~ !",
            amount_cents=5,
        ),
    )


@tc(
    "TC-SM-017",
    title="Receipts at the edges of their fields are acknowledged and filed as sent",
    purpose="Act codes of 1 and 16 printable characters, amounts of 0 and 2^32 - 1 cents "
    "and any valid date are acknowledged with the 16-byte tag alone, and the ReceiptFiled "
    "event carries exactly the practitioner, act, amount and date sent.",
    verifies=["VDC-SM-041", "VDC-SM-042", "VDC-NFC-131"],
    profile="holder",
    kind="boundary",
    preconditions="holder provisioned and armed, one read done in the session",
    expected="9000 with 16 bytes; one ReceiptFiled with the values sent",
    operations=OPS,
    params=_edges,
)
def test_receipt_edges(iut: IutBase, param: Receipt) -> None:
    _filed(iut, _read_done(iut), param)


def _read_done_on(s: Scripted) -> bytes:
    """The receipt the reader signed in an earlier session, for this one (READ-DONE again)."""
    earlier = Scripted(s.holder).open()
    earlier.read([2])
    plaintext = earlier.receipt_plaintext()
    s.open()
    s.read([1, 2])
    return plaintext


def _bad_signatures() -> Iterable[Param | Parameter]:
    yield "replayed-from-another-session", _read_done_on
    yield "over-another-transcript", lambda s: s.receipt_plaintext(transcript=bytes(32))
    yield (
        "by-another-readers-key",
        lambda s: s.receipt_plaintext(
            signature=sign(
                reader_keys("nurse").key, LABEL_RECEIPT, receipt_message(s.transcript, _body())
            )
        ),
    )
    yield (
        "under-another-label",
        lambda s: s.receipt_plaintext(
            signature=sign(s.reader.key, LABEL_READER_AUTH, receipt_message(s.transcript, _body()))
        ),
    )
    yield (
        "amount-changed-after-signing",
        lambda s: s.receipt_plaintext(
            body=_body(amount=(2651).to_bytes(4, "big")),
            signature=sign(s.reader.key, LABEL_RECEIPT, receipt_message(s.transcript, _body())),
        ),
    )
    yield "r-zero", lambda s: s.receipt_plaintext(signature=bytes(32) + s.receipt_plaintext()[-32:])


@tc(
    "TC-SM-018",
    title="A receipt whose signature does not verify is refused with 6300 and not filed",
    purpose="A receipt of the reading practitioner replayed from an earlier session, signed "
    "over another transcript, by another reader's key, under another label, altered after "
    "signing, or with r = 0 gets 6300 with no data and nothing filed; the session stays "
    "READ-DONE, so the valid receipt of the next exchange is acknowledged and filed.",
    verifies=["VDC-SM-040", "VDC-SM-041", "VDC-SM-043", "VDC-SM-004", "VDC-NFC-131"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed, one read done in the session",
    expected="6300 without data and no event; then 9000 and one ReceiptFiled",
    operations=OPS,
    params=_bad_signatures,
)
def test_receipt_signature(iut: IutBase, param: Plaintext) -> None:
    s = _read_done(iut)
    plaintext = param(s)
    _events(iut)
    _refused_then_filed(iut, s, plaintext, 0x6300)


def _no_read() -> Iterable[Param | Parameter]:
    yield "no-read", (True, None)
    yield "read-refused-6982", (False, b"\x5c\x01\x02")
    yield "read-refused-6A80", (True, b"\x5c\x00")
    yield "read-refused-6A88", (True, b"\x5c\x01\x7f")


@tc(
    "TC-SM-019",
    title="No receipt is filed for a session without a completed read",
    purpose="A correctly signed and sealed receipt sent before any read, or after a READ "
    "ELEMENTS that was refused (6982, 6A80, 6A88), gets 6985 with no data and is not filed.",
    verifies=["VDC-NFC-060", "VDC-SM-043", "VDC-NFC-131", "VDC-HIST-002"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned; session established; the read absent or refused",
    expected="6985 without data; no ReceiptFiled event",
    operations=OPS,
    params=_no_read,
)
def test_receipt_without_read(iut: IutBase, param: tuple[bool, bytes | None]) -> None:
    armed, request = param
    s = Scripted(provisioned(iut, armed=armed)).open()
    if request is not None:
        refused = s.protected(READ, request)
        expect(
            refused.sw != OK,
            "the read meant to be refused succeeded",
            got=refused.hex()[:40],
            expected="a status word other than 9000 for the read meant to be refused",
        )
    expect_sw(s.receipt(), 0x6985, "a receipt was accepted without a completed read")
    events = _events(iut)
    expect(events == [], "an event was reported", expected="[]", got=str(events))
