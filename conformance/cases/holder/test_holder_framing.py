"""Holder profile: selection, the order of checks, chaining and GET RESPONSE under a
malicious reader (VDC-NFC-011, 020, 042, 043, 050..054, 062).

Each case sends APDUs an honest reader never would: an AID that almost matches, a data
field one byte either side of a bound, a command that breaks into a chain, an Le that
leaves exactly 255, 256 or 257 bytes for GET RESPONSE, and checks the status word of the
table and what the holder keeps or discards afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from conformance.adapters import IutBase
from conformance.cases.holder._reader import SELECT, provisioned
from conformance.cases.holder._scripted import OK, Reply, Scripted, apdu, expect_sw
from conformance.catalogue import Param, Parameter, param, tc
from conformance.outcomes import expect

OPS = ["holder.setup", "holder.arm", "holder.transmit"]
AID = bytes.fromhex("F0564954414C45")

R_NFC011_NFC020 = ("VDC-NFC-011", "VDC-NFC-020")
R_NFC020_NFC040 = ("VDC-NFC-020", "VDC-NFC-040")
R_NFC021_NFC040 = ("VDC-NFC-021", "VDC-NFC-040")
R_NFC040_NFC042 = ("VDC-NFC-040", "VDC-NFC-042")
R_NFC042_NFC040 = ("VDC-NFC-042", "VDC-NFC-040")
R_NFC042_NFC051 = ("VDC-NFC-042", "VDC-NFC-051")
R_NFC042_NFC054 = ("VDC-NFC-042", "VDC-NFC-054")
R_NFC054_NFC043 = ("VDC-NFC-054", "VDC-NFC-043")


def _select(data: bytes, *, header: str = "00A40400", le: str = "00") -> bytes:
    return bytes.fromhex(header) + bytes([len(data)]) + data + bytes.fromhex(le)


def _selections() -> Iterable[Param | Parameter]:
    yield param("aid-prefix", (_select(AID[:-1]), 0x6A82), *R_NFC020_NFC040)
    yield param("aid-and-one-more-byte", (_select(AID + b"\x00"), 0x6A82), *R_NFC020_NFC040)
    yield param("aid-last-byte-changed", (_select(AID[:-1] + b"\x46"), 0x6A82), *R_NFC020_NFC040)
    yield param("aid-first-byte-changed", (_select(b"\xa0" + AID[1:]), 0x6A82), *R_NFC020_NFC040)
    yield param("data-4-bytes", (_select(AID[:4]), 0x6700), *R_NFC040_NFC042)
    yield param("data-5-bytes", (_select(AID[:5]), 0x6A82), *R_NFC020_NFC040)
    yield param("data-16-bytes", (_select(AID + bytes(9)), 0x6A82), *R_NFC020_NFC040)
    yield param("data-17-bytes", (_select(AID + bytes(10)), 0x6700), *R_NFC040_NFC042)
    yield param("p2-0c-no-fci", (_select(AID, header="00A4040C"), 0x6A86), *R_NFC021_NFC040)
    yield param(
        "p2-02-next-occurrence", (_select(AID, header="00A40402"), 0x6A86), *R_NFC021_NFC040
    )
    yield param("p1-02-child-df", (_select(AID, header="00A40200"), 0x6A86), *R_NFC021_NFC040)
    yield param("class-80", (_select(AID, header="80A40400"), 0x6E00), *R_NFC021_NFC040)
    yield param(
        "class-0c-secure-messaging", (_select(AID, header="0CA40400"), 0x6E00), *R_NFC021_NFC040
    )
    yield param(
        "extended-le-0000",
        (bytes.fromhex("00A4040000") + b"\x00\x07" + AID + b"\x00\x00", OK),
        *R_NFC011_NFC020,
    )
    yield param("le-00-is-256", (_select(AID), OK), *R_NFC011_NFC020)


@tc(
    "TC-NFC-025",
    title="SELECT opens the application for its exact AID, P1-P2 and length only",
    purpose="The AID without its last byte, with one more byte or with a byte changed "
    "answers 6A82; 4 or 17 bytes of data 6700 while 5 and 16 are looked up (6A82); "
    "P2 0C or 02 and P1 02 answer 6A86, classes 80 and 0C 6E00, all with no data; an "
    "extended Le 0000 (65536) and a short Le 00 (256) get the FCI.",
    verifies=["VDC-NFC-020", "VDC-NFC-021", "VDC-NFC-011", "VDC-NFC-040", "VDC-NFC-042"],
    profile="holder",
    kind="boundary",
    preconditions="holder provisioned when it can be set up; nothing selected",
    expected="the listed status word without data; 9000 with the FCI for the exact AID",
    operations=["holder.transmit"],
    params=_selections,
)
def test_selection(iut: IutBase, param: tuple[bytes, int]) -> None:
    from conformance.cases.holder._reader import apdu_session

    command, sw = param
    reply = Reply.of(apdu_session(iut)(command))
    expect(
        reply.sw == sw and (sw == OK) == bool(reply.data),
        "SELECT not answered as specified",
        expected=f"{sw:04X}" + (" with the FCI" if sw == OK else " without data"),
        got=reply.hex()[:80],
    )
    if sw == OK:
        expect(
            reply.data[:1] == b"\x6f",
            "the answer is not an FCI",
            got=reply.hex()[:80],
            expected="response data starting with the FCI template 6F",
        )


@tc(
    "TC-NFC-032",
    title="A SELECT whose Le is one byte short of the FCI gets 6CXX with the exact length",
    purpose="Le equal to the FCI length or one more gets the FCI; one byte less gets 6CXX "
    "where XX is that length, with no data and no new session (the established one "
    "still reads).",
    verifies=["VDC-NFC-053", "VDC-NFC-063"],
    profile="holder",
    kind="boundary",
    preconditions="holder provisioned and armed, session established",
    expected="9000 and the FCI at Le = length; 6CXX at length - 1; then READ ELEMENTS 9000",
    operations=OPS,
)
def test_select_le_edge(iut: IutBase) -> None:
    s = Scripted(provisioned(iut)).open()
    length = len(s.fci)
    short = s.send(_select(AID, le=f"{length - 1:02X}"))
    expect_sw(short, 0x6C00 | length, "SELECT with Le one byte short")
    reply = s.read([2])
    expect(
        reply.sw == OK,
        "the 6CXX answer started a new session",
        got=reply.hex()[:40],
        expected="9000 for the SELECT after 6CXX",
    )
    for le in (length, length + 1):
        exact = s.send(_select(AID, le=f"{le:02X}"))
        expect(
            exact.sw == OK and len(exact.data) == length,
            f"SELECT with Le {le} (the FCI is {length} bytes)",
            expected=f"{length} bytes and 9000",
            got=exact.hex()[:80],
        )


Probe = tuple[str, Callable[[Scripted], None], bytes, int]
"""(name, how to reach the state, the command sent, the status word it must get)."""


def _idle(s: Scripted) -> None:
    """Nothing selected."""


def _open_chain(s: Scripted) -> None:
    s.select()
    expect_sw(s.send(bytes.fromhex("9086000003010203")), OK, "a chained part was refused")


def _orders() -> Iterable[Param | Parameter]:
    read = bytes.fromhex("80CB0000") + b"\x00\x00\x20" + bytes(32)
    big = bytes.fromhex("80CB0000") + b"\x00\x10\x01" + bytes(4097)
    yield param(
        "p1p2-before-state",
        (_idle, bytes.fromhex("80CB0001") + b"\x01\x00\x00", 0x6A86),
        *R_NFC042_NFC040,
    )
    yield param("state-before-le", (_idle, read, 0x6985), *R_NFC042_NFC040)
    yield param("state-before-size", (_idle, big + b"\x00\x00", 0x6985), *R_NFC042_NFC051)
    yield param("size-before-le", (Scripted.open, big, 0x6A84), *R_NFC042_NFC051)
    yield param(
        "size-before-content",
        (Scripted.select, bytes.fromhex("80860000001001") + bytes(4097), 0x6A84),
        *R_NFC042_NFC051,
    )
    yield param(
        "class-before-instruction", (_idle, bytes.fromhex("F0FE000000"), 0x6E00), *R_NFC042_NFC040
    )
    yield param(
        "class-of-instruction-before-p1p2",
        (_idle, bytes.fromhex("00CB010000"), 0x6E00),
        *R_NFC042_NFC040,
    )
    yield param(
        "instruction-before-state",
        (Scripted.open, bytes.fromhex("80B0000000"), 0x6D00),
        *R_NFC042_NFC040,
    )
    yield param(
        "structure-before-class", (_idle, bytes.fromhex("F0A40400050102"), 0x6700), *R_NFC042_NFC040
    )
    yield param(
        "chaining-bit-before-p1p2", (_idle, bytes.fromhex("10C0000100"), 0x6884), *R_NFC042_NFC040
    )
    yield param(
        "chain-before-chaining-bit",
        (_open_chain, bytes.fromhex("10A4040007") + AID + b"\x00", 0x6883),
        *R_NFC042_NFC054,
    )
    yield param(
        "chain-before-get-response",
        (_open_chain, bytes.fromhex("00C0000000"), 0x6883),
        *R_NFC042_NFC054,
    )
    yield param(
        "chain-before-p1p2",
        (_open_chain, bytes.fromhex("8086000103010203"), 0x6883),
        *R_NFC042_NFC054,
    )
    yield param(
        "get-response-without-le-before-its-own-checks",
        (_idle, bytes.fromhex("00C000000101"), 0x6700),
        *R_NFC042_NFC040,
    )


@tc(
    "TC-NFC-026",
    title="Two faults in one command get the status word of the first check",
    purpose="A command breaking two rules is answered with the status word of the check "
    "that comes first in the order of VDC-NFC-042: P1-P2 before state, state before Le and "
    "buffer size, size before Le and content, class before instruction, structure before "
    "class, chaining bit before P1-P2, an open chain before everything after it.",
    verifies=["VDC-NFC-042", "VDC-NFC-040", "VDC-NFC-051", "VDC-NFC-054"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed; the state each probe needs",
    expected="the status word of the first failing check, without data",
    operations=OPS,
    params=_orders,
)
def test_order_of_checks(
    iut: IutBase, param: tuple[Callable[[Scripted], object], bytes, int]
) -> None:
    reach, command, sw = param
    s = Scripted(provisioned(iut))
    reach(s)
    expect_sw(s.send(command), sw, "answered by a later check than the first failing one")


def _part(ins: int, data: bytes, *, last: bool = False, p1p2: bytes = b"\0\0") -> bytes:
    return bytes([0x80 if last else 0x90, ins]) + p1p2 + bytes([len(data)]) + data


def _chained(field: bytes, size: int = 255) -> list[bytes]:
    pieces = [field[i : i + size] for i in range(0, len(field), size)]
    return [_part(0x86, p, last=n == len(pieces) - 1) for n, p in enumerate(pieces)]


def _chain_le_ignored(s: Scripted) -> None:
    s.select()
    parts = _chained(s.field(), 200)
    first = parts[0] + b"\x00"  # an Le in a non-final part
    expect_sw(s.send(first), OK, "a non-final part carrying an Le was refused")
    for part in parts[1:-1]:
        expect_sw(s.send(part), OK, "a chained part was refused")
    expect_sw(s.send(parts[-1]), OK, "the chained ESTABLISH SESSION failed")


def _interrupted_by_select(s: Scripted) -> None:
    s.select()
    field = s.field()
    expect_sw(s.send(_chained(field)[0]), OK, "the first part was refused")
    expect_sw(s.send(SELECT), 0x6883, "SELECT inside an open chain")
    # The SELECT was not executed (same FCI, same key) and the chain was discarded.
    reply = s.send(apdu(0x80, 0x86, field, le=False))
    expect_sw(reply, OK, "the SELECT inside the chain ran, or the chain was kept")


def _interrupted_by_other_p1p2(s: Scripted) -> None:
    s.select()
    parts = _chained(s.field())
    expect_sw(s.send(parts[0]), OK, "the first part was refused")
    other = parts[1][:2] + b"\x00\x01" + parts[1][4:]
    expect_sw(s.send(other), 0x6883, "a part with other P1-P2 continued the chain")
    # The rest of the chain alone is not a field: with the first part kept it would be.
    for part in parts[1:-1]:
        expect_sw(s.send(part), OK, "a chained part was refused")
    expect_sw(s.send(parts[-1]), 0x6A80, "the chain was not discarded by 6883")


def _bound(total: int, sw: int) -> Callable[[Scripted], None]:
    def run(s: Scripted) -> None:
        s.select()
        data = bytes(total)
        pieces = [data[i : i + 255] for i in range(0, total, 255)]
        parts = [_part(0x86, p, last=n == len(pieces) - 1) for n, p in enumerate(pieces)]
        for part in parts[:-1]:
            expect_sw(s.send(part), OK, "a chained part within 4096 bytes was refused")
        expect_sw(s.send(parts[-1]), sw, f"a chain of {total} bytes")
        if sw == 0x6A84:
            reply = s.establish()
            expect_sw(reply, OK, "the refused chain was not discarded")

    return run


def _single(total: int, sw: int) -> Callable[[Scripted], None]:
    def run(s: Scripted) -> None:
        s.select()
        expect_sw(s.send(apdu(0x80, 0x86, bytes(total), le=False)), sw, f"{total} bytes at once")

    return run


def _chain_in_idle(s: Scripted) -> None:
    expect_sw(s.send(_part(0x86, b"\x01\x02")), 0x6985, "a chained part before SELECT")
    reply = s.send(SELECT)
    expect(reply.sw == OK, "a chain was opened in IDLE", expected="9000", got=reply.hex()[:40])


def _chained_receipt(s: Scripted) -> None:
    s.open()
    expect(s.read([2]).sw == OK, "the read failed", expected="9000")
    sealed = s.sealed(0xDB, s.receipt_plaintext())[7:-2]
    pieces = [sealed[i : i + 40] for i in range(0, len(sealed), 40)]
    for piece in pieces[:-1]:
        expect_sw(s.send(_part(0xDB, piece)), OK, "a chained receipt part was refused")
    reply = s.send(_part(0xDB, pieces[-1], last=True) + b"\x00")
    s.counter += 1
    expect(
        reply.sw == OK and len(reply.data) == 16,
        "the chained receipt",
        got=reply.hex(),
        expected="9000 with the 16-byte tag of an empty plaintext",
    )


def _chains() -> Iterable[Param | Parameter]:
    yield param("le-in-non-final-part-ignored", _chain_le_ignored, "VDC-NFC-050")
    yield param("interrupted-by-select", _interrupted_by_select, *R_NFC054_NFC043)
    yield param("interrupted-by-other-p1p2", _interrupted_by_other_p1p2, *R_NFC054_NFC043)
    yield param("chain-of-4095-bytes", _bound(4095, 0x6A80), "VDC-NFC-051")
    yield param("chain-of-4096-bytes", _bound(4096, 0x6A80), "VDC-NFC-051")
    yield param("chain-of-4097-bytes", _bound(4097, 0x6A84), "VDC-NFC-051")
    yield param("extended-4096-bytes", _single(4096, 0x6A80), "VDC-NFC-051")
    yield param("extended-4097-bytes", _single(4097, 0x6A84), "VDC-NFC-051")
    yield param("chained-part-before-select", _chain_in_idle, "VDC-NFC-060", "VDC-NFC-050")
    yield param("chained-receipt", _chained_receipt, "VDC-NFC-050")


@tc(
    "TC-NFC-027",
    title="Command chains: parts, interruptions and the 4096-byte bound",
    purpose="An Le in a non-final part is ignored; a SELECT or a part with other P1-P2 "
    "inside a chain gets 6883, is not executed and discards the chain; 4096 bytes of "
    "command data, chained or in one extended APDU, reach the command's own checks "
    "(6A80 for junk) while 4097 get 6A84 and discard the chain; a chained part in IDLE "
    "gets 6985 and opens no chain; a chained receipt is filed.",
    verifies=["VDC-NFC-050", "VDC-NFC-051", "VDC-NFC-054", "VDC-NFC-043", "VDC-NFC-060"],
    profile="holder",
    kind="boundary",
    preconditions="holder provisioned and armed",
    expected="the status words of the table at each step, as listed for each chain",
    operations=OPS,
    params=_chains,
)
def test_chains(iut: IutBase, param: Callable[[Scripted], None]) -> None:
    param(Scripted(provisioned(iut)))


@tc(
    "TC-NFC-033",
    title="The FCI is exactly the DF name, the versions, a fresh point and the buffer size",
    purpose="The SELECT response data is one template 6F holding 84 (the AID) and A5, "
    "which holds 80 (one byte per version, 01 among them), 81 (a 65-byte uncompressed "
    "point on P-256) and 82 (1000, the 4096-byte buffer), in that order, in minimal "
    "BER-TLV and nothing else.",
    verifies=["VDC-NFC-022", "VDC-NFC-030", "VDC-SM-002", "VDC-NFC-051"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned when it can be set up; nothing selected",
    expected="the FCI of the table, every byte accounted for",
    operations=["holder.transmit"],
)
def test_fci_content(iut: IutBase) -> None:
    from conformance.cases.holder._reader import apdu_session
    from vitale_ref.apdu import TlvError, expect_tags
    from vitale_ref.sm import SmError, decode_point

    reply = Reply.of(apdu_session(iut)(SELECT))
    expect(reply.sw == OK, "SELECT failed", expected="9000", got=reply.hex()[:40])
    try:
        (template,) = expect_tags(reply.data, (0x6F,))
        name, proprietary = expect_tags(template, (0x84, 0xA5))
        versions, point, limit = expect_tags(proprietary, (0x80, 0x81, 0x82))
    except TlvError as error:
        expect(
            False,
            f"the FCI is not the template of the table: {error}",
            got=reply.hex()[:120],
            expected="6F { 84 AID, A5 { 80, 81, 82 } } as in VDC-NFC-022",
        )
        return
    expect(name == AID, "the FCI names another application", expected=AID.hex(), got=name.hex())
    expect(
        b"\x01" in versions,
        "version 01 is not offered",
        got=versions.hex(),
        expected="FCI tag 80 listing version 01",
    )
    expect(limit == b"\x10\x00", "the buffer size is not 4096", expected="1000", got=limit.hex())
    try:
        decode_point(point)
    except SmError as error:
        expect(
            False,
            f"the device key is not a P-256 point: {error}",
            got=point.hex()[:40],
            expected="FCI tag 81: a 65-byte uncompressed point on P-256",
        )
