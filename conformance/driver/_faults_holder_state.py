"""Seeded faults in the holder's session state machine (VDC-NFC-043, 053, 060..063, SM-032).

Each one breaks what the holder does after one kind of refusal, or lets one command
through in one state: the malicious-reader cases TC-NFC-020 to 022 must catch them.
"""

from __future__ import annotations

from typing import Any

from conformance.driver.faults import fault, patch
from vitale_ref import holder
from vitale_ref.apdu import INS, SW, status
from vitale_ref.holder import _core, _session, _state
from vitale_ref.holder._state import State
from vitale_ref.sm import SmIntegrityError


def _allow(extra_state: State, extra_ins: INS) -> None:
    real = _state.allowed

    def allowed(state: Any, ins: Any) -> bool:
        return bool(real(state, ins)) or (state is extra_state and ins is extra_ins)

    patch(_core, "allowed", allowed)


@fault(
    "holder-establish-twice",
    "ESTABLISH SESSION is accepted again in an established session (a second handshake)",
    "VDC-NFC-060",
    ("TC-NFC-020",),
)
def _establish_twice() -> None:
    _allow(State.ESTABLISHED, INS.ESTABLISH)
    transitions = {state: dict(row) for state, row in _state.TRANSITIONS.items()}
    transitions[State.ESTABLISHED][INS.ESTABLISH] = State.ESTABLISHED
    patch(_core, "TRANSITIONS", transitions)


@fault(
    "holder-receipt-before-read",
    "FILE RECEIPT is accepted in an established session before any read",
    "VDC-NFC-060",
    ("TC-NFC-020", "TC-SM-019"),
)
def _receipt_before_read() -> None:
    _allow(State.ESTABLISHED, INS.RECEIPT)
    transitions = {state: dict(row) for state, row in _state.TRANSITIONS.items()}
    transitions[State.ESTABLISHED][INS.RECEIPT] = State.CLOSED
    patch(_core, "TRANSITIONS", transitions)


@fault(
    "holder-state-checked-after-tag",
    "a protected command refused by state (6985) is opened first, which uses up its counter",
    "VDC-NFC-043",
    ("TC-NFC-020",),
)
def _state_after_tag() -> None:
    real = _core.HolderCore._checked

    def checked(self: Any, apdu: Any, ins: Any, now: Any) -> bytes:
        session = self._session
        if (
            ins in (INS.READ, INS.RECEIPT)
            and not _state.allowed(self._state, ins)
            and session is not None
            and session.channel is not None
        ):
            header = bytes([apdu.cla & 0xEF, apdu.ins, apdu.p1, apdu.p2])
            try:
                session.channel.open_command(header, apdu.data)
                session.channel.advance()
            except Exception:  # the fault only wastes a counter when it can
                pass
            return status(SW.CONDITIONS_NOT_SATISFIED)
        return bytes(real(self, apdu, ins, now))

    patch(_core.HolderCore, "_checked", checked)


@fault(
    "holder-auth-failure-keeps-selection",
    "a failed reader authentication (6300) leaves the session SELECTED instead of IDLE",
    "VDC-NFC-061",
    ("TC-NFC-021",),
)
def _auth_failure_keeps_selection() -> None:
    kept = frozenset(pair for pair in holder.ENDS_SESSION if pair[0] is not INS.ESTABLISH)
    patch(_core, "ENDS_SESSION", kept)


@fault(
    "holder-receipt-integrity-keeps-session",
    "a FILE RECEIPT whose protection fails (6988) leaves the session open",
    "VDC-SM-034",
    ("TC-NFC-021",),
)
def _receipt_integrity_keeps_session() -> None:
    kept = frozenset(pair for pair in holder.ENDS_SESSION if pair[0] is not INS.RECEIPT)
    patch(_core, "ENDS_SESSION", kept)


@fault(
    "holder-malformed-establish-ends-session",
    "a malformed ESTABLISH SESSION field (6A80) ends the session instead of changing nothing",
    "VDC-SM-010",
    ("TC-NFC-021",),
)
def _malformed_establish_ends() -> None:
    patch(_core, "ENDS_SESSION", holder.ENDS_SESSION | {(INS.ESTABLISH, SW.INCORRECT_DATA)})


@fault(
    "holder-refused-read-ends-session",
    "any refused READ ELEMENTS (6A80, 6982, 6A88) ends the session",
    "VDC-NFC-043",
    ("TC-NFC-021", "TC-NFC-022"),
)
def _refused_read_ends() -> None:
    refusals = {SW.INCORRECT_DATA, SW.SECURITY_NOT_SATISFIED, SW.DATA_NOT_FOUND}
    extra = {(INS.READ, sw) for sw in refusals}
    patch(_core, "ENDS_SESSION", holder.ENDS_SESSION | extra)


@fault(
    "holder-counter-kept-on-refusal",
    "the exchange counter advances only after a 9000, not after every verified tag",
    "VDC-SM-032",
    ("TC-NFC-021", "TC-NFC-022"),
)
def _counter_kept() -> None:
    def protected(session: Any, header: bytes, data: bytes, inner: Any) -> Any:
        channel, grant = session.channel, session.grant
        if channel is None or grant is None:
            return SW.CONDITIONS_NOT_SATISFIED, b""
        try:
            plaintext = channel.open_command(header, data)
        except SmIntegrityError:
            return SW.SM_DATA_INCORRECT, b""
        sw, body = inner(grant, plaintext)
        if sw is not SW.OK:
            return sw, b""
        sealed = channel.seal_response(header, body)
        channel.advance()
        return sw, sealed

    patch(_session, "protected", protected)


@fault(
    "holder-counter-reuse-tolerated",
    "a command sealed with the previous exchange counter is accepted as a retransmission",
    "VDC-SM-031",
    ("TC-NFC-021", "TC-SM-011"),
)
def _counter_reuse() -> None:
    real = _session.protected

    def protected(session: Any, header: bytes, data: bytes, inner: Any) -> Any:
        channel = session.channel
        if channel is not None and channel.counter > 1:
            channel.counter -= 1
            try:
                channel.open_command(header, data)
            except SmIntegrityError:
                channel.counter += 1
            else:
                result = real(session, header, data, inner)
                channel.counter += 1
                return result
        return real(session, header, data, inner)

    patch(_session, "protected", protected)


@fault(
    "holder-other-aid-drops-session",
    "a SELECT of another AID (6A82) discards the current session",
    "VDC-NFC-063",
    ("TC-NFC-021",),
)
def _other_aid_drops() -> None:
    real = _core.HolderCore._select

    def select(self: Any, data: bytes, ne: int) -> bytes:
        answer = bytes(real(self, data, ne))
        if answer == status(SW.NOT_FOUND):
            self._state, self._session = State.IDLE, None
        return answer

    patch(_core.HolderCore, "_select", select)


@fault(
    "holder-short-le-selects",
    "a SELECT with too short an Le answers 6CXX after starting a new session",
    "VDC-NFC-053",
    ("TC-NFC-021",),
)
def _short_le_selects() -> None:
    real = _core.HolderCore._select

    def select(self: Any, data: bytes, ne: int) -> bytes:
        answer = bytes(real(self, data, 256))
        return answer if ne >= _session.FCI_LENGTH else status(0x6C00 | _session.FCI_LENGTH)

    patch(_core.HolderCore, "_select", select)


@fault(
    "holder-reselection-keeps-session",
    "SELECT in an established session answers a new FCI but keeps the session and its keys",
    "VDC-NFC-063",
    ("TC-NFC-035",),
)
def _reselection_keeps() -> None:
    real = _core.HolderCore._select

    def select(self: Any, data: bytes, ne: int) -> bytes:
        state, session = self._state, self._session
        answer = bytes(real(self, data, ne))
        if session is not None and session.channel is not None and answer[-2:] == b"\x90\x00":
            self._state, self._session = state, session
        return answer

    patch(_core.HolderCore, "_select", select)


@fault(
    "holder-field-loss-keeps-session",
    "field loss drops chains and waiting answers but keeps the established session",
    "VDC-NFC-062",
    ("TC-NFC-016",),
)
def _field_loss_keeps_session() -> None:
    real = _core.HolderCore.reset

    def reset(self: Any) -> None:
        kept = (getattr(self, "_state", State.IDLE), getattr(self, "_session", None))
        real(self)
        self._state, self._session = kept

    patch(_core.HolderCore, "reset", reset)
