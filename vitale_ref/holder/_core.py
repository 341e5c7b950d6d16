"""HolderCore: the holder device as an ISO/IEC 7816-4 card, sans I/O (VDC-NFC-040..064).

One C-APDU and `now` in, one R-APDU out. The core checks, in this order: APDU structure
(6700), class (6E00), instruction (6D00), class of the instruction (6E00), an open chain
(6883), chaining allowed (6884), P1-P2 (6A86), state (6985), buffer size (6A84), Le
presence (6700); then the command runs. A refused command changes nothing, except that
any valid command other than GET RESPONSE drops an unread response and a command that
breaks a chain drops the chain.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from vitale_ref.apdu import (
    AID,
    CHAINABLE,
    INS,
    INS_CLASS,
    LEAN_VERSION,
    MAX_COMMAND_DATA,
    PROTOCOL_VERSIONS,
    SW,
    ApduError,
    CommandApdu,
    more_data,
    status,
    wrong_le,
)
from vitale_ref.holder import _session as run
from vitale_ref.holder._events import HolderEvent
from vitale_ref.holder._ports import CredentialSource, ReaderAuthority, ReaderGrant
from vitale_ref.holder._state import ENDS_SESSION, TRANSITIONS, State, allowed
from vitale_ref.randomness import RandomSource

_P1P2 = {INS.SELECT: (0x04, 0x00)}
_CASE3 = frozenset({INS.ESTABLISH})


class HolderCore:
    """The APDU-facing core of the holder app; see spec chapter VDC-NFC."""

    def __init__(
        self,
        *,
        credential: CredentialSource,
        readers: ReaderAuthority,
        random: RandomSource,
        presence_until: Callable[[], datetime | None] | None = None,
        versions: tuple[int, ...] = PROTOCOL_VERSIONS,
    ) -> None:
        """`versions`: those the FCI offers (VDC-NFC-070); `(1,)` plays a holder of
        before version 2."""
        self._versions = tuple(sorted(set(versions) & set(PROTOCOL_VERSIONS)))
        if not self._versions:
            raise ValueError(f"a holder offers some of the versions {PROTOCOL_VERSIONS}")
        self._credential = credential
        self._readers = readers
        self._random = random
        self._presence_until = presence_until
        self._armed_until: datetime | None = None
        self._events: list[HolderEvent] = []
        self.reset()

    # -- app-facing -------------------------------------------------------------
    def arm(self, until: datetime) -> None:
        """The holder unlocked the presentation; reads are answered before `until`."""
        self._armed_until = until

    def armed(self, now: datetime) -> bool:
        """VDC-NFC-111: presence holds strictly before the end of the window."""
        until = self._presence_until() if self._presence_until else self._armed_until
        return until is not None and now < until

    def events(self) -> list[HolderEvent]:
        """Events since the last call, oldest first (the app records them)."""
        drained, self._events = self._events, []
        return drained

    @property
    def state(self) -> State:
        return self._state

    def reset(self) -> None:
        """Card reset or field off: the session, any chain and any unread response go."""
        self._state = State.IDLE
        self._session: run.Session | None = None
        self._chain_header: bytes | None = None
        self._chain = b""
        self._pending = b""

    # -- transport-facing ---------------------------------------------------------
    def respond(self, command: bytes, now: datetime) -> bytes:
        """One R-APDU for one C-APDU; never raises (VDC-NFC-041)."""
        try:
            return self._respond(command, now)
        except Exception:
            # Any escape here is a defect; fail closed rather than crash the transport.
            self.reset()
            return status(SW.NO_DIAGNOSIS)

    def _respond(self, raw: bytes, now: datetime) -> bytes:
        try:
            apdu = CommandApdu.parse(raw)
        except ApduError as error:
            return status(error.sw)
        base_cla = apdu.cla & 0xEF
        if base_cla not in (0x00, 0x80):
            return status(SW.CLA_NOT_SUPPORTED)
        try:
            ins = INS(apdu.ins)
        except ValueError:
            return status(SW.INS_NOT_SUPPORTED)
        if INS_CLASS[ins] != base_cla:
            return status(SW.CLA_NOT_SUPPORTED)
        return self._checked(apdu, ins, now)

    def _checked(self, apdu: CommandApdu, ins: INS, now: datetime) -> bytes:
        if ins is not INS.GET_RESPONSE:
            self._pending = b""
        header = bytes([apdu.cla & 0xEF, apdu.ins, apdu.p1, apdu.p2])
        if self._chain_header is not None and header != self._chain_header:
            self._drop_chain()
            return status(SW.LAST_COMMAND_EXPECTED)
        if apdu.chained and ins not in CHAINABLE:
            return status(SW.CHAINING_NOT_SUPPORTED)
        if (apdu.p1, apdu.p2) != _P1P2.get(ins, (0, 0)):
            self._drop_chain()
            return status(SW.WRONG_P1P2)
        if not allowed(self._state, ins):
            self._drop_chain()
            return status(SW.CONDITIONS_NOT_SATISFIED)
        if len(self._chain) + len(apdu.data) > MAX_COMMAND_DATA:
            self._drop_chain()
            return status(SW.NOT_ENOUGH_MEMORY)
        if apdu.chained:
            self._chain_header = header
            self._chain += apdu.data
            return status(SW.OK)
        data = self._chain + apdu.data
        self._drop_chain()
        if apdu.ne is None and ins not in _CASE3:
            return status(SW.WRONG_LENGTH)
        return self._execute(apdu, ins, header, data, now)

    def _drop_chain(self) -> None:
        self._chain_header = None
        self._chain = b""

    def _execute(
        self, apdu: CommandApdu, ins: INS, header: bytes, data: bytes, now: datetime
    ) -> bytes:
        ne = apdu.ne or 0
        if ins is INS.GET_RESPONSE:
            return self._get_response(data, ne)
        if ins is INS.SELECT:
            return self._select(data, ne)
        session = self._session
        assert session is not None  # every state but IDLE has a session
        if ins is INS.ESTABLISH:
            sw, body = run.establish(session, self._readers, data, now)
        elif ins is INS.READ:
            armed = self.armed(now)
            credential = self._credential

            def read(grant: ReaderGrant, plaintext: bytes) -> run.Outcome:
                return run.read(
                    session,
                    credential=credential,
                    armed=armed,
                    plaintext=plaintext,
                    grant=grant,
                    now=now,
                )

            sw, body = run.protected(session, header, data, read)
        elif ins is INS.GET_SIGNER_CHAIN:
            if session.version < LEAN_VERSION:  # VDC-NFC-073: version 2 sessions only
                return status(SW.CONDITIONS_NOT_SATISFIED)

            def chain(grant: ReaderGrant, plaintext: bytes) -> run.Outcome:
                return run.signer_chain(session, plaintext)

            sw, body = run.protected(session, header, data, chain)
        else:

            def receipt(grant: ReaderGrant, plaintext: bytes) -> run.Outcome:
                return run.receipt(session, plaintext, grant, now)

            sw, body = run.protected(session, header, data, receipt)
        self._events.extend(session.events)
        session.events.clear()
        if (ins, sw) in ENDS_SESSION:
            self._state, self._session = State.IDLE, None
        elif sw is SW.OK:
            self._state = TRANSITIONS[self._state][ins]
        return self._reply(sw, body, ne)

    def _select(self, data: bytes, ne: int) -> bytes:
        if not 5 <= len(data) <= 16:
            return status(SW.WRONG_LENGTH)
        fci_length = run.FCI_LENGTH - len(PROTOCOL_VERSIONS) + len(self._versions)
        if ne < fci_length and data == AID:
            return status(wrong_le(fci_length))
        (sw, body), session = run.select(self._random, data, self._versions)
        if session is None:
            return status(sw)
        self._session = session
        self._state = TRANSITIONS[self._state][INS.SELECT]
        return self._reply(sw, body, ne)

    def _get_response(self, data: bytes, ne: int) -> bytes:
        if data:
            return status(SW.WRONG_LENGTH)
        if not self._pending:
            return status(SW.CONDITIONS_NOT_SATISFIED)
        chunk, self._pending = self._pending[:ne], self._pending[ne:]
        return status(more_data(len(self._pending)) if self._pending else SW.OK, chunk)

    def _reply(self, sw: SW, body: bytes, ne: int) -> bytes:
        """Data beyond Ne waits for GET RESPONSE, announced by 61XX (VDC-NFC-052)."""
        if sw is not SW.OK or len(body) <= ne:
            return status(sw, body)
        self._pending = body[ne:]
        return status(more_data(len(self._pending)), body[:ne])
