"""Enrolment traces replayed on the reference; together they cover the whole table.

Verifies VDC-ENR-001 (every row of the transition table is exercised, and only rows of
the table), VDC-ENR-003 (refusals) and the behaviour recorded in vectors/enrolment.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from conformance.vectors import VectorCase, iter_cases
from vitale_ref.enrolment import transitions
from vitale_ref.enrolment.traces import run

CASES = list(iter_cases("enrolment/traces.json"))


def _replay(case: VectorCase) -> list[dict[str, object]]:
    steps = tuple((s["at"], s["slot"], s["event"]) for s in case.data["steps"])
    records = run(datetime.fromisoformat(case.data["startTime"]), steps, seed=case.data["seed"])
    return [
        {
            "state": r.state,
            "transition": None if r.transition is None else list(r.transition),
            "sideTransitions": [list(k) for k in r.side_transitions],
            "messages": list(r.messages),
            "refused": r.refused,
        }
        for r in records
    ]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.data["name"])
def test_trace_replays(case: VectorCase) -> None:
    """Each step reaches the recorded state, transition, messages or refusal."""
    expected = [
        {k: s[k] for k in ("state", "transition", "sideTransitions", "messages", "refused")}
        for s in case.data["steps"]
    ]
    assert _replay(case) == expected


def test_traces_cover_every_transition_of_the_table() -> None:
    """VDC-ENR-001: the set of (state, event, guard) exercised equals the table's."""
    exercised: set[tuple[str, ...]] = set()
    for case in CASES:
        for step in case.data["steps"]:
            if step["transition"] is not None:
                exercised.add(tuple(step["transition"]))
            exercised.update(tuple(k) for k in step["sideTransitions"])
    table = {row.key for row in transitions()}
    assert exercised - table == set()
    assert table - exercised == set()


def test_every_refusal_reason_of_the_traces_is_documented() -> None:
    """VDC-ENR-003: refusals name a reason of the refusal table of the chapter."""
    from conformance.requirements import spec_dir

    chapter = (spec_dir() / "enrolment.md").read_text(encoding="utf-8")
    reasons = {s["refused"] for c in CASES for s in c.data["steps"] if s["refused"]}
    assert len(reasons) >= 18
    assert all(f"`{reason}`" in chapter for reason in reasons)
