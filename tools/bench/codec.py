"""Decoder throughput in MB/s against plain `bytes` slicing of the same inputs.

The baseline does the least any Python decoder of the same format must do: read the
length fields and slice every value out, with no check and no object built. The
ratio baseline/ours says how many times slower the strict decoder is than that floor.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from tools.bench._timing import paired, per_call
from tools.bench.world import BenchWorld, full_read
from vitale_ref.apdu import CommandApdu
from vitale_ref.credential import decode_presentation, forget_decodings


@dataclass(frozen=True, kw_only=True)
class Throughput:
    name: str
    input_bytes: int
    ours_mb_s: float
    baseline_mb_s: float

    slowdown: float
    """Median of alternating batches: our time / slicing time on the same input."""


def _slice_apdu(raw: bytes) -> tuple[bytes, bytes]:
    header, body = raw[:4], raw[4:]
    if len(body) <= 1:
        return header, b""
    if body[0]:
        return header, body[1 : 1 + body[0]]
    size = int.from_bytes(body[1:3], "big")
    return header, body[3 : 3 + size]


def _slice_der(data: bytes, start: int = 0, end: int | None = None) -> int:
    """Walk every TLV (into constructed values) by slicing; returns the value count."""
    end = len(data) if end is None else end
    count = 0
    while start < end:
        tag, first = data[start], data[start + 1]
        start += 2
        if first & 0x80:
            width = first & 0x7F
            size = int.from_bytes(data[start : start + width], "big")
            start += width
        else:
            size = first
        _value = data[start : start + size]
        count += 1
        if tag & 0x20:
            count += _slice_der(data, start, start + size)
        start += size
    return count


def _mb_s(size: int, seconds: float) -> float:
    return size / seconds / 1e6


def apdu_throughput(world: BenchWorld) -> Throughput:
    """Every C-APDU of a full read (short chained and extended), parsed strictly."""
    _result, trace = full_read(world)
    chained = full_read(world, extended=False)[1]
    commands = [e.command for e in (*trace.exchanges, *chained.exchanges)]
    size = sum(len(c) for c in commands)
    ours = per_call(lambda: [CommandApdu.parse(c) for c in commands])
    base = per_call(lambda: [_slice_apdu(c) for c in commands])
    ratio = statistics.median(
        paired(
            lambda: [CommandApdu.parse(c) for c in commands],
            lambda: [_slice_apdu(c) for c in commands],
        )
    )
    return Throughput(
        name="apdu",
        input_bytes=size,
        ours_mb_s=_mb_s(size, ours),
        baseline_mb_s=_mb_s(size, base),
        slowdown=ratio,
    )


def _decode_afresh(presentation: bytes) -> object:
    forget_decodings()  # the decoder itself, not its memo (VDC-CRED-048)
    return decode_presentation(presentation)


def der_throughput(world: BenchWorld) -> Throughput:
    """The typical presentation (every element disclosed), decoded strictly."""
    presentation = world.issued.full_presentation()
    ours = per_call(lambda: _decode_afresh(presentation))
    base = per_call(lambda: _slice_der(presentation))
    size = len(presentation)
    ratio = statistics.median(
        paired(lambda: _decode_afresh(presentation), lambda: _slice_der(presentation))
    )
    return Throughput(
        name="der",
        input_bytes=size,
        ours_mb_s=_mb_s(size, ours),
        baseline_mb_s=_mb_s(size, base),
        slowdown=ratio,
    )
