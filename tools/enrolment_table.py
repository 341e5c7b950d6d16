"""Write the enrolment transition table and state diagram into spec/enrolment.md.

Both come from vitale_ref/enrolment/_table.py, the one module holding the machine
(VDC-ENR-001). Usage: python tools/enrolment_table.py [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vitale_ref.enrolment import transitions

SPEC = Path(__file__).resolve().parent.parent / "spec" / "enrolment.md"
TABLE_MARKERS = ("<!-- BEGIN transition-table -->", "<!-- END transition-table -->")
DIAGRAM_MARKERS = ("<!-- BEGIN state-diagram -->", "<!-- END state-diagram -->")


def table_markdown() -> str:
    """The transition table as Markdown rows."""
    lines = [
        "| # | state | event | checks (refuse) | guard | new state | effects |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for number, row in enumerate(transitions(), start=1):
        checks = ", ".join(f"`{c}`" for c in row.checks) or "—"
        effects = ", ".join(f"`{e}`" for e in row.effects) or "—"
        lines.append(
            f"| {number} | {row.source} | {row.event} | {checks} | `{row.guard}` "
            f"| {row.target} | {effects} |"
        )
    return "\n".join(lines) + "\n"


def diagram_markdown() -> str:
    """The state diagram, drawn from the same table when the documentation is built."""
    return "```{vdc-diagram} enrolment\n```\n"


def _replace(text: str, markers: tuple[str, str], body: str) -> str:
    begin, end = markers
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{body}{end}{tail}"


def render(text: str) -> str:
    """The chapter with both generated parts refreshed."""
    text = _replace(text, TABLE_MARKERS, table_markdown())
    return _replace(text, DIAGRAM_MARKERS, diagram_markdown())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the chapter is stale")
    args = parser.parse_args(argv)
    current = SPEC.read_text(encoding="utf-8")
    fresh = render(current)
    if args.check:
        if fresh != current:
            print("stale: spec/enrolment.md differs from the transition table", file=sys.stderr)
            return 1
        return 0
    if fresh != current:
        SPEC.write_text(fresh, encoding="utf-8")
        print("wrote spec/enrolment.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
