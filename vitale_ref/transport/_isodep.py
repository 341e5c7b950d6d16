"""Card side of ISO/IEC 14443-4 (ISO-DEP) for Type A, free of I/O (VDC-TRN-030 to 035).

The reader activates the card with RATS; the card answers with its ATS, then exchanges
blocks: I-blocks carry APDUs (chained when longer than the frame), R-blocks acknowledge
or ask for a retransmission, S(DESELECT) ends the activation. Frames are given without
CRC (the radio layer, or nfcpy's udp driver, handles framing).

A command whose answer takes time (the holder's key agreement and signature) is handed
out by `feed` as a `Command`; the binding computes the answer, asking for waiting time
extensions with `wtx_request` while it is not ready (VDC-TRN-038), and sends `answer()`.
`receive` does both at once, for bindings that never wait.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
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
I_BLOCK, R_BLOCK, S_DESELECT, S_WTX = 0x02, 0xA2, 0xC2, 0xF2
MAX_WTXM = 59
CARRIER_HZ = 13.56e6
CHAINING, NAK, CID_FOLLOWS, NAD_FOLLOWS = 0x10, 0x10, 0x08, 0x04

log = logging.getLogger(__name__)


def frame_waiting_time(fwi: int) -> float:
    """FWT in seconds: 2^FWI x 4096 / fc (ISO/IEC 14443-4).

    >>> round(frame_waiting_time(11), 3)
    0.619
    """
    return float(4096 * 2**fwi / CARRIER_HZ)


@dataclass(frozen=True)
class Command:
    """A complete command APDU the card handler must answer (then `IsoDepCard.answer`)."""

    apdu: bytes


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
        fwi = self.ats[3] >> 4 if len(self.ats) > 3 and self.ats[1] & 0x20 else 4
        self.fwt = frame_waiting_time(fwi)
        self.wtx_granted = 0
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
        out = self.feed(frame)
        if isinstance(out, Command):
            return self.answer(self.respond(out.apdu, now))
        return out

    def feed(self, frame: bytes) -> bytes | Command | None:
        """One frame from the reader: the frame to answer, None to stay silent, or a
        `Command` for the handler, whose response goes to `answer`."""
        if not self.active or not frame:
            return None
        pcb = frame[0]
        offset = 1 + bool(pcb & CID_FOLLOWS)
        if pcb & 0xE2 == I_BLOCK:
            offset += bool(pcb & NAD_FOLLOWS)
            return self._i_block(pcb, frame[offset:])
        if pcb & 0xE6 == R_BLOCK:
            return self._r_block(pcb)
        if pcb & 0xF7 == S_DESELECT:
            # VDC-TRN-034: DESELECT ends the activation and the handler's session.
            self.active = False
            self.handler.reset()
            return bytes([S_DESELECT])
        if pcb & 0xF7 == S_WTX:
            # VDC-TRN-038: the reader grants the extension; the answer follows when ready.
            self.wtx_granted += 1
            return None
        log.debug("ignoring frame with PCB %02X", pcb)
        return None

    def wtx_request(self, seconds: float) -> tuple[bytes, float]:
        """S(WTX) asking for at least `seconds` (VDC-TRN-038); returns the frame and the
        waiting time it asks for."""
        multiplier = max(1, min(MAX_WTXM, math.ceil(seconds / self.fwt)))
        return bytes([S_WTX, multiplier]), multiplier * self.fwt

    def answer(self, response: bytes) -> bytes:
        """The first block of the response to the last `Command`."""
        self._pending = response
        return self._next_part()

    def respond(self, command: bytes, now: datetime) -> bytes:
        """The handler's response to `command`; 6F00 when it fails (VDC-TRN-012)."""
        try:
            response = self.handler.respond(command, now)
        except Exception:
            log.exception("card handler raised")
            return SW_NO_PRECISE_DIAGNOSIS
        return response if len(response) >= 2 else SW_NO_PRECISE_DIAGNOSIS

    def _i_block(self, pcb: int, inf: bytes) -> bytes | Command:
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
        return self.answer(SW_WRONG_LENGTH) if overflow else Command(command)

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
