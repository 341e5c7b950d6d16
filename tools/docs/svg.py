"""Dependency-free SVG drawings: a layered state diagram, a message sequence, a tree.

The drawings are computed, never hand-edited: the same input gives the same bytes, so
a diagram changes exactly when the table, transcript or hierarchy it shows changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

FONT = 12
CHAR = 7.0  # average advance of a 12 px sans-serif character, generously rounded up
STYLE = (
    "<style>text{font-family:sans-serif;font-size:12px;fill:#1f2328}"
    ".small{font-size:11px;fill:#444}.halo{paint-order:stroke;stroke:#fff;stroke-width:4px}"
    ".node{fill:#eef4f3;stroke:#4b6b66}.term{fill:#f4eeee;stroke:#7a5050}"
    ".edge{fill:none;stroke:#5a5a5a;stroke-width:1.2}</style>"
)
ARROW = (
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
    'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#5a5a5a"/>'
    "</marker></defs>"
)


def _width(text: str) -> float:
    return len(text) * CHAR


def _text(x: float, y: float, value: str, *, anchor: str = "middle", cls: str = "") -> str:
    attributes = f' class="{cls}"' if cls else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{attributes}>{escape(value)}</text>'
    )


def _document(width: float, height: float, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img">'
        f"<title>{escape(title)}</title>{STYLE}{ARROW}" + "".join(body) + "</svg>\n"
    )


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


def _ranks(
    nodes: Sequence[str], edges: Sequence[tuple[str, str]], initial: str, last: set[str]
) -> dict[str, int]:
    """Longest-path layers of the graph without its back edges; `last` nodes at the bottom."""
    forward: dict[str, list[str]] = {}
    state: dict[str, int] = {}  # 1 on the DFS stack, 2 done
    order: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        for source, target in edges:
            if source == node and target not in last and state.get(target) != 1:
                forward.setdefault(node, []).append(target)
                if target not in state:
                    visit(target)
        state[node] = 2
        order.append(node)

    for start in [initial, *nodes]:
        if start not in state and start not in last:
            visit(start)
    rank: dict[str, int] = {}
    for node in reversed(order):
        rank.setdefault(node, 0)
        for target in forward.get(node, []):
            rank[target] = max(rank.get(target, 0), rank[node] + 1)
    bottom = max(rank.values(), default=0) + 1
    return {node: rank.get(node, bottom) for node in nodes}


def _common(
    edges: Sequence[tuple[str, str, str]], minimum: int
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, list[str]]]]:
    """Split off the (label, target) pairs that `minimum` or more states share."""
    sources: dict[tuple[str, str], list[str]] = {}
    for source, target, label in edges:
        sources.setdefault((label, target), []).append(source)
    shared = {key for key, found in sources.items() if len(found) >= minimum}
    kept = [e for e in edges if (e[2], e[1]) not in shared]
    notes = [(label, target, sources[(label, target)]) for label, target in sorted(shared)]
    return kept, notes


class _Labels:
    """Edge labels placed one by one, each moved down until it overlaps nothing placed."""

    def __init__(self, obstacles: list[_Box]) -> None:
        self.placed = list(obstacles)
        self.svg: list[str] = []

    def add(self, x: float, y: float, lines: list[str], anchor: str) -> None:
        width = max(_width(line) for line in lines) * 0.9
        height = (FONT + 2) * len(lines)
        left = {"start": x, "end": x - width}.get(anchor, x - width / 2)
        box = _Box(left, y - height / 2, width, height)
        for _ in range(12):
            if not any(_overlap(box, other) for other in self.placed):
                break
            box = _Box(box.x, box.y + FONT + 2, box.w, box.h)
        self.placed.append(box)
        for index, line in enumerate(lines):
            base = box.y + FONT + index * (FONT + 2) - 2
            self.svg.append(_text(x, base, line, anchor=anchor, cls="small halo"))


def _overlap(a: _Box, b: _Box) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def state_diagram(
    nodes: Sequence[str],
    edges: Sequence[tuple[str, str, str]],
    *,
    initial: str,
    terminal: Sequence[str] = (),
    title: str = "state diagram",
    shared_from: int = 4,
) -> str:
    """States top to bottom in layers; parallel edges share one arrow.

    A transition that `shared_from` or more states have in common (same event, same
    target) is written once in a note under the drawing instead of as one arrow each.
    """
    kept, notes = _common(edges, shared_from)
    merged: dict[tuple[str, str], list[str]] = {}
    for source, target, label in kept:
        merged.setdefault((source, target), []).append(label)
    rank = _ranks(nodes, list(merged), initial, set(terminal))
    boxes = _place(nodes, rank, merged)
    labels = _Labels(list(boxes.values()))
    body = [_edge(boxes[s], boxes[t], names, labels) for (s, t), names in merged.items()]
    for node in nodes:
        box = boxes[node]
        cls = "term" if node in terminal else "node"
        body.append(
            f'<rect class="{cls}" x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" '
            f'height="{box.h:.1f}" rx="9"/>' + _text(box.cx, box.y + 19, node)
        )
    placed = [*boxes.values(), *labels.placed]
    # A label left of the first column would be cut by the viewBox: shift the drawing.
    shift = max(0.0, 20 - min(b.x for b in placed))
    width = max(b.x + b.w for b in placed) + 30 + shift
    y = max(b.y + b.h for b in placed) + 30
    notes_start = len(body)
    for label, target, sources in notes:
        body.append(_text(20, y, f"{label} \u2192 {target}, from every one of:", anchor="start"))
        for start in range(0, len(sources), 5):
            y += FONT + 4
            body.append(
                _text(36, y, ", ".join(sources[start : start + 5]), anchor="start", cls="small")
            )
        y += FONT + 14
    drawn = body[:notes_start] + labels.svg
    if shift:
        drawn = [f'<g transform="translate({shift:.1f},0)">', *drawn, "</g>"]
    return _document(width, y, drawn + body[notes_start:], title)


def _place(
    nodes: Sequence[str], rank: dict[str, int], merged: dict[tuple[str, str], list[str]]
) -> dict[str, _Box]:
    """Boxes row by row; within a row, by the mean position of the nodes pointing at each."""
    rows: dict[int, list[str]] = {}
    for node in nodes:
        rows.setdefault(rank[node], []).append(node)
    widths = {n: _width(n) + 24 for n in nodes}
    gap, row_height, margin = 70.0, 96.0, 30.0
    total = max(sum(widths[n] for n in row) + gap * (len(row) - 1) for row in rows.values())
    canvas = total + 2 * margin + 200
    boxes: dict[str, _Box] = {}
    for level in sorted(rows):

        def centre(node: str) -> float:
            parents = [boxes[s].cx for s, t in merged if t == node and s in boxes]
            return sum(parents) / len(parents) if parents else canvas / 2

        row = sorted(rows[level], key=centre)
        span = sum(widths[n] for n in row) + gap * (len(row) - 1)
        x = (canvas - span) / 2
        for node in row:
            boxes[node] = _Box(x, margin + level * row_height, widths[node], 30)
            x += widths[node] + gap
    return boxes


def _edge(a: _Box, b: _Box, names: list[str], labels: _Labels) -> str:
    """One arrow from a to b with its event names; loops and long edges bend aside."""
    if a == b:
        x, y = a.x + a.w, a.y + a.h / 2
        labels.add(x + 42, y, names, "start")
        return (
            f'<path class="edge" d="M{x:.1f},{y - 8:.1f} C{x + 40:.1f},{y - 30:.1f} '
            f'{x + 40:.1f},{y + 30:.1f} {x:.1f},{y + 8:.1f}" marker-end="url(#arrow)"/>'
        )
    down = b.y > a.y
    x1, y1 = a.cx, a.y + a.h if down else a.y
    x2, y2 = b.cx, b.y if down else b.y + b.h
    adjacent = down and b.y - a.y < 100
    if adjacent:
        side = 1.0 if x2 >= x1 else -1.0
        labels.add((x1 + x2) / 2 + 6 * side, (y1 + y2) / 2, names, "start" if side > 0 else "end")
        return (
            f'<path class="edge" d="M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}" '
            'marker-end="url(#arrow)"/>'
        )
    side = 1.0 if (x2 > x1 or (x2 == x1 and down)) else -1.0
    bend = side * (90.0 + abs(y2 - y1) * 0.25)
    mx, my = (x1 + x2) / 2 + bend, (y1 + y2) / 2
    labels.add((x1 + 2 * mx + x2) / 4 + 4 * side, my, names, "start" if side > 0 else "end")
    return (
        f'<path class="edge" d="M{x1:.1f},{y1:.1f} Q{mx:.1f},{my:.1f} {x2:.1f},{y2:.1f}" '
        'marker-end="url(#arrow)"/>'
    )


def sequence_diagram(
    left: str,
    right: str,
    messages: Sequence[tuple[bool, str, str]],
    *,
    title: str = "message sequence",
) -> str:
    """Two lifelines; each message is (left_to_right, label above, note below)."""
    longest = max((_width(m[1]) for m in messages), default=200)
    span = max(longest + 60, 420.0)
    lx, rx, top, step = 110.0, 110.0 + span, 60.0, 52.0
    height = top + step * len(messages) + 40
    body = [_text(lx, 30, left), _text(rx, 30, right)]
    body += [
        f'<line class="edge" x1="{x}" y1="40" x2="{x}" y2="{height - 10:.0f}" '
        'stroke-dasharray="4 3"/>'
        for x in (lx, rx)
    ]
    for index, (rightwards, label, note) in enumerate(messages):
        y = top + step * index + 24
        x1, x2 = (lx, rx) if rightwards else (rx, lx)
        body.append(
            f'<line class="edge" x1="{x1}" y1="{y:.1f}" x2="{x2}" y2="{y:.1f}" '
            'marker-end="url(#arrow)"/>'
        )
        body.append(_text((lx + rx) / 2, y - 6, label))
        if note:
            body.append(_text((lx + rx) / 2, y + 15, note, cls="small"))
    return _document(rx + 110, height, body, title)


def tree_diagram(
    nodes: Sequence[tuple[str, Sequence[str], str | None]],
    *,
    title: str = "hierarchy",
) -> str:
    """A forest drawn top-down: each node is (id, text lines, parent id or None)."""
    children: dict[str | None, list[str]] = {}
    lines = {node: list(text) for node, text, _ in nodes}
    for node, _, parent in nodes:
        children.setdefault(parent, []).append(node)
    widths = {n: max(_width(line) for line in lines[n]) + 20 for n in lines}
    height_of = {n: 14 * len(lines[n]) + 14 for n in lines}

    def span(node: str) -> float:
        kids = children.get(node, [])
        return (
            max(widths[node], sum(span(k) for k in kids) + 24 * (len(kids) - 1))
            if kids
            else widths[node]
        )

    boxes: dict[str, _Box] = {}

    def place(node: str, x: float, depth: int) -> None:
        total = span(node)
        boxes[node] = _Box(
            x + (total - widths[node]) / 2, 20 + depth * 120, widths[node], height_of[node]
        )
        cursor = x
        for kid in children.get(node, []):
            place(kid, cursor, depth + 1)
            cursor += span(kid) + 24

    cursor = 20.0
    for root in children.get(None, []):
        place(root, cursor, 0)
        cursor += span(root) + 60
    body: list[str] = []
    for node, _, parent in nodes:
        if parent is not None:
            a, b = boxes[parent], boxes[node]
            body.append(
                f'<path class="edge" d="M{a.cx:.1f},{a.y + a.h:.1f} L{b.cx:.1f},{b.y:.1f}" '
                'marker-end="url(#arrow)"/>'
            )
    for node, text in lines.items():
        box = boxes[node]
        body.append(
            f'<rect class="node" x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" '
            f'height="{box.h:.1f}" rx="6"/>'
        )
        for index, line in enumerate(text):
            cls = "" if index == 0 else "small"
            body.append(_text(box.cx, box.y + 18 + 14 * index, line, cls=cls))
    width = cursor - 40
    height = max(b.y + b.h for b in boxes.values()) + 20
    return _document(width, height, body, title)
