"""What a requirement box of the specification shows beside its statement.

When the site is built, each `req` block of the copied specification gets a last line:
its verdict in the embedded conformance run (coloured, linked to the report's row) and
the places of the code that cite it (linked to the site's copy of each file).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape

from tools.docs.model import Citation
from tools.docs.pages_trace import CODE_PAGES, verdict_html

_FENCE = re.compile(r"^\s*(?P<fence>`{3,}|:{3,})(?P<info>.*)$")
_ID = re.compile(r"^\s*:id:\s*(?P<id>VDC-[A-Z]+-\d{3})\s*$")
MAX_SHOWN = 6


def trace_line(
    rid: str,
    verdict: str | None,
    citations: Sequence[Citation],
    *,
    report: bool,
    source_url: str = "",
) -> str:
    """The HTML paragraph added at the end of requirement `rid`'s box."""
    shown = verdict_html(verdict, rid, linked=report) if verdict else "no run"
    links = [
        f'<a href="{escape((source_url or CODE_PAGES).format(path=c.path, line=c.line))}">'
        f"{escape(c.path)}:{c.line}</a>"
        for c in citations[:MAX_SHOWN]
    ]
    more = f" and {len(citations) - MAX_SHOWN} more" if len(citations) > MAX_SHOWN else ""
    code = ", ".join(links) + more if links else "no citation in the code"
    return (
        f'<p class="vdc-trace">latest verdict: {shown} &middot; code: {code} '
        f'&middot; <a href="../generated/matrix.html#area-{rid.split("-")[1].lower()}">'
        "matrix</a></p>"
    )


def with_trace(
    text: str,
    verdicts: Mapping[str, str] | None,
    citations: Mapping[str, Sequence[Citation]],
    *,
    report: bool,
    source_url: str = "",
) -> str:
    """`text` (a chapter in MyST) with the trace line added to each top-level req block."""
    out: list[str] = []
    fence, rid = "", ""
    for line in text.split("\n"):
        opened = _FENCE.match(line)
        if not fence and opened:
            fence, rid = opened["fence"], ""
            is_req = opened["info"].strip().startswith("{req}")
            fence = fence if is_req else "-" + fence
        elif fence and line.strip() == fence.lstrip("-"):
            if rid and not fence.startswith("-"):
                verdict = None if verdicts is None else verdicts.get(rid, "not_tested")
                out += [
                    "",
                    trace_line(
                        rid, verdict, citations.get(rid, ()), report=report, source_url=source_url
                    ),
                    "",
                ]
            fence, rid = "", ""
        elif fence and not rid and (found := _ID.match(line)):
            rid = found["id"]
        out.append(line)
    return "\n".join(out)
