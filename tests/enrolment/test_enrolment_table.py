"""The transition table is the one source of the machine, the spec and the diagram (VDC-ENR-001)."""

from __future__ import annotations

from conformance.requirements import load_requirements
from tools import enrolment_table
from vitale_ref.enrolment import (
    EVENT_TYPES,
    IN_PROGRESS,
    TABLE,
    TERMINAL,
    Check,
    Effect,
    Guard,
    State,
    graph,
    mermaid,
    transitions,
)
from vitale_ref.enrolment._effects import EFFECTS
from vitale_ref.enrolment._rules import CHECKS, GUARDS


def test_spec_table_and_diagram_are_current() -> None:
    """spec/enrolment.md holds exactly what tools/enrolment_table.py generates."""
    current = enrolment_table.SPEC.read_text(encoding="utf-8")
    assert enrolment_table.render(current) == current, "run python tools/enrolment_table.py"
    assert enrolment_table.main(["--check"]) == 0


def test_every_name_in_the_table_has_an_implementation() -> None:
    assert set(CHECKS) == set(Check)
    assert set(GUARDS) == set(Guard)
    assert set(EFFECTS) == set(Effect)
    used = {e for row in transitions() for e in row.effects}
    assert used == set(Effect)


def test_terminal_states_have_no_rows_and_every_state_is_reachable() -> None:
    assert not any(state in TABLE for state in TERMINAL)
    reached = {State.START}
    frontier = [State.START]
    while frontier:
        source = frontier.pop()
        for rule in TABLE.get(source, {}).values():
            for branch in rule.branches:
                if branch.target not in reached:
                    reached.add(branch.target)
                    frontier.append(branch.target)
    assert reached == set(State)
    assert State.ACTIVE not in IN_PROGRESS and State.LOCKED in IN_PROGRESS


def test_every_event_type_appears_in_the_table() -> None:
    used = {event for rules in TABLE.values() for event in rules}
    assert used == set(EVENT_TYPES)


def test_graph_and_mermaid_follow_the_table() -> None:
    states, edges = graph()
    rows = list(transitions())
    assert states[0] == "START" and len(edges) == len(rows) == 39
    assert ("CODE_SENT", "LOCKED", "SubmitCode [code-wrong-locks]") in edges
    text = mermaid()
    assert text.startswith("stateDiagram-v2\n    [*] --> ROUTE_CHOICE: StartEnrolment\n")
    assert "    APPROVED --> ACTIVE: FirstUnlock\n" in text
    assert text.count("-->") == len(rows)


def test_requirements_cited_by_the_chapter_exist() -> None:
    ids = {r.id for r in load_requirements() if r.area in ("ENR", "OTP")}
    assert {f"VDC-ENR-{n:03d}" for n in (1, 2, 3, 10, 11, 12, 13, 60, 70, 71, 80, 81)} <= ids
    assert {f"VDC-OTP-{n:03d}" for n in range(1, 15)} <= ids
