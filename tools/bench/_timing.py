"""Timing helper: seconds per call, as the median of several batches.

Time is this process's CPU time (`time.process_time`), not the wall clock: on a machine
shared with other work, the time the process waits for a core is not work of the read,
and would land on whichever side of a ratio happened to be waiting.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

_clock = time.process_time
QUICK = False
"""Set by `--quick`: fewer, shorter batches (for a smoke run, not for figures)."""


def per_call(function: Callable[[], object], *, batch_seconds: float = 0.2) -> float:
    """Median seconds per call of `function` over several timed batches.

    The batch size is chosen so that a batch lasts about `batch_seconds`; the median of
    the batches discards the odd batch disturbed by another process.
    """
    if QUICK:
        batch_seconds /= 10
    function()  # warm caches and lazy imports before timing
    start = _clock()
    calls = 0
    while _clock() - start < batch_seconds / 4:
        function()
        calls += 1
    size = max(1, calls * 4)
    samples = []
    for _ in range(3 if QUICK else 7):
        begin = _clock()
        for _ in range(size):
            function()
        samples.append((_clock() - begin) / size)
    return statistics.median(samples)


def paired(first: Callable[[], object], second: Callable[[], object]) -> list[float]:
    """Ratios first/second of batches timed alternately (each batch about 0.1 s).

    Alternating keeps both sides under the same load when other processes share the
    machine; the median of the ratios is the figure.
    """
    first()
    second()
    sizes = []
    for function in (first, second):
        start = _clock()
        calls = 0
        while _clock() - start < 0.02:
            function()
            calls += 1
        sizes.append(max(1, calls * 5))
    ratios = []
    for _ in range(5 if QUICK else 21):
        seconds = []
        for function, size in zip((first, second), sizes, strict=True):
            begin = _clock()
            for _ in range(size):
                function()
            seconds.append((_clock() - begin) / size)
        ratios.append(seconds[0] / seconds[1])
    return ratios
