"""Bytes on the air and modelled on-air time of a full read, per bit rate and per step.

The model is the one of `vitale_ref.trace` (VDC-NFC-310): ISO-DEP frames of the
recorded APDUs, each frame `2 + 9 n` bit periods plus a turnaround. A step is one
logical command with everything it takes on the air: its chained parts and the GET
RESPONSE commands that collect its answer. The steps add up to the whole read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tools.bench.world import BenchWorld, full_read
from vitale_ref.apdu import INS
from vitale_ref.trace import BIT_RATES, Direction, Trace, frame_seconds, frames

Reader = Callable[..., tuple[object, Trace]]

STEP_NAMES = {
    INS.SELECT: "SELECT",
    INS.ESTABLISH: "ESTABLISH SESSION",
    INS.READ: "READ + GET RESPONSE",
    INS.RECEIPT: "FILE RECEIPT",
    INS.GET_SIGNER_CHAIN: "GET SIGNER CHAIN",
}


def _steps(trace: Trace) -> list[str]:
    """The step of each exchange: GET RESPONSE belongs to the command it continues."""
    names: list[str] = []
    for exchange in trace.exchanges:
        ins = exchange.command[1]
        if ins == INS.GET_RESPONSE and names:
            names.append(names[-1])
        else:
            names.append(STEP_NAMES.get(INS(ins), f"INS {ins:02X}"))
    return names


def by_step(trace: Trace) -> dict[str, Any]:
    """Per step: pairs, APDU bytes each way, ISO-DEP frames and milliseconds per bit rate."""
    names = _steps(trace)
    steps: dict[str, Any] = {}
    for name, exchange in zip(names, trace.exchanges, strict=True):
        step = steps.setdefault(
            name,
            {"pairs": 0, "command_bytes": 0, "response_bytes": 0, "frames": 0, "ms": {}},
        )
        step["pairs"] += 1
        step["command_bytes"] += len(exchange.command)
        step["response_bytes"] += len(exchange.response)
    all_frames = frames(trace)
    for frame in all_frames:
        steps[names[frame.apdu_index]]["frames"] += 1
    for kbps in BIT_RATES:
        for step in steps.values():
            step["ms"][str(kbps)] = 0.0
        for frame in all_frames:
            steps[names[frame.apdu_index]]["ms"][str(kbps)] += frame_seconds(frame, kbps) * 1e3
    for step in steps.values():
        step["ms"] = {rate: round(ms, 2) for rate, ms in step["ms"].items()}
    return steps


def summarise(trace: Trace) -> dict[str, Any]:
    """The whole exchange: pairs, APDU and frame bytes, milliseconds per rate, and steps."""
    steps = by_step(trace)
    all_frames = frames(trace)
    frame_bytes = {d: sum(len(f.data) for f in all_frames if f.direction is d) for d in Direction}
    return {
        "pairs": len(trace.exchanges),
        "apdu_bytes": sum(len(e.command) + len(e.response) for e in trace.exchanges),
        "frame_bytes_reader_to_card": frame_bytes[Direction.READER_TO_CARD],
        "frame_bytes_card_to_reader": frame_bytes[Direction.CARD_TO_READER],
        "ms": {
            str(kbps): round(sum(step["ms"][str(kbps)] for step in steps.values()), 2)
            for kbps in BIT_RATES
        },
        "steps": steps,
    }


VARIANTS: dict[str, dict[str, Any]] = {
    "v1 read+receipt/extended": {"version": 1},
    "v1 read+receipt/short": {"version": 1, "extended": False},
    "v2 read+receipt/extended": {},
    "v2 read+receipt/short": {"extended": False},
    "v2 read/extended": {"receipt": False},
    "v2 read/short": {"receipt": False, "extended": False},
    "v2 first tap at this reader, read+receipt/extended": {"first_tap": True},
    "v2 reader without the signer chain, read+receipt/extended": {"holds_signer": False},
}
"""Version 1 (before) and version 2 (after), in the same run; version 2 by default with
the phone remembering the reader and the reader holding the signer chain."""


def on_air(world: BenchWorld, read: Reader = full_read) -> dict[str, Any]:
    """Every variant of VARIANTS: pairs, bytes and time per bit rate and per step."""
    return {name: summarise(read(world, **options)[1]) for name, options in VARIANTS.items()}
