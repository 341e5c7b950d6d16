"""Holder profile: receipts signed wrongly, and receipts without a completed read
(VDC-SM-040, 041, 043; VDC-NFC-060, 131)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from conformance.adapters import IutBase
from conformance.cases.holder._reader import provisioned
from conformance.cases.holder._receipts import (
    Plaintext,
    body,
    events,
    read_done,
    refused_then_filed,
)
from conformance.cases.holder._scripted import (
    OK,
    READ,
    N,
    Scripted,
    expect_sw,
    reader_keys,
)
from conformance.catalogue import Param, Parameter, tc
from conformance.outcomes import expect
from vitale_ref.sm import LABEL_READER_AUTH, LABEL_RECEIPT, receipt_message, sign

OPS = ["holder.setup", "holder.arm", "holder.transmit", "holder.events"]


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
                reader_keys("nurse").key, LABEL_RECEIPT, receipt_message(s.transcript, body())
            )
        ),
    )
    yield (
        "under-another-label",
        lambda s: s.receipt_plaintext(
            signature=sign(s.reader.key, LABEL_READER_AUTH, receipt_message(s.transcript, body()))
        ),
    )
    yield (
        "amount-changed-after-signing",
        lambda s: s.receipt_plaintext(
            body=body(amount=(2651).to_bytes(4, "big")),
            signature=sign(s.reader.key, LABEL_RECEIPT, receipt_message(s.transcript, body())),
        ),
    )
    # VDC-SM-004: r or s equal to 0 or not below the group order does not verify.
    yield "r-zero", _with_rs(lambda r, s: (0, s))
    yield "s-zero", _with_rs(lambda r, s: (r, 0))
    yield "r-is-n", _with_rs(lambda r, s: (N, s))
    yield "s-is-n", _with_rs(lambda r, s: (r, N))


def _with_rs(change: Callable[[int, int], tuple[int, int]]) -> Plaintext:
    """The honest receipt whose signature's r and s are replaced by change(r, s)."""

    def build(s: Scripted) -> bytes:
        honest = s.receipt_plaintext()[-64:]
        r, s_value = change(int.from_bytes(honest[:32], "big"), int.from_bytes(honest[32:], "big"))
        return s.receipt_plaintext(signature=r.to_bytes(32, "big") + s_value.to_bytes(32, "big"))

    return build


@tc(
    "TC-SM-018",
    title="A receipt whose signature does not verify is refused with 6300 and not filed",
    purpose="A receipt of the reading practitioner replayed from an earlier session, signed "
    "over another transcript, by another reader's key, under another label, altered after "
    "signing, or with r or s equal to 0 or to the group order n gets 6300 with no data and "
    "nothing filed; the session stays READ-DONE, so the valid receipt of the next exchange is "
    "acknowledged and filed.",
    verifies=["VDC-SM-040", "VDC-SM-041", "VDC-SM-043", "VDC-SM-004", "VDC-NFC-131"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed, one read done in the session",
    expected="6300 without data and no event; then 9000 and one ReceiptFiled",
    operations=OPS,
    params=_bad_signatures,
)
def test_receipt_signature(iut: IutBase, param: Plaintext) -> None:
    s = read_done(iut)
    plaintext = param(s)
    events(iut)
    refused_then_filed(iut, s, plaintext, 0x6300)


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
    reported = events(iut)
    expect(reported == [], "an event was reported", expected="[]", got=str(reported))
