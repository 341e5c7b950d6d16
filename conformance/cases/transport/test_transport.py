"""Transport profile: the reader bindings a holder is reached through (chapter VDC-TRN).

These cases apply only when the implementation under test sits behind a reader: a PC/SC
reader (`pcsc:READER`, for instance the vpcd reader holding `vitale emulate`) or an
nfcpy device (`nfc:PATH`). They look at what the binding itself must do: the ATR and
protocol a PC/SC client sees, extended APDUs, a reset or a new activation ending the
session, one response per command, commands too long for the binding, long chains in
both directions and the control channel. With `ref` or `stdio:` they are not applicable;
the card the suite plays for a reader under test is checked in reader/test_reader_card.py.
"""

from __future__ import annotations

import os
import stat
from functools import reduce
from typing import Any

from conformance.adapters import IutBase
from conformance.adapters.pcsc import ControlledApduIut, PcscIut
from conformance.cases.holder._reader import SELECT, provisioned
from conformance.catalogue import tc
from conformance.outcomes import NotApplicable, expect
from vitale_ref.transport import ApduTooLongError, TransportError
from vitale_ref.transport._control import ControlClient, ControlError

EXTENDED_SELECT = SELECT[:4] + b"\x00\x00\x07" + SELECT[5:12] + b"\x00\x00"
CHAINED_PART = bytes.fromhex("90860000FF") + bytes(255)


def through(iut: IutBase, *bindings: str) -> ControlledApduIut:
    """The adapter of a reader binding among `bindings`, else the case is not applicable."""
    if not isinstance(iut, ControlledApduIut) or iut.binding not in bindings:
        raise NotApplicable(f"the implementation is not reached through {' or '.join(bindings)}")
    return iut


def _sw(iut: IutBase, command: bytes) -> str:
    response = bytes.fromhex(iut.call("holder.transmit", {"apdu": command.hex()})["response"])
    expect(
        len(response) >= 2,
        "response without a status word",
        got=response.hex(),
        expected="a response of at least the two status bytes",
    )
    return response[-2:].hex().upper()


def prepared(iut: IutBase) -> None:
    """Provision the holder when the control channel offers it (a bare SELECT needs none)."""
    if "holder.setup" in iut.hello().operations:
        provisioned(iut, armed=False)


@tc(
    "TC-TRN-001",
    title="An unmodified PC/SC client sees T=1, the ATR and extended APDUs",
    purpose="pyscard's own API connects to the named reader with T=1, reads an ATR "
    "3B 8K 80 01 with K historical bytes and a right TCK, and exchanges an extended "
    "SELECT; the reader transport uses the reader named exactly as given. A card with "
    "another TS, T0, protocol byte, historical length or TCK, or one refusing T=1 or "
    "extended APDUs, fails.",
    verifies=["VDC-TRN-003", "VDC-TRN-010", "VDC-TRN-020"],
    profile="transport",
    kind="negative",
    preconditions="the holder behind a PC/SC reader (`pcsc:READER`)",
    expected="protocol T=1, a well-formed ATR, 9000 to the extended SELECT, the same reader",
    operations=["holder.transmit"],
)
def test_pcsc_client(iut: IutBase) -> None:
    adapter = through(iut, "pcsc")
    assert isinstance(adapter, PcscIut)
    adapter.new_session()
    prepared(iut)
    from smartcard.CardConnection import CardConnection
    from smartcard.System import readers

    name = adapter.reader_session().reader  # type: ignore[attr-defined]
    expect(
        adapter.reader is None or name == adapter.reader,
        "the transport chose another reader than the one named",
        expected=str(adapter.reader),
        got=str(name),
    )
    adapter.new_session()
    reader = next((r for r in readers() if str(r) == name), None)
    expect(reader is not None, "pyscard does not list the reader", expected=name, got="absent")
    assert reader is not None
    connection = reader.createConnection()
    try:
        connection.connect(CardConnection.T1_protocol)
        atr = bytes(connection.getATR())
        data, sw1, sw2 = connection.transmit(list(EXTENDED_SELECT))
        protocol = connection.getProtocol()
    finally:
        connection.disconnect()
    _check_atr(atr)
    expect(protocol == CardConnection.T1_protocol, "not T=1", expected="T=1", got=str(protocol))
    got = f"{sw1:02X}{sw2:02X}"
    expect(got == "9000" and len(data) > 0, "extended SELECT failed", expected="FCI 9000", got=got)


def _check_atr(atr: bytes) -> None:
    k = atr[1] & 0x0F if len(atr) > 1 else -1
    well_formed = (
        len(atr) >= 5
        and atr[0] == 0x3B
        and atr[1] >> 4 == 0x8
        and atr[2:4] == b"\x80\x01"
        and len(atr) == 4 + k + 1
    )
    expect(
        well_formed,
        "ATR not 3B 8K 80 01 + K bytes + TCK",
        got=atr.hex().upper(),
        expected="ATR 3B 8K 80 01, K historical bytes, TCK",
    )
    tck = reduce(lambda a, b: a ^ b, atr[1:-1], 0)
    expect(tck == atr[-1], "wrong TCK", expected=f"{tck:02X}", got=f"{atr[-1]:02X}")


@tc(
    "TC-TRN-002",
    title="A card reset or a new activation ends the session",
    purpose="Closing the reader session (PC/SC card reset, ISO-DEP field off) ends the "
    "session and any command chain: the next session starts idle, every APDU going "
    "through the reader.",
    verifies=["VDC-TRN-011", "VDC-TRN-030", "VDC-TRN-034", "VDC-TRN-040"],
    profile="transport",
    kind="negative",
    preconditions="the holder behind a reader (`pcsc:` or `nfc:`)",
    expected="after the reset ESTABLISH SESSION answers 6985 (no selection) and SELECT 9000 "
    "(no open chain)",
    operations=["holder.transmit"],
)
def test_reset_ends_session(iut: IutBase) -> None:
    adapter = through(iut, "pcsc", "nfc")
    prepared(iut)
    expect(_sw(iut, SELECT) == "9000", "SELECT refused", expected="9000")
    expect(_sw(iut, CHAINED_PART) == "9000", "chained part refused", expected="9000")
    adapter.new_session()
    establish = bytes.fromhex("80860000") + b"\x03\x01\x02\x03"
    got = _sw(iut, establish)
    expect(got == "6985", "the session survived the reset", expected="6985", got=got)
    got = _sw(iut, SELECT)
    expect(got == "9000", "the command chain survived the reset", expected="9000", got=got)


@tc(
    "TC-TRN-003",
    title="One response per command; commands too long for the binding are refused",
    purpose="Assorted commands each get one response of at least a status word; through "
    "PC/SC a command of 65,535 bytes reaches the card (and gets its 6700) while one of "
    "65,536 bytes is refused by the reader transport before anything is sent, and the "
    "session still works.",
    verifies=["VDC-TRN-012", "VDC-TRN-022"],
    profile="transport",
    kind="boundary",
    preconditions="the holder behind a reader (`pcsc:` or `nfc:`)",
    expected="a response to each command; through PC/SC 6700 for 65,535 bytes, "
    "ApduTooLongError for 65,536 bytes, then SELECT 9000",
    operations=["holder.transmit"],
)
def test_one_response_and_too_long(iut: IutBase) -> None:
    adapter = through(iut, "pcsc", "nfc")
    prepared(iut)
    for command in (SELECT, bytes.fromhex("00FF0000"), bytes.fromhex("80860000"), SELECT[:5]):
        response = adapter.reader_session().transmit(command)
        expect(
            2 <= len(response) <= 65_538,
            "not one response",
            got=response.hex()[:40],
            expected="one response of 2 to 65538 bytes",
        )
    if adapter.binding != "pcsc":
        return  # the ISO-DEP bound is a rule of the card (TC-TRN-008)
    session = adapter.reader_session()
    longest = session.transmit(SELECT[:4] + b"\x00\xff\xff" + bytes(65_528))  # 65,535 bytes
    expect(
        longest[-2:] == b"\x67\x00",
        "a command of 65,535 bytes did not reach the card",
        expected="6700 (its Lc announces more than it holds)",
        got=longest.hex().upper()[-8:],
    )
    try:
        session.transmit(SELECT[:4] + b"\x00\xff\xff" + bytes(65_529))
    except ApduTooLongError:
        pass
    except TransportError as error:
        expect(False, "the long command was sent", expected="ApduTooLongError", got=repr(error))
    else:
        expect(False, "a 65,536-byte command was sent", expected="ApduTooLongError")
    expect(_sw(iut, SELECT) == "9000", "the session broke", expected="9000 to SELECT")


@tc(
    "TC-TRN-004",
    title="Long commands and responses cross the binding",
    purpose="An authenticated read with extended APDUs and a 3,000-byte command cross "
    "the reader: chained in ISO-DEP blocks with their block numbers, or as extended "
    "APDUs over T=1.",
    verifies=["VDC-TRN-003", "VDC-TRN-031", "VDC-TRN-032"],
    profile="transport",
    kind="positive",
    preconditions="the holder behind a reader, provisioned through the control channel",
    expected="elements 1, 2 and 4; 6A80 to the 3,000-byte command",
    operations=["holder.setup", "holder.arm", "holder.transmit"],
)
def test_long_frames(iut: IutBase) -> None:
    through(iut, "pcsc", "nfc")
    holder = provisioned(iut)
    wanted = [1, 2, 4]  # the response carries the credential and its chain: over 1 KiB
    result = holder.read(wanted, extended=True)
    expect(
        sorted(result.elements) == wanted,
        "the long read did not cross the binding",
        expected=str(wanted),
        got=str(sorted(result.elements)),
    )
    send = holder.transmit()
    send(SELECT)
    junk = bytes(3000)
    response = send(bytes.fromhex("80860000") + b"\x00" + len(junk).to_bytes(2, "big") + junk)
    got = response.hex().upper()
    expect(got == "6A80", "the long command was not taken whole", expected="6A80", got=got[:40])


@tc(
    "TC-TRN-005",
    title="The control channel carries set-up only and is private",
    purpose="The emulator's control channel is a Unix socket only its owner can open, "
    "offers only the holder app's operations and refuses holder.transmit.",
    verifies=["VDC-TRN-041"],
    profile="transport",
    kind="negative",
    preconditions="the holder behind a reader with a control channel",
    expected="a socket of mode 0600 owned by the user; holder-side operations only; "
    "holder.transmit refused",
    operations=["holder.transmit"],
)
def test_control_channel(iut: IutBase) -> None:
    adapter = through(iut, "pcsc", "nfc")
    path = adapter.control_socket
    if path is None:
        raise NotApplicable("the implementation offers no control channel")
    info = os.stat(path)
    expect(
        stat.S_ISSOCK(info.st_mode),
        "not a Unix socket",
        got=oct(info.st_mode),
        expected="a Unix socket",
    )
    mode = stat.S_IMODE(info.st_mode)
    expect(mode & 0o077 == 0, "others can open the socket", expected="0600", got=oct(mode))
    expect(
        info.st_uid == os.getuid(),
        "socket owned by another user",
        got=str(info.st_uid),
        expected="a socket owned by the user running the suite",
    )
    client = ControlClient(path)
    try:
        answer: dict[str, Any] = client.call("hello")
        others = [
            op
            for op in answer["operations"]
            if op not in ("hello", "reset", "transport.now")
            and not op.startswith(("holder.", "pin.", "history."))
        ]
        expect(others == [], "other operations offered", expected="holder side", got=str(others))
        try:
            client.call("nir.validate", {"nir": "295059912611113"})
        except ControlError as refused:
            expect(
                refused.kind != "",
                "refusal without a kind",
                got=repr(refused),
                expected="an error answer with a non-empty kind",
            )
        else:
            expect(False, "a verifier operation went through", expected="a refusal")
        try:
            client.call("holder.transmit", {"apdu": SELECT.hex()})
        except ControlError as refused:
            expect(
                refused.kind != "",
                "refusal without a kind",
                got=repr(refused),
                expected="an error answer with a non-empty kind",
            )
        else:
            expect(False, "an APDU went through the control channel", expected="a refusal")
    finally:
        client.close()


@tc(
    "TC-TRN-010",
    title="An unknown reader is a typed one-line error and the next session works",
    purpose="Asking the PC/SC reader transport for a reader that does not exist, or for a "
    "name one character short of or longer than the real reader's, fails with "
    "ReaderNotFoundError naming it on one line (names match exactly), and leaves nothing "
    "that prevents the next session through the real reader.",
    verifies=["VDC-TRN-021", "VDC-TRN-020"],
    profile="transport",
    kind="negative",
    preconditions="the holder behind a PC/SC reader (`pcsc:READER`)",
    expected="ReaderNotFoundError naming the reader, then 9000 to SELECT",
    operations=["holder.transmit"],
)
def test_unknown_reader(iut: IutBase) -> None:
    adapter = through(iut, "pcsc")
    prepared(iut)
    from vitale_ref.transport import PcscReaderTransport, ReaderNotFoundError

    real = str(adapter.reader_session().reader)  # type: ignore[attr-defined]
    adapter.new_session()
    names = ("VDC Synthetic Reader That Does Not Exist 99", real[:-1], real + "0")
    for name in names:
        try:
            PcscReaderTransport(name, wait=0.2).close()
        except ReaderNotFoundError as error:
            text = str(error)
            expect(
                "\n" not in text and name in text,
                "not one line naming it",
                got=text[:200],
                expected="one line naming the cause",
            )
        else:
            expect(False, f"reader {name!r} was opened", expected="ReaderNotFoundError")
    expect(_sw(iut, SELECT) == "9000", "the next session failed", expected="9000 to SELECT")
