"""What the suite judges as the card, whatever the reader under test reports (spec/harness.md,
"What the suite judges as the card").

The judge reads the card's record of one read (conformance.adapters._card) and the
outcome the reader reported, and names every rule the reader broke on the wire: a
command that is not a well-formed APDU of the command table (VDC-NFC-010, VDC-NFC-021),
an ephemeral key used twice in the run (VDC-SM-003), more than 200 GET RESPONSE for one
response or a command after an error status word (VDC-NFC-203), a FILE RECEIPT or
elements reported for a read that did not complete (VDC-NFC-203; a response handed out
in parts completes with the status word of its last part, VDC-NFC-206).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from conformance.adapters._card import MAX_COMMANDS, Exchange, Presentation
from vitale_ref.apdu import CHAINABLE, INS, INS_CLASS, NAMES, ApduError, CommandApdu
from vitale_ref.errors import VitaleError
from vitale_ref.sm import Establish

MAX_GET_RESPONSE = 200
"""VDC-NFC-203: GET RESPONSE commands a reader may send for one response."""


@dataclass(frozen=True)
class Breach:
    """One rule the reader broke, as the card saw it."""

    requirement: str
    message: str


@dataclass
class CardJudge:
    """Judges the reads of one run; remembers the ephemeral keys of earlier sessions."""

    seen_keys: set[bytes] = field(default_factory=set)

    def judge(self, record: Presentation, outcome: str) -> list[Breach]:
        """`outcome` is `elements`, `rejected` or another error kind the reader answered."""
        breaches: list[Breach] = []
        if record.overflow:
            breaches.append(
                Breach("VDC-HARN-001", f"more than {MAX_COMMANDS} commands in one read")
            )
        by_session: dict[int, list[Exchange]] = {}
        for exchange in record.exchanges:
            by_session.setdefault(exchange.session, []).append(exchange)
        completed = False
        for exchanges in by_session.values():
            session_breaches, session_completed = self._session(exchanges, outcome)
            breaches += session_breaches
            completed = completed or session_completed
        if outcome == "elements" and not completed:
            breaches.append(
                Breach(
                    "VDC-NFC-203",
                    "the reader reported elements although no READ ELEMENTS of the read "
                    "completed with 9000",
                )
            )
        return breaches

    def _session(self, exchanges: list[Exchange], outcome: str) -> tuple[list[Breach], bool]:
        breaches: list[Breach] = []
        chain: dict[int, bytes] = {}
        get_responses = 0
        answering = 0  # the command whose response GET RESPONSE collects (VDC-NFC-206)
        stopped_at: str | None = None
        completed = False
        for exchange in exchanges:
            try:
                command = CommandApdu.parse(exchange.command)
            except ApduError as error:
                breaches.append(Breach("VDC-NFC-010", f"malformed command APDU: {error}"))
                continue
            name = _name(command)
            if stopped_at is not None:
                breaches.append(
                    Breach("VDC-NFC-203", f"{name} sent after the error status word {stopped_at}")
                )
                break
            breaches += _in_table(command, name)
            get_responses = get_responses + 1 if command.ins == INS.GET_RESPONSE else 0
            if command.ins != INS.GET_RESPONSE:
                answering = command.ins
            if get_responses == MAX_GET_RESPONSE + 1:
                breaches.append(
                    Breach(
                        "VDC-NFC-203", f"more than {MAX_GET_RESPONSE} GET RESPONSE for one response"
                    )
                )
            if command.ins == INS.RECEIPT and outcome != "elements":
                breaches.append(
                    Breach("VDC-NFC-203", "FILE RECEIPT sent in a read the reader refused")
                )
            data = chain.pop(command.ins, b"") + command.data
            if command.chained:
                chain[command.ins] = data
            elif command.ins == INS.ESTABLISH:
                breaches += self._fresh_key(data)
            sw = exchange.response[-2:].hex().upper()
            # A READ answered in parts completes with the 9000 of its last GET RESPONSE.
            if answering == INS.READ and sw == "9000":
                completed = True
            if sw != "9000" and not sw.startswith("61"):
                stopped_at = sw
        return breaches, completed

    def _fresh_key(self, data: bytes) -> list[Breach]:
        try:
            key = Establish.decode(data).reader_key
        except VitaleError:
            return []  # the holder refuses it; what the reader then does is judged above
        if key in self.seen_keys:
            return [Breach("VDC-SM-003", "the reader used an ephemeral key of an earlier session")]
        self.seen_keys.add(key)
        return []


def _name(command: CommandApdu) -> str:
    try:
        return NAMES[INS(command.ins)]
    except ValueError:
        return f"INS {command.ins:02X}"


def _in_table(command: CommandApdu, name: str) -> list[Breach]:
    """VDC-NFC-021: only the commands of the table, with their class."""
    try:
        ins = INS(command.ins)
    except ValueError:
        return [Breach("VDC-NFC-021", f"{name} is not a command of the VDC command table")]
    cla = command.cla & ~0x10 if ins in CHAINABLE else command.cla
    if cla != INS_CLASS[ins]:
        return [Breach("VDC-NFC-021", f"{name} sent with class {command.cla:02X}")]
    return []
