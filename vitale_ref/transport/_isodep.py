"""Card side of ISO/IEC 14443-4 (ISO-DEP) for Type A, free of I/O (VDC-TRN-030 to 035).

The reader activates the card with RATS; the card answers with its ATS, then exchanges
blocks: I-blocks carry APDUs (chained when longer than the frame), R-blocks acknowledge
or ask for a retransmission, S(DESELECT) ends the activation. Frames are given without
CRC (the radio layer, or nfcpy's udp driver, handles framing). The card never waits:
a command is answered within the frame waiting time the ATS announces, so WTX is never
requested.
"""

from __future__ import annotations

import logging
from datetime import datetime

from vitale_ref.transport._card import SW_NO_PRECISE_DIAGNOSIS, CardHandler
from vitale_ref.transport._errors import FramingError

FSD_TABLE = (16, 24, 32, 40, 48, 64, 96, 128, 256)
DEFAULT_FWI = 11
"""Frame waiting time 2^11 x 4096 / fc, about 619 ms: ample for the holder's signatures."""

MAX_COMMAND = 4 + 3 + 0xFFFF + 2
"""Longest APDU accepted through chaining (extended Lc and Le); more is answered 6700."""

SW_WRONG_LENGTH = b"\x67\x00"
RATS = 0xE0
I_BLOCK, R_BLOCK, S_DESELECT = 0x02, 0xA2, 0xC2
CHAINING, NAK, CID_FOLLOWS, NAD_FOLLOWS = 0x10, 0x10, 0x08, 0x04

log = logging.getLogger(__name__)


def build_ats(*, fsci: int = 8, fwi: int = DEFAULT_FWI, historical: bytes = b"") -> bytes:
    """ATS: TL, T0 (TA, TB, TC present, FSCI), TA(1)=00, TB(1)=FWI|SFGI 0, TC(1)=00.

    >>> build_ats().hex(" ")
    '05 78 00 b0 00'
    """
    if not 0 <= fsci <= 8 or not 0 <= fwi <= 14:
        raise FramingError("ATS: FSCI must be 0..8 and FWI 0..14")
    body = bytes([0x70 | fsci, 0x00, fwi << 4, 0x00]) + historical
    return bytes([len(body) + 1]) + body


class IsoDepCard:
    """One ISO-DEP activation of a card handler; feed it frames, send what it returns."""

    def __init__(self, handler: CardHandler, *, ats: bytes | None = None) -> None:
        self.handler = handler
        self.ats = build_ats() if ats is None else ats
        self.fsd = 256
        self.active = False
        self._bn = 1
        self._last = b""
        self._chain = bytearray()
        self._overflow = False
        self._pending = b""

    def activate(self, rats: bytes) -> bytes:
        """Answer RATS (E0, FSDI|CID) with the ATS; the handler's session restarts."""
        if len(rats) != 2 or rats[0] != RATS:
            raise FramingError(f"expected RATS (E0 xx), got {rats.hex()}")
        self.fsd = FSD_TABLE[min(rats[1] >> 4, 8)]
        self.active, self._bn, self._last = True, 1, b""
        self._chain.clear()
        self._overflow, self._pending = False, b""
        self.handler.reset()
        return self.ats

    def receive(self, frame: bytes, now: datetime) -> bytes | None:
        """One frame from the reader; the frame to answer, or None to stay silent."""
        if not self.active or not frame:
            return None
        pcb = frame[0]
        offset = 1 + bool(pcb & CID_FOLLOWS)
        if pcb & 0xE2 == I_BLOCK:
            offset += bool(pcb & NAD_FOLLOWS)
            return self._i_block(pcb, frame[offset:], now)
        if pcb & 0xE6 == R_BLOCK:
            return self._r_block(pcb)
        if pcb & 0xF7 == S_DESELECT:
            # VDC-TRN-034: DESELECT ends the activation and the handler's session.
            self.active = False
            self.handler.reset()
            return bytes([S_DESELECT])
        log.debug("ignoring frame with PCB %02X", pcb)
        return None

    def _i_block(self, pcb: int, inf: bytes, now: datetime) -> bytes:
        self._bn = pcb & 1
        if len(self._chain) + len(inf) > MAX_COMMAND:
            self._overflow = True
        elif not self._overflow:
            self._chain += inf
        if pcb & CHAINING:
            # VDC-TRN-032: each chained part is acknowledged with R(ACK).
            return self._send(bytes([R_BLOCK | self._bn]))
        command, overflow = bytes(self._chain), self._overflow
        self._chain.clear()
        self._overflow = False
        self._pending = SW_WRONG_LENGTH if overflow else self._respond(command, now)
        return self._next_part()

    def _respond(self, command: bytes, now: datetime) -> bytes:
        try:
            response = self.handler.respond(command, now)
        except Exception:
            log.exception("card handler raised")
            return SW_NO_PRECISE_DIAGNOSIS
        return response if len(response) >= 2 else SW_NO_PRECISE_DIAGNOSIS

    def _next_part(self) -> bytes:
        size = self.fsd - 3  # PCB and the two CRC bytes count against FSD
        part, self._pending = self._pending[:size], self._pending[size:]
        pcb = I_BLOCK | (CHAINING if self._pending else 0) | self._bn
        return self._send(bytes([pcb]) + part)

    def _r_block(self, pcb: int) -> bytes | None:
        bn = pcb & 1
        if bn == self._bn:
            # VDC-TRN-033: an R-block with our block number asks for the last block again.
            return self._last or None
        if pcb & NAK:
            return self._send(bytes([R_BLOCK | self._bn]))
        self._bn = bn
        if self._pending:
            return self._next_part()
        return self._last or None

    def _send(self, frame: bytes) -> bytes:
        self._last = frame
        return frame
