"""ISO-DEP (ISO/IEC 14443-4) framing of an APDU trace, as the on-air model sees it.

Each APDU travels in I-blocks of at most FSC (reader to card) or FSD (card to reader)
bytes including the PCB byte and the two CRC_A bytes; a chained block is acknowledged
by an R(ACK) block. No CID or NAD byte is used (VDC-NFC-310).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from vitale_ref.trace._model import Trace

PCB_I = 0x02
PCB_CHAINING = 0x10
PCB_R_ACK = 0xA2
FRAME_OVERHEAD = 3  # PCB + CRC_A
RATS = bytes([0xE0, 0x80])  # FSDI 8 (256 bytes), CID 0
ATS = bytes([0x05, 0x78, 0x80, 0x70, 0x02])  # FSCI 8 (256 bytes), TA TB TC


class Direction(Enum):
    READER_TO_CARD = "reader"
    CARD_TO_READER = "card"


@dataclass(frozen=True, kw_only=True)
class Frame:
    direction: Direction
    data: bytes  # PCB .. INF .. CRC_A
    apdu_index: int  # exchange the frame belongs to, -1 for activation


def crc_a(data: bytes) -> bytes:
    """CRC_A of ISO/IEC 14443-3 (initial 6363, reflected polynomial 8408), LSB first."""
    crc = 0x6363
    for value in data:
        mixed = value ^ (crc & 0xFF)
        mixed = (mixed ^ (mixed << 4)) & 0xFF
        crc = ((crc >> 8) ^ (mixed << 8) ^ (mixed << 3) ^ (mixed >> 4)) & 0xFFFF
    return crc.to_bytes(2, "little")


def _with_crc(data: bytes) -> bytes:
    return data + crc_a(data)


class _Framer:
    def __init__(self, fsc: int, fsd: int) -> None:
        self.sizes = {Direction.READER_TO_CARD: fsc, Direction.CARD_TO_READER: fsd}
        self.block = 0
        self.frames: list[Frame] = []

    def send(self, direction: Direction, apdu: bytes, index: int) -> None:
        room = self.sizes[direction] - FRAME_OVERHEAD
        parts = [apdu[i : i + room] for i in range(0, len(apdu), room)] or [b""]
        other = (
            Direction.CARD_TO_READER
            if direction is Direction.READER_TO_CARD
            else Direction.READER_TO_CARD
        )
        for number, part in enumerate(parts):
            chained = number < len(parts) - 1
            pcb = PCB_I | self.block | (PCB_CHAINING if chained else 0)
            self.frames.append(
                Frame(direction=direction, data=_with_crc(bytes([pcb]) + part), apdu_index=index)
            )
            if chained:
                ack = bytes([PCB_R_ACK | self.block])
                self.frames.append(Frame(direction=other, data=_with_crc(ack), apdu_index=index))
                self.block ^= 1
        if direction is Direction.CARD_TO_READER:
            self.block ^= 1


def frames(
    trace: Trace, *, fsc: int = 256, fsd: int = 256, activation: bool = False
) -> list[Frame]:
    """Every ISO-DEP frame of `trace`, in order (optionally preceded by RATS/ATS)."""
    framer = _Framer(fsc, fsd)
    if activation:
        framer.frames.append(
            Frame(direction=Direction.READER_TO_CARD, data=_with_crc(RATS), apdu_index=-1)
        )
        framer.frames.append(
            Frame(direction=Direction.CARD_TO_READER, data=_with_crc(ATS), apdu_index=-1)
        )
    for index, exchange in enumerate(trace.exchanges):
        framer.send(Direction.READER_TO_CARD, exchange.command, index)
        framer.send(Direction.CARD_TO_READER, exchange.response, index)
    return framer.frames
