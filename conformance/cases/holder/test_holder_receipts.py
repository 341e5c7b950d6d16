"""Holder profile: billing receipts and the events the holder app records (VDC-SM-04x,
VDC-NFC-130, VDC-NFC-131)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from conformance.adapters import IutBase
from conformance.cases import _material as m
from conformance.cases.holder._reader import (
    provisioned,
    read_fails_with,
)
from conformance.cases.holder._receipts import (
    DOCTOR,
    NURSE,
    Plaintext,
    body,
    events,
    filed,
    read_done,
    refused_then_filed,
    signed_body,
    tlv,
)
from conformance.catalogue import Param, Parameter, param, tc
from conformance.outcomes import expect
from vitale_ref.reader import ReaderError
from vitale_ref.sm import Receipt

OPS = ["holder.setup", "holder.arm", "holder.transmit", "holder.events"]

R_SM041_SM043_NFC030_NFC131_SM032 = (
    "VDC-SM-041",
    "VDC-SM-043",
    "VDC-NFC-030",
    "VDC-NFC-131",
    "VDC-SM-032",
)
R_SM041_SM043_NFC131_SM032 = ("VDC-SM-041", "VDC-SM-043", "VDC-NFC-131", "VDC-SM-032")


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
def test_receiptfiled(iut: IutBase) -> None:
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
    reported = events(iut)
    kinds = [event.kind for event in reported]
    expect(
        kinds == ["Presented", "ReceiptFiled"],
        "holder.events reported[].type: the read and the receipt are not both reported "
        "(holder-event form: type, readerRpps, elements, at)",
        expected="['Presented', 'ReceiptFiled']",
        got=str(kinds),
    )
    presented, filed = reported
    expect(
        presented.rpps == DOCTOR and presented.elements == (1, 2),
        "holder.events reported[0].readerRpps and .elements: the Presented event names "
        "another reader or other elements (VDC-NFC-130)",
        expected=f"readerRpps {DOCTOR}, elements [1, 2]",
        got=f"readerRpps {presented.rpps}, elements {list(presented.elements)}",
    )
    expect(
        filed.rpps == DOCTOR
        and filed.receipt is not None
        and filed.receipt[:3] == (DOCTOR, "GS", 2650),
        "holder.events reported[1].readerRpps and .receipt (practitionerRpps, act, "
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
    kinds = [event.kind for event in events(iut)]
    expect(
        "ReceiptFiled" not in kinds,
        "a refused receipt was filed",
        expected="no ReceiptFiled",
        got=str(kinds),
    )


# -- a malicious reader's receipts ---------------------------------------------------------
def _malformed() -> Iterable[Param | Parameter]:
    good = body()
    yield param(
        "tags-reordered",
        signed_body(good[16:29] + good[:16] + good[29:]),
        *R_SM041_SM043_NFC030_NFC131_SM032,
    )
    yield param(
        "date-13-characters",
        signed_body(body(stamp=b"2026060112000")),
        *R_SM041_SM043_NFC131_SM032,
    )
    yield param(
        "date-15-characters",
        signed_body(body(stamp=b"202606011200000")),
        *R_SM041_SM043_NFC131_SM032,
    )
    yield param(
        "date-not-digits", signed_body(body(stamp=b"2026060112000Z")), *R_SM041_SM043_NFC131_SM032
    )
    yield param(
        "date-month-13", signed_body(body(stamp=b"20261301120000")), *R_SM041_SM043_NFC131_SM032
    )
    yield param(
        "rpps-10-digits", signed_body(body(rpps=b"1999999900")), *R_SM041_SM043_NFC131_SM032
    )
    yield param(
        "rpps-12-digits", signed_body(body(rpps=b"199999990060")), *R_SM041_SM043_NFC131_SM032
    )
    yield param("rpps-letters", signed_body(body(rpps=b"1999999900A")), *R_SM041_SM043_NFC131_SM032)
    yield param("act-empty", signed_body(body(act=b"")), *R_SM041_SM043_NFC131_SM032)
    yield param("act-17-characters", signed_body(body(act=b"A" * 17)), *R_SM041_SM043_NFC131_SM032)
    yield param("act-not-printable", signed_body(body(act=b"G\x07")), *R_SM041_SM043_NFC131_SM032)
    yield param(
        "amount-3-bytes", signed_body(body(amount=b"\x00\x0a\x5a")), *R_SM041_SM043_NFC131_SM032
    )
    yield param(
        "amount-5-bytes",
        signed_body(body(amount=b"\x00\x00\x00\x0a\x5a")),
        *R_SM041_SM043_NFC131_SM032,
    )
    yield param(
        "extra-tlv-in-body",
        signed_body(good + tlv(0x84, b"\x00")),
        *R_SM041_SM043_NFC030_NFC131_SM032,
    )
    yield param(
        "tlv-after-signature",
        signed_body(good, tlv(0x84, b"\x00")),
        *R_SM041_SM043_NFC030_NFC131_SM032,
    )
    yield param(
        "other-template-tag",
        lambda s: b"\x71" + s.receipt_plaintext()[1:],
        *R_SM041_SM043_NFC030_NFC131_SM032,
    )
    yield param("signature-missing", lambda s: tlv(0x70, good), *R_SM041_SM043_NFC131_SM032)
    yield param(
        "signature-63-bytes",
        lambda s: tlv(0x70, good) + tlv(0x9E, bytes(63)),
        *R_SM041_SM043_NFC131_SM032,
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
    s = read_done(iut)
    refused_then_filed(iut, s, param(s), 0x6A80)


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
    filed(iut, read_done(iut), param)
