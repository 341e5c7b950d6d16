"""Holder profile: billing receipts and the events the holder app records (VDC-SM-04x,
VDC-NFC-130, VDC-NFC-131)."""

from __future__ import annotations

from conformance.adapters import IutBase
from conformance.cases import _material as m
from conformance.cases.holder._reader import provisioned, read_fails_with
from conformance.catalogue import tc
from conformance.outcomes import expect
from vitale_ref.reader import ReaderError
from vitale_ref.sm import Receipt

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
    verifies=["VDC-SM-040", "VDC-SM-042", "VDC-SM-043", "VDC-NFC-130", "VDC-NFC-131", "VDC-SM-032"],
    profile="holder",
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
    expect(result.receipt_acknowledged, "receipt not acknowledged", expected="9000")
    events = iut.call("holder.events", {})["events"]
    kinds = [event.get("type") for event in events]
    expect(
        kinds == ["Presented", "ReceiptFiled"],
        "wrong events",
        expected="['Presented', 'ReceiptFiled']",
        got=str(kinds),
    )
    presented = events[0]
    expect(
        presented.get("reader_rpps") == DOCTOR and presented.get("elements") == [1, 2],
        "the presentation event names another reader or other elements",
        expected=f"{DOCTOR} [1, 2]",
        got=str(presented),
    )


@tc(
    "TC-SM-006",
    title="A receipt for another practitioner is refused and not filed",
    purpose="A receipt whose RPPS is not the authenticated reader's is refused with 6A80 "
    "and produces no ReceiptFiled event.",
    verifies=["VDC-SM-041", "VDC-SM-043"],
    profile="holder",
    preconditions="holder provisioned and armed",
    expected="6A80 on FILE RECEIPT, no ReceiptFiled event",
    operations=OPS,
)
def test_receipt_other_rpps(iut: IutBase) -> None:
    holder = provisioned(iut)
    read_fails_with(holder, 0x6A80, [2], receipt=_receipt(NURSE))
    kinds = [event.get("type") for event in iut.call("holder.events", {})["events"]]
    expect(
        "ReceiptFiled" not in kinds,
        "a refused receipt was filed",
        expected="no ReceiptFiled",
        got=str(kinds),
    )
