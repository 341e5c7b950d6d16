"""Reader profile: holders that break one rule of the session a reader must enforce
(VDC-NFC-202..205, VDC-SM-002, 021..033, 050, 051), and the receipt it files.

The suite plays a holder whose credential is genuine and changes one thing: the FCI,
a status word, the sealing of an answer, the READ ELEMENTS plaintext, the device
signature or the elements disclosed. The reader must report `rejected` and send nothing
after the answer it rejected; asked to file a receipt, it files it only after an
accepted read, signed over the session.
"""

from __future__ import annotations

from collections.abc import Iterable

from conformance.adapters import IutBase
from conformance.cases import _material as m
from conformance.cases.reader import _reading as r
from conformance.cases.reader._played import (
    ESTABLISH,
    READ,
    RECEIPT,
    SELECT,
    Signing,
    Tweak,
    tlv,
)
from conformance.catalogue import Param, Parameter, param, tc
from conformance.outcomes import NotApplicable, expect
from vitale_ref.credential import build_presentation
from vitale_ref.sm import LABEL_DEVICE_AUTH, LABEL_READER_AUTH, device_auth_message, sign

N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551

R_NFC203_NFC205 = ("VDC-NFC-203", "VDC-NFC-205")
R_NFC204_NFC205 = ("VDC-NFC-204", "VDC-NFC-205")
R_SM002_NFC204_NFC205 = ("VDC-SM-002", "VDC-NFC-204", "VDC-NFC-205")
R_SM004_SM051_CRED046_NFC205 = ("VDC-SM-004", "VDC-SM-051", "VDC-CRED-046", "VDC-NFC-205")
R_SM030_NFC205 = ("VDC-SM-030", "VDC-NFC-205")
R_SM031_NFC205 = ("VDC-SM-031", "VDC-NFC-205")
R_SM033_NFC205 = ("VDC-SM-033", "VDC-NFC-205")
R_SM050_SM051_CRED046_NFC205 = ("VDC-SM-050", "VDC-SM-051", "VDC-CRED-046", "VDC-NFC-205")


def _other_transcript(signing: Signing) -> bytes:
    message = device_auth_message(bytes(32), signing.request, signing.presentation)
    return sign(signing.key, LABEL_DEVICE_AUTH, message)


def _other_request(signing: Signing) -> bytes:
    message = device_auth_message(signing.transcript, tlv(0x5C, b"\x01"), signing.presentation)
    return sign(signing.key, LABEL_DEVICE_AUTH, message)


def _other_presentation(signing: Signing) -> bytes:
    other = m.material().typical.issued.presentation([1])
    message = device_auth_message(signing.transcript, signing.request, other)
    return sign(signing.key, LABEL_DEVICE_AUTH, message)


def _other_label(signing: Signing) -> bytes:
    message = device_auth_message(signing.transcript, signing.request, signing.presentation)
    return sign(signing.key, LABEL_READER_AUTH, message)


def _bindings() -> Iterable[Param | Parameter]:
    yield param(
        "over-another-transcript",
        Tweak(device_signature=_other_transcript),
        *R_SM050_SM051_CRED046_NFC205,
    )
    yield param(
        "over-another-request",
        Tweak(device_signature=_other_request),
        *R_SM050_SM051_CRED046_NFC205,
    )
    yield param(
        "over-another-presentation",
        Tweak(device_signature=_other_presentation),
        *R_SM050_SM051_CRED046_NFC205,
    )
    yield param(
        "under-another-label", Tweak(device_signature=_other_label), *R_SM050_SM051_CRED046_NFC205
    )
    yield param(
        "r-zero",
        Tweak(device_signature=lambda s: bytes(32) + s.honest()[32:]),
        *R_SM004_SM051_CRED046_NFC205,
    )
    yield param(
        "s-is-n",
        Tweak(device_signature=lambda s: s.honest()[:32] + N.to_bytes(32, "big")),
        *R_SM004_SM051_CRED046_NFC205,
    )
    yield param(
        "by-another-key",
        Tweak(
            device_signature=lambda s: Signing(
                m.material().lunar.device_key, s.transcript, s.request, s.presentation
            ).honest()
        ),
        *R_SM050_SM051_CRED046_NFC205,
    )


@tc(
    "TC-SM-020",
    title="A reader refuses a device signature that does not bind the presentation to the session",
    purpose="The holder signs with the credential's key but over another transcript, "
    "another request or another presentation, under another label, with r = 0 or s = n, "
    "or signs with another key: the reader refuses the read and sends nothing after READ "
    "ELEMENTS.",
    verifies=["VDC-SM-050", "VDC-SM-051", "VDC-CRED-046", "VDC-SM-004", "VDC-NFC-205"],
    profile="reader",
    kind="negative",
    preconditions="the reader trusts the suite's issuing root",
    expected="error rejected, no command after READ ELEMENTS",
    operations=r.OPS,
    params=_bindings,
)
def test_device_binding(iut: IutBase, param: Tweak) -> None:
    r.setup(iut)
    r.rejected(iut, r.played(tweak=param), "a device signature that does not bind", last=READ)


def _disclosing(ids: tuple[int, ...]) -> Tweak:
    return Tweak(presentation=lambda issued, asked: build_presentation(issued, ids))


def _disclosures() -> Iterable[Param | Parameter]:
    yield "one-element-more", _disclosing((1, 2, 3, 4))
    yield "one-element-above", _disclosing((1, 2, 4, 10))
    yield "another-element-instead", _disclosing((1, 2, 5))
    yield "everything", _disclosing(tuple(range(1, 11)))


@tc(
    "TC-NFC-040",
    title="A reader refuses a presentation holding an element it did not request",
    purpose="Asked for elements 1, 2 and 4, the holder adds element 3 or 10, swaps 4 for "
    "5, or discloses everything, each validly signed: the reader refuses the read and "
    "sends nothing after READ ELEMENTS.",
    verifies=["VDC-NFC-202", "VDC-NFC-205", "VDC-CRED-060"],
    profile="reader",
    kind="negative",
    preconditions="the reader trusts the suite's issuing root",
    expected="error rejected, no command after READ ELEMENTS",
    operations=r.OPS,
    params=_disclosures,
)
def test_disclosure_beyond_request(iut: IutBase, param: Tweak) -> None:
    r.setup(iut)
    r.rejected(iut, r.played(tweak=param), "elements it did not request", last=READ)


@tc(
    "TC-SM-022",
    title="A reader files the receipt it was asked for, signed over the session, after the read",
    purpose="Asked to file a billing receipt, a reader that files receipts sends FILE "
    "RECEIPT once, after an accepted READ ELEMENTS, sealed for exchange 2, signed with "
    "its leaf key over the session transcript and the body, naming the RPPS of its leaf, the act "
    "and the amount asked; it reports the receipt acknowledged.",
    verifies=["VDC-SM-040", "VDC-SM-031", "VDC-NFC-200"],
    profile="reader",
    kind="positive",
    preconditions="the reader trusts the suite's issuing root; it files receipts",
    expected="one FILE RECEIPT, last, whose signature verifies; receiptAcknowledged true",
    operations=r.OPS,
)
def test_receipt_filed(iut: IutBase) -> None:
    from vitale_ref.sm import decode_signed_receipt

    r.setup(iut)
    holder = r.played()
    result = r.read(iut, holder, receipt=True)
    if not result.get("receiptAcknowledged") and RECEIPT not in holder.instructions:
        raise NotApplicable("the reader files no receipts")
    sent = holder.instructions
    expect(
        sent.count(RECEIPT) == 1 and sent[-1] == RECEIPT and READ in sent,
        "FILE RECEIPT not sent once, after the read",
        expected="... CB DB",
        got=" ".join(f"{i:02X}" for i in sent),
    )
    expect(
        len(holder.receipts) == 1,
        "the receipt did not open",
        got=str(len(holder.receipts)),
        expected="exactly one FILE RECEIPT that opens with K_rd",
    )
    valid, plaintext = holder.receipts[0]
    expect(
        valid,
        "the receipt signature does not verify over the session",
        got=plaintext.hex()[:80],
        expected="a reader signature over the receipt label, TH and the body (VDC-SM-040)",
    )
    receipt = decode_signed_receipt(plaintext)[0]
    rpps = holder.reader_rpps
    asked = (rpps, r.RECEIPT_ASKED["act"], r.RECEIPT_ASKED["amountCents"], m.NOW)
    expect(
        (receipt.rpps, receipt.act, receipt.amount_cents, receipt.time) == asked,
        "the receipt is not the one asked for",
        expected=str(asked),
        got=str(receipt),
    )
    expect(
        result.get("receiptAcknowledged") is True,
        "acknowledgement not reported",
        got=str(result),
        expected="reader.read receiptAcknowledged true",
    )


@tc(
    "TC-NFC-042",
    title="A reader using extended APDUs reads and files its receipt in four exchanges",
    purpose="Against an honest holder, a reader that uses extended APDUs completes "
    "SELECT, ESTABLISH SESSION, READ ELEMENTS and, when it files receipts, FILE RECEIPT "
    "in exactly one command each: four pairs with the receipt, three without, never a "
    "fifth.",
    verifies=["VDC-NFC-200"],
    profile="reader",
    kind="boundary",
    preconditions="the reader trusts the suite's issuing root; it uses extended APDUs",
    expected="A4 86 CB (DB): no GET RESPONSE, no chained part, no repetition",
    operations=r.OPS,
)
def test_four_exchanges(iut: IutBase) -> None:
    r.setup(iut)
    holder = r.played()
    result = r.read(iut, holder, receipt=True)
    wanted = [SELECT, ESTABLISH, READ] + ([RECEIPT] if result.get("receiptAcknowledged") else [])
    chained = [c.hex()[:8] for c in holder.commands if c[0] & 0x10]
    expect(
        holder.instructions == wanted and not chained,
        "more exchanges than the four of an authenticated read",
        expected=" ".join(f"{i:02X}" for i in wanted),
        got=" ".join(f"{i:02X}" for i in holder.instructions),
    )
