"""Golden transcripts replayed byte for byte against the holder core.

Verifies VDC-NFC-040, 042, 043, 051, 053, 060, 110, 111, 114 and VDC-SM-012, 034, 041
through the scenarios of vectors/nfc/transcripts.json (flags name the requirement).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from conformance.vectors import VectorCase, iter_cases
from vitale_ref.holder import Presented
from vitale_ref.holder.samples import sample_world
from vitale_ref.randomness import seeded_random

CASES = list(iter_cases("nfc/transcripts.json"))


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"tc{c.tc_id}")
def test_nfc_golden_transcript_replays(case: VectorCase) -> None:
    """Every response of the vector is reproduced exactly, and the final state matches."""
    world = sample_world(case.group["worldSeed"])
    holder = world.holder(seeded_random(case.data["holderSeed"]))
    if case.data["armedUntil"] is not None:
        holder.arm(datetime.fromisoformat(case.data["armedUntil"]))
    now = datetime.fromisoformat(case.data["now"])
    for number, exchange in enumerate(case.data["exchanges"], start=1):
        response = holder.respond(bytes.fromhex(exchange["command"]), now)
        assert response.hex() == exchange["response"], f"{case.name} exchange {number}"
    assert holder.state.value == case.data["finalState"]
    disclosed = [list(e.elements) for e in holder.events() if isinstance(e, Presented)]
    assert disclosed == case.data["disclosed"]


def test_nfc_golden_covers_failure_scenarios() -> None:
    """The vector file holds every failure scenario the issue lists, ending as specified."""
    flags = {flag for case in CASES for flag in case.flags}
    assert {
        "NoPresence",
        "UnauthorisedElement",
        "BadReaderCertificate",
        "TamperedCiphertext",
        "Replay",
        "WrongAid",
        "ChainingAbuse",
        "MalformedApdu",
        "OutOfOrder",
        "BadReceipt",
    } <= flags
    for case in CASES:
        if case.result == "invalid":
            last = case.data["exchanges"][-1]["response"]
            assert last[-4:] != "9000", case.name
        if "TamperedCiphertext" in case.flags or "Replay" in case.flags:
            assert any(e["response"] == "6988" for e in case.data["exchanges"])
