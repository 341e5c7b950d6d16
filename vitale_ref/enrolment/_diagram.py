"""The state diagram drawn from the table (VDC-ENR-001): nodes and edges, or Mermaid text."""

from __future__ import annotations

from vitale_ref.enrolment._states import State
from vitale_ref.enrolment._table import transitions


def graph() -> tuple[list[str], list[tuple[str, str, str]]]:
    """(states, edges) with one edge `(source, target, "Event [guard]")` per table row."""
    edges = []
    for row in transitions():
        label = row.event if row.guard.value == "always" else f"{row.event} [{row.guard}]"
        edges.append((row.source.value, row.target.value, label))
    return [s.value for s in State], edges


def mermaid() -> str:
    """A Mermaid `stateDiagram-v2` of the whole table."""
    _states, edges = graph()
    lines = ["stateDiagram-v2", f"    [*] --> {State.ROUTE_CHOICE.value}: StartEnrolment"]
    for source, target, label in edges:
        if source == State.START.value:
            continue
        lines.append(f"    {source} --> {target}: {label}")
    return "\n".join(lines) + "\n"
