"""The two ratios to a crypto floor: the full read and the credential verification.

Each is the median of alternating batches of the operation and of its floor (the same
primitives, bare), so both sides see the same machine load. "Warm" is the steady state
of a reader that has met the credential before (the decoding memo of VDC-CRED-048
serves it, every check at `now` still runs); "first read" empties the memo before every
operation, as for a holder the reader has never seen.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any

from tools.bench._timing import paired, per_call
from tools.bench.breakdown import breakdown
from tools.bench.floor import crypto_floor, floor_run
from tools.bench.world import BenchWorld, full_read
from vitale_ref.credential import decode_presentation, forget_decodings, verify_presentation

READ_GOAL = 2.0
VERIFY_GOAL = 2.5


def _first(operation: Callable[[], object]) -> Callable[[], object]:
    def cold() -> object:
        forget_decodings()
        return operation()

    return cold


def _ratios(operation: Callable[[], object], floor: Callable[[], None]) -> dict[str, Any]:
    ratios = sorted(paired(operation, floor))
    first = sorted(paired(_first(operation), floor))
    return {
        "ratio": statistics.median(ratios),
        "ratio_quartiles": [ratios[len(ratios) // 4], ratios[3 * len(ratios) // 4]],
        "first_read_ratio": statistics.median(first),
        "first_read_ratio_quartiles": [first[len(first) // 4], first[3 * len(first) // 4]],
    }


def read_section(world: BenchWorld) -> dict[str, Any]:
    """The full authenticated read with receipt, holder and reader in memory."""
    presentation = world.issued.full_presentation()

    def read() -> object:
        return full_read(world)

    read_s = per_call(read, batch_seconds=0.5)
    floor = crypto_floor(read, 3 * len(presentation))
    return {
        "read_ms": read_s * 1e3,
        "first_read_ms": per_call(_first(read), batch_seconds=0.5) * 1e3,
        "floor": floor.as_dict(),
        **_ratios(read, floor_run(floor)),
        "goal": READ_GOAL,
        "budget": {
            # What the goal leaves for everything that is not a primitive, against what
            # the strict decoding of the presentation (VDC-CRED-010..019) costs when the
            # reader meets the credential for the first time.
            "allowed_ms": (READ_GOAL - 1) * floor.seconds * 1e3,
            "spent_ms": (read_s - floor.seconds) * 1e3,
            "strict_decode_ms": per_call(_first(lambda: decode_presentation(presentation))) * 1e3,
        },
        "profile": breakdown(read),
    }


def verify_section(world: BenchWorld) -> dict[str, Any]:
    """`verify_presentation` of the typical presentation: chain (remembered, VDC-CRED-047),
    issuer signature, validity, ten digests, element checks."""
    presentation = world.issued.full_presentation()
    anchor = world.pki.issuing_root.certificate
    elements = decode_presentation(presentation).disclosed

    def verify() -> object:
        return verify_presentation(presentation, trust_anchor=anchor, now=world.now)

    floor = crypto_floor(verify, sum(len(element.encoding) for element in elements))
    return {
        "verify_ms": per_call(verify) * 1e3,
        "first_verify_ms": per_call(_first(verify)) * 1e3,
        "floor": floor.as_dict(),
        **_ratios(verify, floor_run(floor)),
        "goal": VERIFY_GOAL,
        "profile": breakdown(verify, runs=100),
    }
