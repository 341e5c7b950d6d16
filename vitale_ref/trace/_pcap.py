"""pcap export with link type 264, LINKTYPE_ISO_14443 (VDC-NFC-320).

Each record is the four-byte pseudo-header (version 0, event FE reader-to-card or FF
card-to-reader, big-endian length) followed by one ISO-DEP frame with its CRC. The
trace is preceded by RATS/ATS so a dissector knows ISO-DEP is active; time stamps come
from the on-air model, starting at `start` (seconds since the epoch).
"""

from __future__ import annotations

import struct

from vitale_ref.trace._isodep import Direction, frames
from vitale_ref.trace._model import Trace
from vitale_ref.trace._onair import BITS_PER_BYTE, FRAME_BITS, TURNAROUND_S, bit_period

LINKTYPE_ISO_14443 = 264
EVENT = {Direction.READER_TO_CARD: 0xFE, Direction.CARD_TO_READER: 0xFF}


def to_pcap(trace: Trace, *, start: float = 0.0, kbps: int = 424) -> bytes:
    out = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, LINKTYPE_ISO_14443))
    clock = start
    period = bit_period(kbps)
    for frame in frames(trace, activation=True):
        record = struct.pack(">BBH", 0, EVENT[frame.direction], len(frame.data)) + frame.data
        micros = round(clock * 1_000_000)
        out += struct.pack(
            "<IIII", micros // 1_000_000, micros % 1_000_000, len(record), len(record)
        )
        out += record
        clock += (FRAME_BITS + BITS_PER_BYTE * len(frame.data)) * period + TURNAROUND_S
    return bytes(out)
