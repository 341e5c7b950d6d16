"""Holder profile: the suite plays the reader against a holder device (VDC-NFC, VDC-SM)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from conformance.adapters import IutBase
from conformance.cases.holder._reader import (
    APDU_LEVEL,
    SELECT,
    apdu_session,
    later,
    provisioned,
    read_fails_with,
)
from conformance.catalogue import Param, tc
from conformance.outcomes import expect
from vitale_ref.reader import ReaderError, ReaderIdentity

SETUP = ["holder.setup", "holder.arm", "holder.transmit"]


def _modes() -> Iterable[Param]:
    return [("extended", True), ("short-chained", False)]


@tc(
    "TC-NFC-001",
    title="An authenticated read discloses exactly the requested elements",
    purpose="SELECT, ESTABLISH SESSION and READ ELEMENTS complete; the presentation "
    "verifies, is bound to the device key and holds only what was asked.",
    verifies=[
        "VDC-NFC-020",
        "VDC-NFC-021",
        "VDC-NFC-022",
        "VDC-NFC-023",
        "VDC-NFC-010",
        "VDC-NFC-013",
        "VDC-NFC-200",
        "VDC-SM-010",
        "VDC-SM-011",
        "VDC-SM-020",
        "VDC-SM-021",
        "VDC-SM-030",
        "VDC-SM-001",
        "VDC-SM-050",
        "VDC-NFC-120",
        "VDC-CRED-060",
    ],
    profile="holder",
    kind="positive",
    preconditions="holder provisioned and armed",
    expected="a verified read with elements {1, 2, 4}",
    operations=SETUP,
    params=_modes,
)
def test_authenticated_read(iut: IutBase, param: bool) -> None:
    holder = provisioned(iut)
    try:
        result = holder.read([1, 2, 4], extended=param)
    except ReaderError as error:
        expect(False, f"the read failed: {error}", expected="a verified read", got=str(error))
        return
    got = sorted(result.elements)
    expect(got == [1, 2, 4], "other elements disclosed", expected="[1, 2, 4]", got=str(got))


@tc(
    "TC-NFC-002",
    title="Long exchanges use command chaining and GET RESPONSE",
    purpose="A reader limited to short APDUs completes the read through chaining and 61XX.",
    verifies=["VDC-NFC-050", "VDC-NFC-052", "VDC-NFC-011"],
    profile="holder",
    kind="positive",
    preconditions="holder provisioned and armed",
    expected="the read completes with short APDUs only",
    operations=SETUP,
)
def test_short_apdus(iut: IutBase) -> None:
    holder = provisioned(iut)
    lengths: list[int] = []
    send = holder.transmit()

    def spy(command: bytes) -> bytes:
        lengths.append(len(command))
        return send(command)

    try:
        holder.read([1, 2, 3, 4], extended=False, transmit=spy)
    except ReaderError as error:
        expect(False, f"short-APDU read failed: {error}", expected="success", got=str(error))
    expect(
        max(lengths) <= 261,
        "an extended APDU was needed",
        got=str(max(lengths)),
        expected="every command APDU of at most 261 bytes (short APDUs)",
    )


@tc(
    "TC-NFC-003",
    title="No read while presence is not armed",
    purpose="Without the holder's unlock, READ ELEMENTS answers 6982 and discloses nothing.",
    verifies=["VDC-NFC-111", "VDC-NFC-041"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned, not armed",
    expected="SW 6982 on READ ELEMENTS",
    operations=SETUP,
)
def test_not_armed(iut: IutBase) -> None:
    read_fails_with(provisioned(iut, armed=False), 0x6982, [1, 2])


def _window() -> Iterable[Param]:
    return [
        ("59s-allowed", (59, None)),
        ("60s-refused", (60, 0x6982)),
        ("61s-refused", (61, 0x6982)),
        ("1h", (3600, 0x6982)),
    ]


@tc(
    "TC-NFC-004",
    title="The presentation window lasts 60 seconds",
    purpose="A read is answered strictly within 60 s after unlock and refused after.",
    verifies=["VDC-NFC-112", "VDC-NFC-113"],
    profile="holder",
    kind="boundary",
    preconditions="holder armed at T",
    expected="read at T+59 s succeeds; at T+60 s and later SW 6982",
    operations=SETUP,
    params=_window,
)
def test_presence_window(iut: IutBase, param: tuple[int, int | None]) -> None:
    seconds, sw = param
    holder = provisioned(iut)
    if sw is None:
        try:
            holder.read([2], at=later(seconds))
        except ReaderError as error:
            expect(False, "read refused inside the window", expected="success", got=str(error))
        return
    read_fails_with(holder, sw, [2], at=later(seconds))


def _bad_commands() -> Iterable[Param]:
    other_aid = bytes.fromhex("00A4040007A000000003101000")
    return [
        ("select-other-aid", (other_aid, 0x6A82)),
        ("select-lc-too-long", (bytes.fromhex("00A4040009F0564954414C4500"), 0x6700)),
        ("select-no-le", (SELECT[:-1], 0x6700)),
        ("unknown-ins", (bytes.fromhex("80FE000000"), 0x6D00)),
        ("unknown-cla", (bytes.fromhex("F0A4040007F0564954414C4500"), 0x6E00)),
        ("select-bad-p1p2", (bytes.fromhex("00A4000007F0564954414C4500"), 0x6A86)),
        ("establish-before-select", (bytes.fromhex("8086000001AA"), 0x6985)),
        ("get-response-nothing", (bytes.fromhex("00C0000000"), 0x6985)),
        ("truncated", (bytes.fromhex("00A404"), 0x6700)),
        ("establish-class-00", (bytes.fromhex("0086000003010203"), 0x6E00)),
        ("read-class-00", (bytes.fromhex("00CB00000301020300"), 0x6E00)),
        ("receipt-class-00", (bytes.fromhex("00DB00000301020300"), 0x6E00)),
        ("get-response-class-80", (bytes.fromhex("80C0000000"), 0x6E00)),
        ("establish-p1p2-0100", (bytes.fromhex("8086010003010203"), 0x6A86)),
        ("read-p1p2-0001", (bytes.fromhex("80CB00010301020300"), 0x6A86)),
        ("receipt-p1p2-0100", (bytes.fromhex("80DB01000301020300"), 0x6A86)),
        ("get-response-p1p2-0001", (bytes.fromhex("00C0000100"), 0x6A86)),
        ("read-binary-unsupported", (bytes.fromhex("00B0000000"), 0x6D00)),
        ("chained-get-response", (bytes.fromhex("10C0000000"), 0x6884)),
    ]


@tc(
    "TC-NFC-005",
    title="Malformed or misplaced commands get the status word of the table",
    purpose="Each refused command answers the SW the status-word table gives, in the "
    "order of checks, with no data.",
    verifies=["VDC-NFC-040", "VDC-NFC-042", "VDC-NFC-010", "VDC-NFC-060", "VDC-NFC-021"],
    profile="holder",
    kind="negative",
    preconditions="fresh session; provisioned when the holder can be set up",
    expected="the listed status word, alone",
    operations=APDU_LEVEL,
    params=_bad_commands,
)
def test_status_words(iut: IutBase, param: tuple[bytes, int]) -> None:
    command, sw = param
    response = apdu_session(iut)(command)
    expect(
        response == sw.to_bytes(2, "big"),
        "wrong answer to a refused command",
        expected=f"{sw:04X}",
        got=response.hex().upper(),
    )


@tc(
    "TC-NFC-006",
    title="A refused command changes nothing",
    purpose="After refused commands, the holder still completes a normal read.",
    verifies=["VDC-NFC-043"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed",
    expected="a read succeeds after a burst of refused commands",
    operations=SETUP,
)
def test_refused_commands_change_nothing(iut: IutBase) -> None:
    holder = provisioned(iut)
    send = holder.transmit()
    for _, (command, _sw) in _bad_commands():
        send(command)
    try:
        holder.read([2])
    except ReaderError as error:
        expect(False, "read failed after refused commands", expected="success", got=str(error))


@tc(
    "TC-NFC-007",
    title="Only elements the reader certificate allows are disclosed",
    purpose="A nurse's reader asking for everything receives the intersection only.",
    verifies=["VDC-NFC-110", "VDC-NFC-114"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed",
    expected="elements within the nurse's allowed set {1, 2, 3, 4, 7, 8}",
    operations=SETUP,
)
def test_intersection(iut: IutBase) -> None:
    holder = provisioned(iut)
    try:
        result = holder.read([1, 2, 5, 6, 9, 10], reader="nurse")
    except ReaderError as error:
        expect(False, f"the read failed: {error}", expected="elements [1, 2]", got=str(error))
        return
    got = sorted(result.elements)
    expect(
        got == [1, 2], "elements outside the certificate disclosed", expected="[1, 2]", got=str(got)
    )
    read_fails_with(provisioned(iut), 0x6A88, [5, 6, 9], reader="nurse")


def _forged_readers() -> Iterable[Param]:
    from conformance.cases import _material as m
    from vitale_ref.pki import generate_test_pki

    stranger = generate_test_pki("conformance/stranger").readers["doctor"]
    yield "unknown-root", ReaderIdentity(chain=(stranger.der,), key=stranger.private_key)
    doctor = m.material().pki.readers["doctor"]
    yield "wrong-signing-key", ReaderIdentity(chain=(doctor.der,), key=stranger.private_key)


@tc(
    "TC-SM-001",
    title="Readers that do not authenticate get nothing",
    purpose="A reader certificate from another root, or a signature by another key, "
    "ends ESTABLISH SESSION with 6300 before anything is disclosed.",
    verifies=["VDC-SM-012", "VDC-SM-013", "VDC-SM-011"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed",
    expected="SW 6300 on ESTABLISH SESSION",
    operations=SETUP,
    params=_forged_readers,
)
def test_reader_authentication(iut: IutBase, param: ReaderIdentity) -> None:
    read_fails_with(provisioned(iut), 0x6300, [1, 2], identity=param)


@tc(
    "TC-SM-002",
    title="An integrity failure ends the session and discloses nothing",
    purpose="A READ ELEMENTS whose protected data were altered answers 6988; the "
    "session is over, so the genuine command sent next is refused too.",
    verifies=["VDC-SM-034", "VDC-SM-033", "VDC-NFC-061", "VDC-SM-022"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed, session established",
    expected="6988 for the altered command, then 6985 for the genuine one",
    operations=SETUP,
)
def test_integrity_failure(iut: IutBase) -> None:
    holder = provisioned(iut)
    send = holder.transmit()
    seen: dict[str, bytes] = {}

    def tamper(command: bytes) -> bytes:
        if command[1] == 0xCB and "read" not in seen:
            seen["read"] = command
            altered = command[:7] + bytes([command[7] ^ 0x01]) + command[8:]
            seen["answer"] = send(altered)
            return seen["answer"]
        return send(command)

    with contextlib.suppress(ReaderError):
        holder.read([1, 2], transmit=tamper)
    answer = seen.get("answer", b"")
    expect(
        answer == b"\x69\x88",
        "altered command not refused with 6988",
        expected="6988",
        got=answer.hex().upper(),
    )
    again = send(seen["read"])
    expect(
        again == b"\x69\x85",
        "the session survived an integrity failure",
        expected="6985",
        got=again.hex().upper(),
    )


@tc(
    "TC-NFC-008",
    title="One read per session",
    purpose="After a completed READ ELEMENTS, the same session refuses another read.",
    verifies=["VDC-NFC-064", "VDC-NFC-060"],
    profile="holder",
    kind="negative",
    preconditions="a read completed in the current session",
    expected="6985 for a second READ ELEMENTS",
    operations=SETUP,
)
def test_one_read_per_session(iut: IutBase) -> None:
    holder = provisioned(iut)
    send = holder.transmit()
    reads: list[bytes] = []

    def spy(command: bytes) -> bytes:
        if command[1] == 0xCB:
            reads.append(command)
        return send(command)

    holder.read([2], transmit=spy)
    again = send(reads[-1])
    expect(
        again == b"\x69\x85",
        "a second read was not refused by state",
        expected="6985",
        got=again.hex().upper(),
    )
