"""Holder profile: what a malformed receipt is, and the order of the receipt checks
(spec chapter VDC-SM, VDC-SM-044). The suite plays the reader APDU by APDU."""

from __future__ import annotations

from collections.abc import Iterable

from conformance.adapters import IutBase
from conformance.cases import _material as m
from conformance.cases.holder._reader import SELECT, provisioned
from conformance.catalogue import Parameter, param, tc
from conformance.outcomes import expect
from vitale_ref.apdu import encode_tlv
from vitale_ref.randomness import seeded_random
from vitale_ref.reader import Handshake, ReaderIdentity, handshake, signed_receipt
from vitale_ref.sm import Receipt, encode_request

READ_HEADER = bytes.fromhex("80CB0000")
RECEIPT_HEADER = bytes.fromhex("80DB0000")


def _extended(header: bytes, data: bytes) -> bytes:
    return header + b"\x00" + len(data).to_bytes(2, "big") + data + b"\x00\x00"


def _doctor() -> ReaderIdentity:
    entity = m.material().pki.readers["doctor"]
    return ReaderIdentity(chain=(entity.der,), key=entity.private_key)


def _receipt(*, act: str = "GS", rpps: str = "19999999006") -> Receipt:
    return Receipt(time=m.NOW, rpps=rpps, act=act, amount_cents=2650)


def _variants() -> Iterable[Parameter]:
    """(name, (how the plaintext is built, status word)) for each case of VDC-SM-044."""
    yield param("well-formed", ("good", "9000"), "VDC-SM-042")
    yield param("act-of-17-characters", ("long-act", "6A80"), "VDC-SM-044")
    yield param("trailing-byte", ("trailing", "6A80"), "VDC-SM-044")
    yield param("signature-r-s-zero", ("zero-signature", "6300"), "VDC-SM-044", "VDC-SM-004")
    yield param("malformed-and-other-rpps", ("long-act-nurse", "6A80"), "VDC-SM-044")
    yield param("other-rpps-and-zero-signature", ("nurse-zero", "6A80"), "VDC-SM-044")


def _plaintext(kind: str, hs: Handshake, identity: ReaderIdentity) -> bytes:
    nurse = "19999999022"
    if kind == "good":
        return signed_receipt(hs, identity, _receipt())
    if kind == "trailing":
        return signed_receipt(hs, identity, _receipt()) + b"\x00"
    rpps = nurse if kind in ("long-act-nurse", "nurse-zero") else "19999999006"
    act = "G" * 17 if kind.startswith("long-act") else "GS"
    body = (
        encode_tlv(0x80, m.NOW.strftime("%Y%m%d%H%M%S").encode())
        + encode_tlv(0x81, rpps.encode())
        + encode_tlv(0x82, act.encode())
        + encode_tlv(0x83, (2650).to_bytes(4, "big"))
    )
    return encode_tlv(0x70, body) + encode_tlv(0x9E, bytes(64))


@tc(
    "TC-SM-100",
    title="Malformed receipts and the order of the receipt checks",
    purpose="After a read, FILE RECEIPT plaintexts that break one or two rules get the "
    "status word of the first rule VDC-SM-044 checks: malformed (an act code of 17 "
    "characters, a trailing byte) before another practitioner, both before the signature "
    "(r = s = 0 does not verify).",
    verifies=["VDC-SM-044", "VDC-SM-042", "VDC-SM-004"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed; a session read element 1",
    expected="9000 for the well-formed receipt; 6A80 malformed, then other RPPS; 6300 bad "
    "signature",
    operations=["holder.setup", "holder.arm", "holder.transmit"],
    params=_variants,
)
def test_receipt_order(iut: IutBase, param: tuple[str, str]) -> None:
    kind, wanted = param
    send = provisioned(iut).transmit()
    fci = send(SELECT)[:-2]
    identity = _doctor()
    hs = handshake(fci, identity, seeded_random("conformance/receipt-order"))
    establish = send(_extended(bytes.fromhex("80860000"), hs.establish))
    expect(
        establish[-2:] == b"\x90\x00",
        "ESTABLISH SESSION status word: the doctor reader was not authenticated",
        expected="9000",
        got=establish.hex().upper()[-4:],
    )
    read = send(_extended(READ_HEADER, hs.channel.seal_command(READ_HEADER, encode_request([1]))))
    hs.channel.advance()
    expect(
        read[-2:] == b"\x90\x00",
        "READ ELEMENTS status word before the receipt",
        expected="9000",
        got=read.hex().upper()[-4:],
    )
    sealed = hs.channel.seal_command(RECEIPT_HEADER, _plaintext(kind, hs, identity))
    response = send(_extended(RECEIPT_HEADER, sealed)).hex().upper()
    expect(
        response[-4:] == wanted,
        f"FILE RECEIPT status word for a {kind} receipt: VDC-SM-044 checks the form, then "
        "the RPPS number, then the signature",
        expected=wanted,
        got=response[-4:],
    )
