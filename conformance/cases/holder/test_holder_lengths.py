"""Holder profile: length fields that lie and data that is not what it claims (VDC-NFC-900, 902).

A holder answers every command APDU with a status word; a length field announcing more
than the APDU holds (short or extended Lc, a BER-TLV length, a DER length inside the
session data) is refused by its decoder with the status word of its layer, never by
another failure, and the card keeps working: a SELECT afterwards opens a session.
"""

from __future__ import annotations

from collections.abc import Iterable

from conformance.adapters import IutBase
from conformance.adapters.apdu import ApduIut
from conformance.cases.holder._reader import APDU_LEVEL, SELECT, apdu_session
from conformance.catalogue import Param, tc
from conformance.outcomes import NotApplicable, expect

ESTABLISH = bytes.fromhex("80860000")


def _establish(data: bytes) -> bytes:
    return ESTABLISH + b"\x00" + len(data).to_bytes(2, "big") + data


def _commands() -> Iterable[Param]:
    head = SELECT[:4]
    yield "empty", (b"", ("6700",))
    yield "header-cut", (head[:3], ("6700",))
    yield "short-lc-255-with-3-bytes", (head + b"\xff" + bytes(3), ("6700",))
    yield "extended-lc-65535-with-10-bytes", (head + b"\x00\xff\xff" + bytes(10), ("6700",))
    yield "extended-lc-16-with-3-bytes", (head + b"\x00\x00\x10" + bytes(3), ("6700",))
    yield "extended-lc-zero", (head + b"\x00\x00\x00\x01", ("6700",))
    yield "extended-length-cut", (head + b"\x00\xff", ("6700",))
    yield "extended-lc-and-le-cut", (head + b"\x00\x00\x07" + SELECT[5:12] + b"\x00", ("6700",))
    tlv_huge = bytes.fromhex("7F4984FFFFFFF0") + bytes(8)
    yield "tlv-length-4-gib", (_establish(tlv_huge), ("6A80",))
    yield "tlv-length-beyond-data", (_establish(bytes.fromhex("7F49820400") + bytes(16)), ("6A80",))
    yield "tlv-length-indefinite", (_establish(bytes.fromhex("7F4980") + bytes(16)), ("6A80",))
    yield "tlv-tag-cut", (_establish(bytes.fromhex("7F")), ("6A80",))
    chain_part = bytes.fromhex("90860000FF") + bytes(255)
    yield "chain-beyond-4096", ([chain_part] * 16 + [chain_part], ("6A84",))


@tc(
    "TC-NFC-017",
    title="Length fields that lie are refused and the card keeps working",
    purpose="Short and extended Lc fields announcing more or less than the APDU holds, "
    "BER-TLV lengths of up to 4 GiB in the session data and a command chain beyond 4096 "
    "bytes each get the status word of their decoder with no data, and a SELECT "
    "afterwards still opens a session.",
    verifies=["VDC-NFC-900", "VDC-NFC-902"],
    profile="holder",
    kind="negative",
    preconditions="provisioned when the holder can be set up; the application is selected "
    "before each command",
    expected="6700 for APDU lengths, 6A80 for BER-TLV lengths, 6A84 for the chain, then "
    "9000 to SELECT",
    operations=APDU_LEVEL,
    params=_commands,
)
def test_lying_lengths(iut: IutBase, param: tuple[bytes | list[bytes], tuple[str, ...]]) -> None:
    commands, allowed = param
    if commands == b"" and isinstance(iut, ApduIut):
        raise NotApplicable("a reader cannot carry an empty command APDU")
    send = apdu_session(iut)
    send(SELECT)
    sequence = commands if isinstance(commands, list) else [commands]
    for part in sequence[:-1]:
        response = send(part).hex().upper()
        expect(response == "9000", "a chained part was refused", expected="9000", got=response)
    response = send(sequence[-1]).hex().upper()
    expect(
        response in allowed,
        "the length field was not refused with its status word",
        expected=" or ".join(allowed),
        got=response[:80] or "no response",
    )
    again = send(SELECT).hex().upper()
    expect(
        again.endswith("9000"),
        "the card stopped working after the refused command",
        expected="SELECT answered 9000",
        got=again[-80:],
    )
