"""Bytes on the air and modelled on-air time of a full read (vitale_ref.trace model)."""

from __future__ import annotations

from typing import Any

from tools.bench.world import BenchWorld, full_read
from vitale_ref.trace import Direction, estimate

RATES = (106, 424)
GOAL_MS_AT_424 = 150.0


def on_air(world: BenchWorld) -> dict[str, Any]:
    """Per variant (receipt or not, extended or chained APDUs) and bit rate."""
    variants: dict[str, Any] = {}
    for receipt in (True, False):
        for extended in (True, False):
            _result, trace = full_read(world, receipt=receipt, extended=extended)
            name = f"{'read+receipt' if receipt else 'read'}/{'extended' if extended else 'short'}"
            rates: dict[str, Any] = {}
            for kbps in RATES:
                figure = estimate(trace, kbps)
                rates[str(kbps)] = {
                    "ms": round(figure.milliseconds, 2),
                    "frames": figure.frame_count,
                    "frame_bytes_reader_to_card": figure.frame_bytes[Direction.READER_TO_CARD],
                    "frame_bytes_card_to_reader": figure.frame_bytes[Direction.CARD_TO_READER],
                }
            variants[name] = {
                "pairs": len(trace.exchanges),
                "apdu_bytes": sum(len(e.command) + len(e.response) for e in trace.exchanges),
                "rates": rates,
            }
    return variants
