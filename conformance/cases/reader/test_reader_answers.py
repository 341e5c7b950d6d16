"""Reader profile: holders whose answers break the status-word table, the FCI, the
protection of responses or the READ ELEMENTS plaintext (VDC-NFC-203, 204, 205;
VDC-SM-002, 021, 030, 031, 033). The reader must report `rejected` and send nothing
after the answer it rejected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from conformance.adapters import IutBase
from conformance.cases.reader import _reading as r
from conformance.cases.reader._played import (
    ESTABLISH,
    READ,
    RECEIPT,
    SELECT,
    Sealing,
    Tweak,
    tlv,
)
from conformance.catalogue import Param, Parameter, param, tc
from vitale_ref.apdu import AID

R_NFC203_NFC205 = ("VDC-NFC-203", "VDC-NFC-205")
R_NFC204_NFC205 = ("VDC-NFC-204", "VDC-NFC-205")
R_SM002_NFC204_NFC205 = ("VDC-SM-002", "VDC-NFC-204", "VDC-NFC-205")
R_SM030_NFC205 = ("VDC-SM-030", "VDC-NFC-205")
R_SM031_NFC205 = ("VDC-SM-031", "VDC-NFC-205")
R_SM033_NFC205 = ("VDC-SM-033", "VDC-NFC-205")


def _fci(proprietary: bytes, name: bytes = AID) -> bytes:
    return tlv(0x6F, tlv(0x84, name) + tlv(0xA5, proprietary))


def _fci_with(
    *,
    versions: bytes = b"\x01",
    point: Callable[[bytes], bytes] = lambda honest: honest,
    extra: bytes = b"",
) -> Tweak:
    def fci(honest: bytes) -> bytes:
        proprietary = tlv(0x80, versions) + tlv(0x81, point(honest)) + tlv(0x82, b"\x10\x00")
        return _fci(proprietary + extra)

    return Tweak(fci=fci)


def _answer(ins: int, response: bytes) -> Tweak:
    return Tweak(answer=lambda got, honest: response if got == ins else None)


def _responses() -> Iterable[Param | Parameter]:
    yield param(
        "fci-point-off-curve",
        (_fci_with(point=lambda p: p[:-1] + bytes([p[-1] ^ 1])), SELECT),
        *R_SM002_NFC204_NFC205,
    )
    yield param(
        "fci-point-compressed",
        (_fci_with(point=lambda p: bytes([2 + (p[-1] & 1)]) + p[1:33]), SELECT),
        *R_SM002_NFC204_NFC205,
    )
    yield param(
        "fci-point-64-bytes", (_fci_with(point=lambda p: p[:-1]), SELECT), *R_SM002_NFC204_NFC205
    )
    yield param(
        "fci-no-common-version",
        (_fci_with(versions=b"\x03"), SELECT),
        *R_NFC204_NFC205,
        "VDC-NFC-071",
    )
    yield param("fci-extra-tag", (_fci_with(extra=tlv(0x83, b"\x00")), SELECT), *R_NFC204_NFC205)
    yield param(
        "fci-other-application",
        (
            Tweak(
                fci=lambda p: _fci(
                    tlv(0x80, b"\x01") + tlv(0x81, p) + tlv(0x82, b"\x10\x00"), b"\xf0" * 7
                )
            ),
            SELECT,
        ),
        *R_NFC204_NFC205,
    )
    yield param(
        "fci-length-beyond-data",
        (Tweak(fci=lambda p: b"\x6f\x81\xff" + p), SELECT),
        *R_NFC204_NFC205,
    )
    yield param("select-6a82", (_answer(SELECT, b"\x6a\x82"), SELECT), *R_NFC203_NFC205)
    yield param(
        "response-of-one-byte",
        (_answer(SELECT, b"\x90"), SELECT),
        "VDC-NFC-013",
        "VDC-NFC-204",
        "VDC-NFC-205",
    )
    yield param("establish-6300", (_answer(ESTABLISH, b"\x63\x00"), ESTABLISH), *R_NFC203_NFC205)
    yield param("establish-6985", (_answer(ESTABLISH, b"\x69\x85"), ESTABLISH), *R_NFC203_NFC205)
    yield param(
        "read-6283-warning",
        (
            Tweak(answer=lambda ins, honest: honest[:-2] + b"\x62\x83" if ins == READ else None),
            READ,
        ),
        *R_NFC203_NFC205,
    )
    yield param("read-6f00", (_answer(READ, b"\x6f\x00"), READ), *R_NFC203_NFC205)
    yield param("read-9000-without-data", (_answer(READ, b"\x90\x00"), READ), *R_NFC204_NFC205)


@tc(
    "TC-NFC-041",
    title="A reader stops at the first answer out of the table and sends nothing after it",
    purpose="An FCI whose point is off the curve, compressed or 64 bytes, offering no "
    "version the reader speaks, with an extra tag, another AID or a length beyond its "
    "data; SELECT answered 6A82 or one byte; ESTABLISH SESSION answered 6300 or 6985; "
    "READ ELEMENTS answered with a warning 6283, 6F00 or 9000 without data: the reader "
    "refuses the read and sends no further command.",
    verifies=[
        "VDC-NFC-204",
        "VDC-NFC-203",
        "VDC-NFC-205",
        "VDC-SM-002",
        "VDC-NFC-013",
        "VDC-NFC-071",
    ],
    profile="reader",
    kind="negative",
    preconditions="the reader trusts the suite's issuing root",
    expected="error rejected, nothing sent after the answer rejected",
    operations=r.OPS,
    params=_responses,
)
def test_answers_out_of_table(iut: IutBase, param: tuple[Tweak, int]) -> None:
    tweak, last = param
    r.setup(iut)
    r.rejected(iut, r.played(tweak=tweak), "an answer out of the table", last=last)


def _sealed(*, key: str = "device_to_reader", counter: int = 0, aad: bytes | None = None) -> Tweak:
    from conformance.cases.holder._scripted import seal

    def make(s: Sealing) -> bytes:
        chosen: bytes = getattr(s.keys, key)
        return seal(
            chosen, s.counter + counter, s.header + b"\x90\x00" if aad is None else aad, s.plaintext
        )

    return Tweak(seal=make)


def _plaintext(build: object) -> Tweak:
    return Tweak(read_plaintext=build)  # type: ignore[arg-type]


def _protections() -> Iterable[Param | Parameter]:
    yield param(
        "sealed-reader-to-device", _sealed(key="reader_to_device"), "VDC-SM-021", "VDC-NFC-205"
    )
    yield param("sealed-with-the-next-counter", _sealed(counter=1), *R_SM031_NFC205)
    yield param("sealed-with-counter-0", _sealed(counter=-1), *R_SM031_NFC205)
    yield param("aad-without-status-word", _sealed(aad=bytes([0x80, READ, 0, 0])), *R_SM033_NFC205)
    yield param(
        "aad-of-another-command",
        _sealed(aad=bytes([0x80, RECEIPT, 0, 0, 0x90, 0])),
        *R_SM033_NFC205,
    )
    yield param("not-sealed", Tweak(seal=lambda s: s.plaintext), *R_SM030_NFC205)
    yield param("15-bytes", Tweak(seal=lambda s: s.honest()[:15]), *R_SM030_NFC205)
    yield param(
        "tag-altered",
        Tweak(seal=lambda s: s.honest()[:-1] + bytes([s.honest()[-1] ^ 1])),
        *R_SM030_NFC205,
    )
    yield param(
        "plaintext-trailing-tlv",
        _plaintext(lambda p, sig: tlv(0x53, p) + tlv(0x9E, sig) + tlv(0x90, b"")),
        *R_NFC204_NFC205,
    )
    yield param(
        "plaintext-signature-first",
        _plaintext(lambda p, sig: tlv(0x9E, sig) + tlv(0x53, p)),
        *R_NFC204_NFC205,
    )
    yield param(
        "plaintext-signature-63-bytes",
        _plaintext(lambda p, sig: tlv(0x53, p) + tlv(0x9E, sig[:63])),
        *R_NFC204_NFC205,
    )
    yield param(
        "plaintext-without-signature", _plaintext(lambda p, sig: tlv(0x53, p)), *R_NFC204_NFC205
    )
    yield param(
        "plaintext-length-beyond-data",
        _plaintext(lambda p, sig: b"\x53\x82\xff\xff" + p + tlv(0x9E, sig)),
        *R_NFC204_NFC205,
    )


@tc(
    "TC-SM-021",
    title="A reader refuses a READ ELEMENTS answer that is not protected and shaped as specified",
    purpose="The answer sealed under the reader-to-device key, with the next counter or "
    "counter 0, without the status word or with another header as additional data, not "
    "sealed, cut to 15 bytes or with its tag altered, or a plaintext with an extra TLV, "
    "its TLVs swapped, a 63-byte or missing signature or a length beyond its data: the "
    "reader refuses the read and sends nothing after READ ELEMENTS.",
    verifies=["VDC-SM-021", "VDC-SM-030", "VDC-SM-031", "VDC-SM-033", "VDC-NFC-204", "VDC-NFC-205"],
    profile="reader",
    kind="negative",
    preconditions="the reader trusts the suite's issuing root",
    expected="error rejected, no command after READ ELEMENTS",
    operations=r.OPS,
    params=_protections,
)
def test_response_protection(iut: IutBase, param: Tweak) -> None:
    r.setup(iut)
    r.rejected(iut, r.played(tweak=param), "a wrongly protected answer", last=READ)
