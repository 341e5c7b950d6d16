"""Holder profile: long answers and what keeps or discards them under a malicious reader
(VDC-NFC-011, 043, 052, 062).

An Ne chosen to leave exactly 255, 256 or 257 bytes for GET RESPONSE, GET RESPONSE with
every Le, and commands slipped in between the parts of a long answer: the holder counts
what remains exactly and discards the waiting answer only when the table says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from conformance.adapters import IutBase
from conformance.cases.holder._reader import SELECT, provisioned
from conformance.cases.holder._scripted import OK, READ, Reply, Scripted, expect_sw
from conformance.catalogue import Param, Parameter, param, tc
from conformance.outcomes import expect

OPS = ["holder.setup", "holder.arm", "holder.transmit"]
OTHER_AID = bytes.fromhex("00A4040007F0564954414C4600")

R_NFC052_NFC011_SM030 = ("VDC-NFC-052", "VDC-NFC-011", "VDC-SM-030")


def _response_length(s: Scripted) -> int:
    """The length of the sealed answer to READ ELEMENTS of elements 1 and 2 (a probe)."""
    probe = Scripted(s.holder).open()
    reply = probe.read([1, 2])
    expect(reply.sw == OK, "the probe read failed", expected="9000", got=reply.hex()[:40])
    return len(reply.data)


def _get(s: Scripted, le: int, *, cla: int = 0x00, data: bytes = b"") -> Reply:
    body = bytes([len(data)]) + data if data else b""
    return s.send(bytes([cla, 0xC0, 0, 0]) + body + (bytes([le % 256]) if le >= 0 else b""))


def _leaving(remaining: int, gets: tuple[tuple[int, int, int], ...]) -> Callable[[Scripted], None]:
    """READ ELEMENTS with an Ne leaving `remaining` bytes; then (Le, bytes, SW) per GET."""

    def run(s: Scripted) -> None:
        total = _response_length(s)
        s.open()
        first = s.read([1, 2], le=total - remaining)
        more = 0x6100 | (remaining if remaining < 256 else 0)
        expect(
            first.sw == more and len(first.data) == total - remaining,
            "the first part of a long answer",
            expected=f"{total - remaining} bytes and {more:04X}",
            got=f"{len(first.data)} bytes and {first.sw:04X}",
        )
        data = first.data
        for le, size, sw in gets:
            part = _get(s, le)
            expect(
                part.sw == sw and len(part.data) == size,
                f"GET RESPONSE with Le {le:02X}",
                expected=f"{size} bytes and {sw:04X}",
                got=f"{len(part.data)} bytes and {part.sw:04X}",
            )
            data += part.data
        expect(
            s.open_reply(READ, data) is not None,
            "the joined answer does not verify",
            expected="the joined response parts open with K_dr",
        )

    return run


def _discarded_by(step: Callable[[Scripted], Reply], sw: int) -> Callable[[Scripted], None]:
    def run(s: Scripted) -> None:
        s.open()
        first = s.read([1, 2], le=16)
        expect(
            first.sw >> 8 == 0x61,
            "no GET RESPONSE pending",
            got=f"{first.sw:04X}",
            expected="61XX: response data waiting for GET RESPONSE",
        )
        expect(
            step(s).sw == sw,
            "the command between the parts was not refused",
            expected="the status word of the table for a command between the parts",
        )
        expect_sw(_get(s, 0), 0x6985, "the waiting answer was not discarded")

    return run


def _kept_through(step: Callable[[Scripted], Reply], sw: int) -> Callable[[Scripted], None]:
    def run(s: Scripted) -> None:
        s.open()
        first = s.read([1, 2], le=16)
        expect(
            first.sw >> 8 == 0x61,
            "no GET RESPONSE pending",
            got=f"{first.sw:04X}",
            expected="61XX: response data waiting for GET RESPONSE",
        )
        expect_sw(step(s), sw, "the command between the parts")
        data = first.data
        part = _get(s, 0)
        while part.sw >> 8 == 0x61:
            data += part.data
            part = _get(s, 0)
        expect(part.sw == OK, "the waiting answer was lost", expected="9000", got=part.hex()[:40])
        expect(
            s.open_reply(READ, data + part.data) is not None,
            "the joined answer",
            expected="the joined response parts open with K_dr",
        )

    return run


def _responses() -> Iterable[Param | Parameter]:
    yield param("255-remaining", _leaving(255, ((0xFF, 255, OK),)), *R_NFC052_NFC011_SM030)
    yield param("256-remaining", _leaving(256, ((0x00, 256, OK),)), *R_NFC052_NFC011_SM030)
    yield param(
        "257-remaining", _leaving(257, ((0x00, 256, 0x6101), (0x01, 1, OK))), *R_NFC052_NFC011_SM030
    )
    yield param("le-beyond-remaining", _leaving(10, ((0x00, 10, OK),)), *R_NFC052_NFC011_SM030)
    yield param(
        "le-10-of-300",
        _leaving(
            300, ((0x0A, 10, 0x6100), (0x0A, 10, 0x6100), (0x00, 256, 0x6118), (0x18, 24, OK))
        ),
        *R_NFC052_NFC011_SM030,
    )
    yield param(
        "discarded-by-select-of-another-aid",
        _discarded_by(lambda s: s.send(OTHER_AID), 0x6A82),
        "VDC-NFC-043",
    )
    yield param(
        "discarded-by-refused-read", _discarded_by(lambda s: s.read([2]), 0x6985), "VDC-NFC-043"
    )
    yield param(
        "kept-through-unknown-instruction",
        _kept_through(lambda s: s.send(bytes.fromhex("80FE000000")), 0x6D00),
        "VDC-NFC-043",
    )
    yield param(
        "kept-through-unknown-class",
        _kept_through(lambda s: s.send(bytes.fromhex("F0C0000000")), 0x6E00),
        "VDC-NFC-043",
    )
    yield param(
        "kept-through-get-response-with-data",
        _kept_through(lambda s: _get(s, 0, data=b"\x01"), 0x6700),
        "VDC-NFC-043",
    )
    yield param(
        "kept-through-get-response-without-le",
        _kept_through(lambda s: _get(s, -1), 0x6700),
        "VDC-NFC-043",
    )
    yield param(
        "kept-through-get-response-class-80",
        _kept_through(lambda s: _get(s, 0, cla=0x80), 0x6E00),
        "VDC-NFC-043",
    )


@tc(
    "TC-NFC-028",
    title="GET RESPONSE returns the rest of a long answer exactly, and only while it waits",
    purpose="An Ne leaving 255 bytes gets 61FF, 256 or more 6100, and GET RESPONSE gives "
    "Ne bytes at a time (Le 00 is 256) with 61XX counting what remains and 9000 on the "
    "last part; the joined answer verifies. A supported command in between (another AID, "
    "a refused READ) discards the waiting answer; one refused before that (unknown "
    "instruction or class, a GET RESPONSE with data or without Le) does not.",
    verifies=["VDC-NFC-052", "VDC-NFC-011", "VDC-NFC-043", "VDC-SM-030"],
    profile="holder",
    kind="boundary",
    preconditions="holder provisioned and armed, session established",
    expected="the lengths and status words listed for each step",
    operations=OPS,
    params=_responses,
)
def test_get_response(iut: IutBase, param: Callable[[Scripted], None]) -> None:
    param(Scripted(provisioned(iut)))


def _field_off(iut: IutBase) -> None:
    iut.call("holder.field_off", {})


@tc(
    "TC-NFC-029",
    title="Field loss discards an open chain and a waiting answer",
    purpose="After the field drops, a SELECT is executed (no chain left open: not 6883) "
    "and a GET RESPONSE finds nothing waiting (6985).",
    verifies=["VDC-NFC-062"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed",
    expected="9000 to SELECT after a chain; 6985 to GET RESPONSE after a long answer",
    operations=[*OPS, "holder.field_off"],
)
def test_field_loss_discards(iut: IutBase) -> None:
    s = Scripted(provisioned(iut))
    s.select()
    expect_sw(s.send(bytes.fromhex("9086000003010203")), OK, "a chained part was refused")
    _field_off(iut)
    reply = s.send(SELECT)
    expect(
        reply.sw == OK, "the chain survived the field loss", expected="9000", got=reply.hex()[:40]
    )
    s.open()
    first = s.read([1, 2], le=16)
    expect(
        first.sw >> 8 == 0x61,
        "no GET RESPONSE pending",
        got=f"{first.sw:04X}",
        expected="61XX: response data waiting for GET RESPONSE",
    )
    _field_off(iut)
    expect_sw(_get(s, 0), 0x6985, "the waiting answer survived the field loss")
