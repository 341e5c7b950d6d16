"""Seeded faults in the holder's APDU framing: selection, the order of checks, chaining
and GET RESPONSE (VDC-NFC-011, 020, 042, 043, 050..054, 062).

The faults of the order of checks are in _faults_holder_order.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from conformance.driver.faults import fault, patch
from vitale_ref.apdu import (
    AID,
    CHAINABLE,
    INS,
    INS_CLASS,
    MAX_COMMAND_DATA,
    SW,
    CommandApdu,
    _codec,
    more_data,
    wrong_le,
)
from vitale_ref.apdu import status as apdu_status
from vitale_ref.holder import _core, _session
from vitale_ref.holder._state import allowed


@fault(
    "holder-aid-prefix-match",
    "SELECT accepts any DF name the AID starts with (partial name matching)",
    "VDC-NFC-020",
    ("TC-NFC-025",),
)
def _aid_prefix() -> None:
    real = _session.select

    def select(random: Any, data: bytes, *versions: Any) -> Any:
        return real(random, AID if AID.startswith(data) else data, *versions)

    patch(_session, "select", select)


@fault(
    "holder-aid-extra-bytes-ignored",
    "SELECT compares only the first seven bytes of the DF name",
    "VDC-NFC-020",
    ("TC-NFC-025",),
)
def _aid_extra() -> None:
    real = _session.select
    patch(_session, "select", lambda random, data, *versions: real(random, data[:7], *versions))


@fault(
    "holder-select-p2-ignored",
    "SELECT by DF name accepts any P2",
    "VDC-NFC-021",
    ("TC-NFC-025",),
)
def _p2_ignored() -> None:
    real = _core.HolderCore._checked

    def checked(self: Any, apdu: Any, ins: Any, now: Any) -> bytes:
        if ins is INS.SELECT and apdu.p1 == 0x04:
            apdu = CommandApdu(
                cla=apdu.cla, ins=apdu.ins, p1=4, p2=0, data=apdu.data, ne=apdu.ne or 256
            )
        return bytes(real(self, apdu, ins, now))

    patch(_core.HolderCore, "_checked", checked)


@fault(
    "holder-select-length-unchecked",
    "SELECT data of any length is looked up (no 6700 outside 5 to 16 bytes)",
    "VDC-NFC-040",
    ("TC-NFC-025",),
)
def _select_length() -> None:
    real = _core.HolderCore._select

    def select(self: Any, data: bytes, ne: int) -> bytes:
        if data != AID:
            return apdu_status(SW.NOT_FOUND)
        return bytes(real(self, data, ne))

    patch(_core.HolderCore, "_select", select)


@fault(
    "holder-short-le-00-is-255",
    "a short Le of 00 is read as 255, not 256",
    "VDC-NFC-011",
    ("TC-NFC-025", "TC-NFC-028"),
)
def _le_00() -> None:
    patch(_codec, "SHORT_MAX_NE", 255)


@fault(
    "holder-wrong-le-reports-other-length",
    "6CXX names the FCI length plus one",
    "VDC-NFC-053",
    ("TC-NFC-032",),
)
def _wrong_le() -> None:
    patch(_core, "wrong_le", lambda length: wrong_le(length + 1))


@fault(
    "holder-chain-le-refused",
    "a non-final chained part carrying an Le is refused with 6700",
    "VDC-NFC-050",
    ("TC-NFC-027",),
)
def _chain_le() -> None:
    real = _core.HolderCore._checked

    def checked(self: Any, apdu: Any, ins: Any, now: Any) -> bytes:
        if apdu.chained and apdu.ne is not None:
            return apdu_status(SW.WRONG_LENGTH)
        return bytes(real(self, apdu, ins, now))

    patch(_core.HolderCore, "_checked", checked)


@fault(
    "holder-chain-interrupted-by-select",
    "a SELECT inside an open chain is executed (and the chain dropped) instead of 6883",
    "VDC-NFC-054",
    ("TC-NFC-027",),
)
def _select_interrupts() -> None:
    real = _core.HolderCore._checked

    def checked(self: Any, apdu: Any, ins: Any, now: Any) -> bytes:
        if ins is INS.SELECT:
            self._drop_chain()
        return bytes(real(self, apdu, ins, now))

    patch(_core.HolderCore, "_checked", checked)


@fault(
    "holder-chain-kept-after-6883",
    "a command refused with 6883 leaves the chain open",
    "VDC-NFC-054",
    ("TC-NFC-027",),
)
def _chain_kept() -> None:
    real = _core.HolderCore._checked

    def checked(self: Any, apdu: Any, ins: Any, now: Any) -> bytes:
        kept = (self._chain_header, self._chain)
        answer = bytes(real(self, apdu, ins, now))
        if answer == apdu_status(SW.LAST_COMMAND_EXPECTED):
            self._chain_header, self._chain = kept
        return answer

    patch(_core.HolderCore, "_checked", checked)


@fault(
    "holder-buffer-4095",
    "the command buffer holds 4095 bytes, one less than the FCI announces",
    "VDC-NFC-051",
    ("TC-NFC-027",),
)
def _buffer_4095() -> None:
    patch(_core, "MAX_COMMAND_DATA", MAX_COMMAND_DATA - 1)


@fault(
    "holder-chain-opened-in-any-state",
    "a chained part is buffered whatever the state (the state is checked on the last part)",
    "VDC-NFC-060",
    ("TC-NFC-027",),
)
def _chain_any_state() -> None:
    real = allowed
    patch(_core, "allowed", lambda state, ins: True if ins in CHAINABLE else real(state, ins))
    real_execute = _core.HolderCore._execute

    def execute(  # noqa: PLR0917 (the signature of the method it replaces)
        self: Any, apdu: Any, ins: Any, header: bytes, data: bytes, now: Any
    ) -> bytes:
        if not real(self._state, ins):
            return apdu_status(SW.CONDITIONS_NOT_SATISFIED)
        return bytes(real_execute(self, apdu, ins, header, data, now))

    patch(_core.HolderCore, "_execute", execute)


def _more_data(variant: Callable[[int], int]) -> None:
    patch(_core, "more_data", variant)


@fault(
    "holder-61xx-255-as-00",
    "61XX says 00 from 255 remaining bytes on",
    "VDC-NFC-052",
    ("TC-NFC-028",),
)
def _61_255() -> None:
    _more_data(lambda remaining: 0x6100 | (remaining if remaining < 255 else 0))


@fault(
    "holder-61xx-counts-one-less",
    "61XX names one byte less than remains",
    "VDC-NFC-052",
    ("TC-NFC-028",),
)
def _61_minus_one() -> None:
    _more_data(lambda remaining: more_data(max(remaining - 1, 1)))


@fault(
    "holder-pending-kept-by-other-commands",
    "a waiting answer survives the commands sent before its GET RESPONSE",
    "VDC-NFC-043",
    ("TC-NFC-028",),
)
def _pending_kept() -> None:
    real = _core.HolderCore._checked

    def checked(self: Any, apdu: Any, ins: Any, now: Any) -> bytes:
        pending = self._pending
        answer = bytes(real(self, apdu, ins, now))
        if not self._pending and answer[-2:-1] != b"\x61":
            self._pending = pending
        return answer

    patch(_core.HolderCore, "_checked", checked)


@fault(
    "holder-pending-dropped-by-any-command",
    "any command, even one refused for its class or instruction, discards a waiting answer",
    "VDC-NFC-043",
    ("TC-NFC-028",),
)
def _pending_dropped() -> None:
    real = _core.HolderCore._respond

    def respond(self: Any, raw: bytes, now: datetime) -> bytes:
        if raw[1:2] != b"\xc0" or raw[:1] != b"\x00":
            self._pending = b""
        return bytes(real(self, raw, now))

    patch(_core.HolderCore, "_respond", respond)


@fault(
    "holder-field-loss-keeps-buffers",
    "field loss ends the session but keeps an open chain and a waiting answer",
    "VDC-NFC-062",
    ("TC-NFC-029",),
)
def _field_loss() -> None:
    real = _core.HolderCore.reset

    def reset(self: Any) -> None:
        kept = (getattr(self, "_chain_header", None), getattr(self, "_chain", b""))
        pending = getattr(self, "_pending", b"")
        real(self)
        self._chain_header, self._chain = kept
        self._pending = pending

    patch(_core.HolderCore, "reset", reset)


@fault(
    "holder-instruction-class-unchecked",
    "a VDC instruction is accepted in either class (00 or 80)",
    "VDC-NFC-021",
    ("TC-NFC-005",),
)
def _instruction_class() -> None:
    patch(_core, "INS_CLASS", _AnyClass(INS_CLASS))
    _record_class()


class _AnyClass(dict[Any, int]):
    """INS_CLASS that names, for every instruction, the class it is looked up with."""

    def __getitem__(self, key: Any) -> int:
        return _AnyClass.current

    current = 0


def _record_class() -> None:
    real = _core.HolderCore._respond

    def respond(self: Any, raw: bytes, now: datetime) -> bytes:
        _AnyClass.current = raw[0] & 0xEF if raw else 0
        return bytes(real(self, raw, now))

    patch(_core.HolderCore, "_respond", respond)


@fault(
    "holder-p1p2-unchecked-for-protected-commands",
    "P1-P2 of READ ELEMENTS and FILE RECEIPT are not checked",
    "VDC-NFC-021",
    ("TC-NFC-005",),
)
def _p1p2_unchecked() -> None:
    class Lax(dict[Any, tuple[int, int]]):
        def get(self, key: Any, default: Any = None) -> Any:
            return _LAST_P1P2[0] if key in (INS.READ, INS.RECEIPT) else super().get(key, default)

    real = _core.HolderCore._checked

    def checked(self: Any, apdu: Any, ins: Any, now: Any) -> bytes:
        _LAST_P1P2[0] = (apdu.p1, apdu.p2)
        return bytes(real(self, apdu, ins, now))

    patch(_core, "_P1P2", Lax(_core._P1P2))
    patch(_core.HolderCore, "_checked", checked)


_LAST_P1P2: list[tuple[int, int]] = [(0, 0)]
