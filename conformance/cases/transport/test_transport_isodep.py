"""Transport profile: ISO-DEP blocks on the air, seen by the suite's own nfcpy reader.

Through `nfc:PATH` the suite drops its usual reader session and speaks ISO/IEC 14443-4
itself: RATS and the ATS, I-blocks with their block numbers, R(NAK) and R(ACK),
chaining in both directions, S(DESELECT), and a chain longer than any APDU.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

from conformance.adapters import IutBase
from conformance.adapters.nfc import watchdog_seconds, within
from conformance.cases.holder._reader import SELECT
from conformance.cases.transport.test_transport import prepared, through
from conformance.catalogue import tc
from conformance.outcomes import expect
from vitale_ref.transport import CardAbsentError
from vitale_ref.transport._nfc import NfcReaderTransport, _nfc, _open, udp_endpoint

RATS = bytes.fromhex("E080")  # FSDI 8: the reader takes frames of 256 bytes
DESELECT = bytes.fromhex("C2")
ESTABLISH_JUNK = bytes.fromhex("80860000") + b"\x00\x01\x2c" + bytes(300)


class Air:
    """The suite's raw ISO-DEP link to the card under test."""

    def __init__(self, path: str) -> None:
        self.nfc: Any = _nfc()
        self.clf: Any = _open(*udp_endpoint(path), listen=False)
        self.target: Any = None
        for _ in range(60):
            self.target = self.clf.sense(self.nfc.clf.RemoteTarget("106A"), iterations=1)
            if self.target is not None:
                break
        expect(self.target is not None, "no Type A target answered", expected="a target")

    def send(self, frame: bytes, timeout: float = 1.0) -> bytes | None:
        """One frame out, the answer back; None when the card stays silent."""
        try:
            return bytes(self.clf.exchange(bytearray(frame), timeout))
        except self.nfc.clf.TimeoutError:
            return None

    def close(self) -> None:
        self.clf.close()


def _is(got: bytes | None, wanted: bytes, why: str) -> None:
    expect(got == wanted, why, expected=wanted.hex().upper(), got=got.hex().upper() if got else "")


@tc(
    "TC-TRN-007",
    title="ISO-DEP activation, block numbers, retransmission and deselection",
    purpose="The card selects as ISO/IEC 14443-4 compliant, answers RATS with the ATS of "
    "the binding, answers each I-block with its block number, resends its last block on "
    "R(NAK) of its number and acknowledges the other, chains both ways, answers "
    "S(DESELECT) and is then silent until a new RATS, which starts a new session.",
    verifies=["VDC-TRN-030", "VDC-TRN-031", "VDC-TRN-032", "VDC-TRN-033", "VDC-TRN-034"],
    profile="transport",
    kind="positive",
    preconditions="the holder behind an nfcpy link (`nfc:PATH`)",
    expected="SEL_RES bit 6; ATS 05 78 00 B0 00 + historical bytes; the exchanges of the "
    "ISO-DEP table; 6985 to ESTABLISH SESSION after the new activation",
    operations=["holder.transmit"],
)
def test_blocks_on_air(iut: IutBase) -> None:
    adapter = through(iut, "nfc")
    prepared(iut)
    adapter.new_session()
    air = Air(adapter.path)  # type: ignore[attr-defined]
    try:
        sel_res = bytes(air.target.sel_res or b"\x00")
        expect(
            bool(sel_res[0] & 0x20),
            "not ISO/IEC 14443-4 compliant",
            got=sel_res.hex(),
            expected="SEL_RES with bit 6 set (ISO/IEC 14443-4 compliant)",
        )
        ats = air.send(RATS, 0.03) or b""
        well_formed = len(ats) >= 5 and ats[0] == len(ats) and ats[1:5] == bytes.fromhex("7800B000")
        expect(well_formed, "ATS differs", expected="TL 78 00 B0 00 ...", got=ats.hex().upper())
        answer = air.send(b"\x02" + SELECT) or b""
        expect(
            answer[:1] == b"\x02" and answer.endswith(b"\x90\x00"),
            "I-block 0",
            got=answer.hex(),
            expected="an I-block with block number 0 ending in 9000",
        )
        _is(air.send(b"\xb2"), answer, "R(NAK) of the card's number did not resend its block")
        _is(air.send(b"\xb3"), b"\xa2", "R(NAK) of the other number was not acknowledged")
        first, rest = ESTABLISH_JUNK[:200], ESTABLISH_JUNK[200:]
        _is(air.send(b"\x13" + first), b"\xa3", "a chained I-block was not acknowledged")
        response = air.send(b"\x02" + rest) or b""
        _is(response, b"\x02\x6a\x80", "the joined command was not answered in block 0")
        _is(air.send(DESELECT), DESELECT, "S(DESELECT) not answered")
        silent = air.send(b"\x03" + SELECT, 0.2)
        expect(
            silent is None,
            "the card answered after deselection",
            got=str(silent),
            expected="no answer until the next RATS",
        )
        again = air.send(RATS, 0.03) or b""
        _is(again, ats, "no new activation after deselection")
        after = air.send(b"\x02" + ESTABLISH_JUNK[:4] + b"\x03\x01\x02\x03") or b""
        _is(after, b"\x02\x69\x85", "the session survived deselection")
    finally:
        air.close()


def _exchange(dep: Any, command: bytes) -> Callable[[], bytes]:
    return lambda: bytes(dep.exchange(bytearray(command), 2.0))


@tc(
    "TC-TRN-008",
    title="A chain longer than any APDU is dropped and answered 6700",
    purpose="A chained command of 65,544 bytes (the longest extended APDU) reaches the "
    "holder, which answers it by its own rules (6985: nothing selected); one byte more is "
    "acknowledged block by block, not kept, and answered 6700 by the card, which then "
    "serves the next command.",
    verifies=["VDC-TRN-035"],
    profile="transport",
    kind="boundary",
    preconditions="the holder behind an nfcpy link (`nfc:PATH`)",
    expected="6985 to the 65,544-byte chain, 6700 to the 65,545-byte one, then 9000 to SELECT",
    operations=["holder.transmit"],
)
def test_bounded_chain(iut: IutBase) -> None:
    adapter = through(iut, "nfc")
    prepared(iut)
    adapter.new_session()
    air = Air(adapter.path)  # type: ignore[attr-defined]
    try:
        air.send(RATS, 0.03)
        dep = air.nfc.tag.tt4.IsoDepInitiator(air.clf, 256, 0.7)
        longest = bytes.fromhex("80860000") + b"\x00\xff\xff" + bytes(65_535) + b"\x00\x00"
        seconds = watchdog_seconds()
        for command, wanted, why in (
            (longest, b"\x69\x85", "the longest APDU did not reach the holder"),
            (longest + b"\x00", b"\x67\x00", "the chain beyond the longest APDU was kept"),
        ):
            answer = within(seconds, _exchange(dep, command), air.close)
            _is(answer, wanted, why)
        again = within(seconds, lambda: bytes(dep.exchange(bytearray(SELECT), 2.0)), air.close)
        _is(again[-2:], b"\x90\x00", "the card stopped")
    finally:
        air.close()


@tc(
    "TC-TRN-020",
    title="At the smallest FSD a response crosses in chained blocks, resent on request",
    purpose="After RATS with FSDI 0 (frames of 16 bytes, CRC included) the answer to SELECT "
    "comes as chained I-blocks of at most 13 bytes of data; an R(NAK) or an R(ACK) "
    "carrying the card's current block number gets the same block again, an R(ACK) with "
    "the next number the next part with that number, and the parts join into the FCI "
    "and 9000.",
    verifies=["VDC-TRN-031", "VDC-TRN-032", "VDC-TRN-033"],
    profile="transport",
    kind="boundary",
    preconditions="the holder behind an nfcpy link (`nfc:PATH`)",
    expected="blocks of at most 14 bytes without CRC, resent on R(NAK) and R(ACK) of their "
    "number, joining into the FCI and 9000",
    operations=["holder.transmit"],
)
def test_smallest_frames(iut: IutBase) -> None:
    adapter = through(iut, "nfc")
    prepared(iut)
    adapter.new_session()
    air = Air(adapter.path)  # type: ignore[attr-defined]
    try:
        air.send(bytes([0xE0, 0x00]), 0.03)  # FSDI 0: FSD 16
        block = air.send(b"\x02" + SELECT) or b""
        data, number, parts = b"", 0, 0
        while True:
            expect(
                0 < len(block) <= 14 and block[0] & 0xEF == 0x02 | number,
                f"block {parts} of the answer",
                expected=f"an I-block numbered {number} of at most 14 bytes",
                got=block.hex().upper()[:40],
            )
            data += block[1:]
            parts += 1
            if not block[0] & 0x10 or parts > 20:
                break
            _is(air.send(bytes([0xB2 | number])), block, "R(NAK) of its number: not resent")
            _is(air.send(bytes([0xA2 | number])), block, "R(ACK) of its number: not resent")
            number ^= 1
            block = air.send(bytes([0xA2 | number])) or b""
        expect(
            data[:1] == b"\x6f" and data.endswith(b"\x90\x00") and parts > 1,
            "the chained parts do not join into the FCI",
            expected="6F ... 9000 in several blocks",
            got=f"{parts} blocks: {data.hex().upper()[:40]}",
        )
    finally:
        air.close()


@tc(
    "TC-TRN-009",
    title="A card that stops answering ends the nfcpy session with a typed error",
    purpose="When the card goes silent in the middle of a session (here: deselected on "
    "the air), the reader transport reports it as CardAbsentError with a one-line message "
    "and ends the session; the next session starts with a new activation and works. An "
    "empty field is reported the same way.",
    verifies=["VDC-TRN-036"],
    profile="transport",
    kind="negative",
    preconditions="the holder behind an nfcpy link (`nfc:PATH`)",
    expected="CardAbsentError on one line, then 9000 to SELECT in a new session; "
    "CardAbsentError for an empty field",
    operations=["holder.transmit"],
)
def test_silent_card(iut: IutBase) -> None:
    adapter = through(iut, "nfc")
    prepared(iut)
    session: Any = adapter.reader_session()
    response = session.transmit(SELECT)
    expect(
        response.endswith(b"\x90\x00"),
        "SELECT refused",
        got=response.hex(),
        expected="9000 for SELECT",
    )
    session.tag.clf.exchange(bytearray(DESELECT), 0.5)  # the card is now silent
    try:
        session.transmit(SELECT)
    except CardAbsentError as error:
        expect(
            "\n" not in str(error) and str(error) != "",
            "not one line",
            got=repr(error),
            expected="one non-empty line",
        )
    else:
        expect(False, "a silent card was not reported", expected="CardAbsentError")
    expect(
        session.tag is None,
        "the session was not ended",
        got=repr(session.tag),
        expected="no session (a new activation needed)",
    )
    adapter.new_session()
    answer = iut.call("holder.transmit", {"apdu": SELECT.hex()})["response"]
    expect(
        answer.upper().endswith("9000"),
        "the next session failed",
        got=answer[-8:],
        expected="9000 in the next session",
    )
    _no_card_in_field()


def _no_card_in_field() -> None:
    """A udp link where no card listens: the transport reports no card, on one line."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    try:
        NfcReaderTransport(f"udp:127.0.0.1:{port}", wait=0.3).close()
    except CardAbsentError as error:
        expect(
            "\n" not in str(error) and str(error) != "",
            "not one line",
            got=repr(error),
            expected="one non-empty line",
        )
    else:
        expect(False, "an empty field was not reported", expected="CardAbsentError")
