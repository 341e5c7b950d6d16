"""Seeded faults in the order of the holder's checks (VDC-NFC-042).

Each runs the reference's checks in another order: the core's `_respond` is replaced by
the same checks as a list, with one of them moved before another.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from conformance.driver.faults import fault, patch
from vitale_ref.apdu import CHAINABLE, INS, INS_CLASS, MAX_COMMAND_DATA, SW, ApduError, CommandApdu
from vitale_ref.apdu import status as apdu_status
from vitale_ref.holder import _core
from vitale_ref.holder._state import allowed

Check = Callable[[Any, Any, Any], int | None]
"""(core, apdu, ins or None) -> the status word of a failed check, or None."""


def _class(core: Any, apdu: Any, ins: Any) -> int | None:
    return None if apdu.cla & 0xEF in (0x00, 0x80) else SW.CLA_NOT_SUPPORTED


def _instruction(core: Any, apdu: Any, ins: Any) -> int | None:
    return None if ins is not None else SW.INS_NOT_SUPPORTED


def _class_of_instruction(core: Any, apdu: Any, ins: Any) -> int | None:
    if ins is None or INS_CLASS[ins] == apdu.cla & 0xEF:
        return None
    return SW.CLA_NOT_SUPPORTED


def _open_chain(core: Any, apdu: Any, ins: Any) -> int | None:
    header = bytes([apdu.cla & 0xEF, apdu.ins, apdu.p1, apdu.p2])
    if core._chain_header is not None and header != core._chain_header:
        core._drop_chain()
        return SW.LAST_COMMAND_EXPECTED
    return None


def _chaining(core: Any, apdu: Any, ins: Any) -> int | None:
    return SW.CHAINING_NOT_SUPPORTED if apdu.chained and ins not in CHAINABLE else None


def _p1p2(core: Any, apdu: Any, ins: Any) -> int | None:
    if (apdu.p1, apdu.p2) != _core._P1P2.get(ins, (0, 0)):
        core._drop_chain()
        return SW.WRONG_P1P2
    return None


def _state(core: Any, apdu: Any, ins: Any) -> int | None:
    if not allowed(core._state, ins):
        core._drop_chain()
        return SW.CONDITIONS_NOT_SATISFIED
    return None


def _size(core: Any, apdu: Any, ins: Any) -> int | None:
    if len(core._chain) + len(apdu.data) > MAX_COMMAND_DATA:
        core._drop_chain()
        return SW.NOT_ENOUGH_MEMORY
    return None


def _le(core: Any, apdu: Any, ins: Any) -> int | None:
    chained_part = apdu.chained
    if not chained_part and apdu.ne is None and ins not in _core._CASE3:
        return SW.WRONG_LENGTH
    return None


ORDER: tuple[Check, ...] = (
    _class,
    _instruction,
    _class_of_instruction,
    _open_chain,
    _chaining,
    _p1p2,
    _state,
    _size,
    _le,
)


def _reorder(first: Check, second: Check) -> None:
    """The checks of VDC-NFC-042 with `second` run just before `first`."""
    order = [check for check in ORDER if check is not second]
    order.insert(order.index(first), second)

    def respond(self: Any, raw: bytes, now: datetime) -> bytes:
        try:
            apdu = CommandApdu.parse(raw)
        except ApduError as error:
            return apdu_status(error.sw)
        try:
            ins: Any = INS(apdu.ins)
        except ValueError:
            ins = None
        supported = ins is not None and INS_CLASS[ins] == apdu.cla & 0xEF
        if supported and ins is not INS.GET_RESPONSE:
            self._pending = b""
        for check in order:
            sw = check(self, apdu, ins)
            if sw is not None:
                return apdu_status(sw)
        header = bytes([apdu.cla & 0xEF, apdu.ins, apdu.p1, apdu.p2])
        if apdu.chained:
            self._chain_header = header
            self._chain += apdu.data
            return apdu_status(SW.OK)
        data = self._chain + apdu.data
        self._drop_chain()
        return bytes(self._execute(apdu, ins, header, data, now))

    patch(_core.HolderCore, "_respond", respond)


def _order_fault(name: str, first: Check, second: Check, what: str) -> None:
    fault(name, what, "VDC-NFC-042", ("TC-NFC-026",))(lambda: _reorder(first, second))


_order_fault("holder-state-before-p1p2", _p1p2, _state, "the state is checked before P1-P2")
_order_fault("holder-le-before-state", _state, _le, "a missing Le is checked before the state")
_order_fault("holder-le-before-size", _size, _le, "a missing Le is checked before the buffer size")
_order_fault("holder-instruction-before-class", _class, _instruction, "INS is checked before CLA")
_order_fault(
    "holder-p1p2-before-chaining-bit",
    _chaining,
    _p1p2,
    "P1-P2 are checked before the chaining bit",
)
_order_fault(
    "holder-chaining-bit-before-open-chain",
    _open_chain,
    _chaining,
    "the chaining bit is checked before the open chain",
)
