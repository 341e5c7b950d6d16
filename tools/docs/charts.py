"""Charts of the site, as SVG drawn from data: verdicts per area, on-air time per bit rate.

- one bar per area, split into pass / fail / not applicable / inspection / not tested,
  from the requirement rows of the embedded results file;
- the modelled on-air time of the first golden NFC transcript at each ISO 14443 bit
  rate (vitale_ref.trace's model, VDC-NFC on-air time), against the 150 ms target.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path
from typing import Any

from tools.docs.svg import STYLE

SEGMENTS = (
    ("pass", "pass", "#3b8f4f"),
    ("fail", "fail", "#c0392b"),
    ("not_applicable", "not applicable", "#6c7bd1"),
    ("inspection", "inspection", "#9a9a9a"),
    ("not_tested", "not tested", "#e0b43c"),
)
TARGET_MS = 150.0
"""On-air budget of a full read with receipt at 106 kbit/s (the design brief)."""


def _svg(width: float, height: float, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img"><title>{escape(title)}</title>'
        f"{STYLE}" + "".join(body) + "</svg>\n"
    )


def _label(x: float, y: float, text: str, anchor: str = "start") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(text)}</text>'


def area_counts(requirements: Iterable[dict[str, Any]]) -> dict[str, Counter[str]]:
    """Per area, how many requirements of the run ended with each segment."""
    counts: dict[str, Counter[str]] = {}
    for row in requirements:
        inspected = row.get("verification") == "inspection" and not row.get("testCases")
        segment = "inspection" if inspected else str(row.get("verdict", "not_tested"))
        counts.setdefault(str(row.get("area", "?")), Counter())[segment] += 1
    return counts


def area_bars(counts: dict[str, Counter[str]], order: Sequence[str]) -> str:
    """Horizontal stacked bars, one per area, with the legend above them."""
    areas = [a for a in order if a in counts] + sorted(set(counts) - set(order))
    widest = max((sum(c.values()) for c in counts.values()), default=1)
    scale, left, bar = 560 / widest, 70.0, 18.0
    body: list[str] = []
    x = left
    for _key, name, colour in SEGMENTS:
        body.append(f'<rect x="{x:.1f}" y="8" width="12" height="12" fill="{colour}"/>')
        body.append(_label(x + 16, 19, name))
        x += 30 + 7.0 * len(name)
    for index, area in enumerate(areas):
        y = 36 + index * (bar + 8)
        body.append(_label(left - 8, y + 13, area, "end"))
        x = left
        for key, name, colour in SEGMENTS:
            count = counts[area][key]
            if count:
                width = count * scale
                body.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{bar}" '
                    f'fill="{colour}"><title>{area}: {count} {name}</title></rect>'
                )
                x += width
        body.append(_label(x + 6, y + 13, str(sum(counts[area].values()))))
    height = 36 + len(areas) * (bar + 8) + 10
    return _svg(left + 560 + 60, height, body, "requirements per area and verdict")


def on_air_times(transcripts: Path) -> list[tuple[int, float]]:
    """(kbit/s, milliseconds) of the first golden transcript at every bit rate."""
    from vitale_ref.trace import BIT_RATES, Exchange, Trace, estimate

    document = json.loads(transcripts.read_text(encoding="utf-8"))
    test = document["testGroups"][0]["tests"][0]
    trace = Trace(
        exchanges=tuple(
            Exchange(command=bytes.fromhex(e["command"]), response=bytes.fromhex(e["response"]))
            for e in test["exchanges"]
        )
    )
    return [(kbps, estimate(trace, kbps).milliseconds) for kbps in BIT_RATES]


def on_air_chart(times: Sequence[tuple[int, float]]) -> str:
    """One bar per bit rate, the 150 ms target as a line across them."""
    top = max([TARGET_MS, *(ms for _, ms in times)]) * 1.1
    height, base, left, step = 220.0, 190.0, 60.0, 90.0
    scale = (base - 20) / top
    body = [
        f'<line x1="{left - 10}" y1="{base}" x2="{left + step * len(times)}" y2="{base}" '
        'stroke="#555"/>'
    ]
    for index, (kbps, ms) in enumerate(times):
        x = left + index * step
        h = ms * scale
        body.append(
            f'<rect x="{x:.1f}" y="{base - h:.1f}" width="50" height="{h:.1f}" fill="#4b6b66"/>'
        )
        body.append(_label(x + 25, base - h - 6, f"{ms:.1f} ms", "middle"))
        body.append(_label(x + 25, base + 16, f"{kbps} kbit/s", "middle"))
    y = base - TARGET_MS * scale
    width = left + step * len(times) + 40
    body.append(
        f'<line x1="{left - 10}" y1="{y:.1f}" x2="{width - 20}" y2="{y:.1f}" stroke="#c0392b" '
        'stroke-dasharray="6 4"/>'
    )
    body.append(_label(left - 12, y + 4, f"{TARGET_MS:.0f} ms", "end"))
    return _svg(width, height + 10, body, "on-air time of a full read per bit rate")
