"""On-air time model of an APDU trace over ISO-DEP, Type A (VDC-NFC-310, VDC-NFC-311).

Model, per frame: SOF and EOF (2 bit periods) plus 9 bit periods per byte (8 data bits
and the parity bit), at the chosen bit rate; then a turnaround of 1172/fc (86.4 us) before
the next frame. Card processing time, field activation and anticollision are not
counted: the figure is the time the exchange occupies the air.
"""

from __future__ import annotations

from dataclasses import dataclass

from vitale_ref.trace._isodep import Direction, Frame, frames
from vitale_ref.trace._model import Trace

CARRIER_HZ = 13_560_000
BIT_RATES = (106, 212, 424, 848)
BITS_PER_BYTE = 9
FRAME_BITS = 2
TURNAROUND_S = 1172 / CARRIER_HZ


@dataclass(frozen=True, kw_only=True)
class OnAirEstimate:
    """Bytes and time on the air for one bit rate."""

    kbps: int
    apdu_bytes: dict[Direction, int]
    frame_bytes: dict[Direction, int]
    frame_count: int
    seconds: float

    @property
    def milliseconds(self) -> float:
        return self.seconds * 1000


def bit_period(kbps: int) -> float:
    """fc/128 is 106 kbit/s; each doubling halves the period."""
    if kbps not in BIT_RATES:
        raise ValueError(f"bit rate must be one of {BIT_RATES}")
    return (128 * 106 // kbps) / CARRIER_HZ


def frame_seconds(frame: Frame, kbps: int) -> float:
    """Air time of one frame and the turnaround after it (VDC-NFC-310)."""
    return (FRAME_BITS + BITS_PER_BYTE * len(frame.data)) * bit_period(kbps) + TURNAROUND_S


def estimate(trace: Trace, kbps: int, *, fsc: int = 256, fsd: int = 256) -> OnAirEstimate:
    bit_period(kbps)  # refuses an unknown rate before any work
    all_frames = frames(trace, fsc=fsc, fsd=fsd)
    frame_bytes = {direction: 0 for direction in Direction}
    seconds = 0.0
    for frame in all_frames:
        frame_bytes[frame.direction] += len(frame.data)
        seconds += frame_seconds(frame, kbps)
    apdu_bytes = {
        Direction.READER_TO_CARD: sum(len(e.command) for e in trace.exchanges),
        Direction.CARD_TO_READER: sum(len(e.response) for e in trace.exchanges),
    }
    return OnAirEstimate(
        kbps=kbps,
        apdu_bytes=apdu_bytes,
        frame_bytes=frame_bytes,
        frame_count=len(all_frames),
        seconds=seconds,
    )


def estimate_table(trace: Trace) -> list[str]:
    """One line per bit rate, for the CLIs."""
    lines = []
    for kbps in BIT_RATES:
        result = estimate(trace, kbps)
        lines.append(
            f"{kbps:>3} kbit/s: {result.milliseconds:7.1f} ms on the air, "
            f"{result.frame_count} frames, "
            f"reader->card {result.frame_bytes[Direction.READER_TO_CARD]} B, "
            f"card->reader {result.frame_bytes[Direction.CARD_TO_READER]} B"
        )
    return lines
