"""Reader profile: the framing a reader must master beyond one APDU per command
(VDC-NFC-050, 052, 201, 203, 206).

A holder may hand a long answer out in pieces, `61XX` then GET RESPONSE; a reader goes
on at `61XX` (VDC-NFC-203), collects the pieces with well-formed GET RESPONSE commands
(`00 C0 00 00`, Le present: the command table of chapter NFC) and takes the last piece's
status word as the command's (VDC-NFC-206). A reader asked for short
APDUs (VDC-NFC-201) sends the data of ESTABLISH SESSION and of the protected commands by
command chaining and collects the answers with GET RESPONSE. The holder the suite plays
is the honest one, which checks every command as a holder must.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from conformance.adapters import IutBase, OperationError
from conformance.cases import _material as m
from conformance.cases.reader import _holders as h
from conformance.cases.reader import _reading as r
from conformance.catalogue import Param, tc
from conformance.outcomes import NotApplicable, expect
from vitale_ref.apdu import ApduError, CommandApdu

GET_RESPONSE = 0xC0
READ = 0xCB
RECEIPT = 0xDB
PIECE = 100
"""The pieces the holder of TC-NFC-100 hands out: at most this many bytes per R-APDU."""


def _more(remaining: int) -> bytes:
    return bytes([0x61, remaining if remaining < 256 else 0])


class Pieces:
    """The honest holder, handing every answer longer than PIECE bytes out in pieces.

    The first PIECE bytes come with `61XX` (XX the bytes left, `00` for 256 or more),
    the rest to GET RESPONSE commands, PIECE bytes at most each, the last piece with the
    command's own status word. A GET RESPONSE that is not `00 C0 00 00` with an Le, or
    that comes when nothing is waiting, is refused as the command table says (6A86,
    6700, 6E00, 6985), and what was waiting is dropped.
    """

    def __init__(self, inner: h.Transmit, *, read_status: bytes | None = None) -> None:
        self.inner = inner
        self.read_status = read_status
        """When set, the status word the last piece of READ ELEMENTS' answer carries."""
        self.commands: list[bytes] = []
        self.refused: list[str] = []
        self._pending = b""
        self._status = b""

    def __call__(self, command: bytes) -> bytes:
        self.commands.append(command)
        if len(command) >= 2 and command[1] == GET_RESPONSE:
            return self._get_response(command)
        self._pending = b""
        response = self.inner(command)
        body, status = response[:-2], response[-2:]
        if self.read_status is not None and command[1:2] == bytes([READ]):
            status = self.read_status
        if len(body) <= PIECE:
            return body + status
        self._pending, self._status = body[PIECE:], status
        return body[:PIECE] + _more(len(self._pending))

    def _get_response(self, command: bytes) -> bytes:
        refusal = self._refusal(command)
        if refusal is not None:
            self.refused.append(f"{command.hex().upper()} -> {refusal.hex().upper()}")
            self._pending = b""
            return refusal
        wanted = CommandApdu.parse(command).ne or 0
        piece = min(wanted, PIECE)
        chunk, self._pending = self._pending[:piece], self._pending[piece:]
        return chunk + (_more(len(self._pending)) if self._pending else self._status)

    def _refusal(self, command: bytes) -> bytes | None:
        try:
            apdu = CommandApdu.parse(command)
        except ApduError:
            return b"\x67\x00"
        if apdu.cla != 0x00:
            return b"\x6e\x00"
        if apdu.ne is None or apdu.data:
            return b"\x67\x00"
        if (apdu.p1, apdu.p2) != (0, 0):
            return b"\x6a\x86"
        return None if self._pending else b"\x69\x85"

    @property
    def get_responses(self) -> int:
        return sum(1 for command in self.commands if command[1:2] == bytes([GET_RESPONSE]))


def _elements(result: dict[str, object]) -> list[int]:
    elements = result.get("elements", {})
    return sorted(int(k) for k in elements) if isinstance(elements, dict) else []


def _read(
    iut: IutBase, holder: Callable[[bytes], bytes], *, extended: bool, receipt: bool = False
) -> dict[str, object]:
    params: dict[str, object] = {"requested": list(r.REQUESTED), "now": m.iso(m.NOW)}
    if receipt:
        params["receipt"] = {**r.RECEIPT_ASKED, "at": m.iso(m.NOW)}
    if not extended:
        params["extended"] = False  # true is the default
    answer: dict[str, object] = iut.call("reader.read", params, transmit=holder)
    return answer


@tc(
    "TC-NFC-100",
    title="A reader collects an answer handed out in pieces with GET RESPONSE",
    purpose="The holder gives every answer longer than 100 bytes in pieces: the first "
    "with 61XX, the others to GET RESPONSE. The reader goes on at 61XX, sends GET RESPONSE "
    "as the command table defines it (00 C0 00 00 with an Le) until the command's own "
    "status word, and reads the elements from the whole answer.",
    verifies=["VDC-NFC-206", "VDC-NFC-203", "VDC-NFC-052", "VDC-NFC-021"],
    profile="reader",
    kind="positive",
    preconditions="the reader trusts the suite's issuing root",
    expected="elements {1, 2, 4}; at least one GET RESPONSE, none refused",
    operations=r.OPS,
)
def test_answer_in_pieces(iut: IutBase) -> None:
    root = r.setup(iut)
    holder = Pieces(h.holder(root, "honest"))
    result = _read(iut, holder, extended=True)
    expect(
        not holder.refused,
        "a GET RESPONSE the command table does not allow",
        expected="00 C0 00 00 with an Le, only while data wait",
        got="; ".join(holder.refused),
    )
    expect(
        _elements(result) == list(r.REQUESTED),
        "wrong elements from an answer given in pieces",
        expected=str(list(r.REQUESTED)),
        got=str(_elements(result)),
    )
    expect(
        holder.get_responses >= 1,
        "the answers were never collected with GET RESPONSE",
        expected="at least one GET RESPONSE",
        got=str(holder.get_responses),
    )


def _extended_form(command: bytes) -> bool:
    """Whether a C-APDU uses an extended length field (B1 = 00 after the header)."""
    return len(command) > 5 and command[4] == 0x00


@tc(
    "TC-NFC-101",
    title="A reader asked for short APDUs chains its commands and collects with GET RESPONSE",
    purpose="Asked for short APDUs (reader.read with extended false), a reader that offers "
    "them sends every command in short form: the data of ESTABLISH SESSION and of the "
    "protected commands by command chaining (CLA bit 10 on each part but the last, the "
    "same INS P1 P2, at most 255 bytes each), the long answers collected with GET "
    "RESPONSE; the honest holder accepts every part and the read returns the elements. "
    "A reader that keeps to extended APDUs does not offer short reads (a MAY): not "
    "applicable; one that mixes the two forms fails.",
    verifies=["VDC-NFC-201", "VDC-NFC-050", "VDC-NFC-052", "VDC-NFC-203", "VDC-NFC-206"],
    profile="reader",
    kind="positive",
    preconditions="the reader trusts the suite's issuing root; it offers short APDUs",
    expected="elements {1, 2, 4}; only short APDUs; chained parts and GET RESPONSE seen",
    operations=r.OPS,
)
def test_short_apdus(iut: IutBase) -> None:
    root = r.setup(iut)
    sent: list[bytes] = []
    log = h.recorder(h.holder(root, "honest"), [])

    def holder(command: bytes) -> bytes:
        sent.append(command)
        return log(command)

    result = _read(iut, holder, extended=False)
    extended = [command[:2].hex().upper() for command in sent if _extended_form(command)]
    if sent and len(extended) == len(sent):
        raise NotApplicable("the reader sends extended APDUs even when asked for short ones")
    expect(
        not extended,
        "extended APDUs in a short-APDU read",
        expected="every command in short form",
        got="extended: " + " ".join(extended),
    )
    expect(
        _elements(result) == list(r.REQUESTED),
        "wrong elements from a short-APDU read",
        expected=str(list(r.REQUESTED)),
        got=str(_elements(result)),
    )
    chained = [command for command in sent if command[0] & 0x10]
    collected = [command for command in sent if command[1:2] == bytes([GET_RESPONSE])]
    expect(
        bool(chained) and bool(collected),
        "long fields not chained or long answers not collected",
        expected="chained parts (CLA 90) and GET RESPONSE commands",
        got=" ".join(command[:2].hex().upper() for command in sent),
    )


def _last_statuses() -> Iterable[Param]:
    yield "internal-error-6F00", "6F00"
    yield "conditions-6985", "6985"


@tc(
    "TC-NFC-102",
    title="A reader takes the status word of the last piece as the command's",
    purpose="The holder hands READ ELEMENTS' answer out in pieces, the complete sealed "
    "answer, but the last piece carries 6F00 (or 6985) instead of 9000. The command "
    "failed: the reader rejects the read, uses none of its elements and sends no FILE "
    "RECEIPT, although every byte of a valid answer arrived.",
    verifies=["VDC-NFC-206", "VDC-NFC-203", "VDC-NFC-205"],
    profile="reader",
    kind="negative",
    preconditions="the reader trusts the suite's issuing root",
    expected="error rejected; no FILE RECEIPT",
    operations=r.OPS,
    params=_last_statuses,
)
def test_last_piece_status(iut: IutBase, param: str) -> None:
    status = param
    root = r.setup(iut)
    holder = Pieces(h.holder(root, "honest"), read_status=bytes.fromhex(status))
    try:
        result = _read(iut, holder, extended=True, receipt=True)
    except OperationError as error:
        expect(error.kind == "rejected", "wrong error kind", expected="rejected", got=error.kind)
    else:
        expect(
            False,
            f"the reader used an answer whose last piece carried {status}",
            expected="error rejected",
            got=f"elements {_elements(result)}",
        )
    sent = [command[1] for command in holder.commands if len(command) > 1]
    expect(
        RECEIPT not in sent,
        "the reader sent FILE RECEIPT after a READ ELEMENTS that failed",
        expected="no FILE RECEIPT",
        got=" ".join(f"{ins:02X}" for ins in sent),
    )
