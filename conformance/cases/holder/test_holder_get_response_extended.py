"""Holder profile: GET RESPONSE in extended form hands out exactly Ne bytes at a time
(VDC-NFC-011, 052).

A reader may collect a long answer with extended-length GET RESPONSE commands (`00 C0 00
00 00 Le1 Le2`, no data). The holder reads the two-byte Le whole: 0020 is 32 bytes, 0100
is 256 (not the low byte 00), 0000 is 65536, and a command with no data field is not
taken for one with data.
"""

from __future__ import annotations

from conformance.adapters import IutBase
from conformance.cases.holder._reader import provisioned
from conformance.cases.holder._scripted import OK, READ, Scripted, expect_sw
from conformance.catalogue import tc
from conformance.outcomes import expect

OPS = ["holder.setup", "holder.arm", "holder.transmit"]
REQUESTED = (1, 2, 3, 4, 7, 8)
FIRST = 64
"""The Ne of READ ELEMENTS: smaller than its sealed answer, so the rest waits."""


def _get_response(le: int) -> bytes:
    return bytes.fromhex("00C0000000") + le.to_bytes(2, "big")


@tc(
    "TC-NFC-104",
    title="Extended GET RESPONSE hands out exactly its two-byte Ne, the rest with 9000",
    purpose="READ ELEMENTS with an extended Le of 64 leaves the rest of its sealed answer "
    "waiting (61XX). Extended GET RESPONSE commands then ask 32 bytes (Le 0020), 256 bytes "
    "(Le 0100) and everything left (Le 0000, 65536): each answer holds exactly "
    "min(Ne, bytes left), with 61XX while bytes remain and 9000 with the last, and the "
    "parts joined are the sealed answer of the read.",
    verifies=["VDC-NFC-052", "VDC-NFC-011"],
    profile="holder",
    kind="boundary",
    preconditions="holder provisioned and armed",
    expected="parts of 64, 32, 256 bytes then the rest; the joined answer opens",
    operations=OPS,
)
def test_extended_get_response(iut: IutBase) -> None:
    s = Scripted(provisioned(iut)).open()
    first = s.read(list(REQUESTED), le=FIRST)
    expect(
        first.sw >> 8 == 0x61 and len(first.data) == FIRST,
        "READ ELEMENTS did not leave its answer waiting",
        expected=f"{FIRST} bytes with 61XX",
        got=f"{len(first.data)} bytes with {first.sw:04X}",
    )
    parts, previous = [first.data], first.sw
    for ne in (32, 256):
        reply = s.send(_get_response(ne))
        left = _left(previous)
        expect(
            len(reply.data) == min(ne, left) and (reply.sw >> 8 == 0x61 or reply.sw == OK),
            f"GET RESPONSE with the extended Le {ne:04X} answered another length",
            expected=f"{min(ne, left)} bytes",
            got=f"{len(reply.data)} bytes with {reply.sw:04X}",
        )
        parts.append(reply.data)
        previous = reply.sw
    last = s.send(_get_response(0))
    expect_sw(last, OK, "GET RESPONSE with the extended Le 0000 (everything left)")
    parts.append(last.data)
    expect(
        s.open_reply(READ, b"".join(parts)) is not None,
        "the parts joined are not the sealed answer of the read",
        expected="a sealed answer that opens under K_dr",
        got=f"{sum(len(p) for p in parts)} bytes that do not open",
    )


def _left(sw: int) -> int:
    """Bytes still waiting as the holder announced them (61XX; 00: 256 or more)."""
    return (sw & 0xFF) or 65536
