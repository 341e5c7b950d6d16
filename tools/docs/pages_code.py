"""The site's own copy of every source file a requirement cites, line by line.

A requirement box and the matrix link a citation to `_code/<path>.html#L<line>`, so an
auditor reads the code in the site itself, at the cited line, without a repository host
(`VDC_SOURCE_URL` may still point them at one instead).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

STYLE = (
    "body{margin:0;font-family:system-ui,sans-serif;color:#1f2328}"
    "header{padding:.6em 1em;background:#f3f3f3;border-bottom:1px solid #ccc}"
    "pre{margin:0;font-size:13px;line-height:1.45;white-space:pre-wrap;overflow-wrap:anywhere}"
    "a.n{display:inline-block;width:4em;color:#888;text-align:right;margin-right:1em;"
    "text-decoration:none;user-select:none}"
    "span.l:target{background:#fff3b0}"
)


def code_page(path: str, text: str, *, home: str) -> str:
    """One source file as HTML, each line with the anchor `L<number>`."""
    lines = "".join(
        f'<span class="l" id="L{number}"><a class="n" href="#L{number}">{number}</a>'
        f"{escape(line)}\n</span>"
        for number, line in enumerate(text.splitlines(), start=1)
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(path)}</title><style>{STYLE}</style></head><body>"
        f'<header><a href="{home}">VDC documentation</a> / <code>{escape(path)}</code>'
        f"</header><pre>{lines}</pre></body></html>\n"
    )


def write_code_pages(root: Path, paths: set[str], out: Path) -> list[Path]:
    """A page under `out` for each repository-relative path; returns what was written."""
    written = []
    for path in sorted(paths):
        source = root / path
        if not source.is_file():
            continue
        target = out / f"{path}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        depth = "../" * (path.count("/") + 1)
        text = source.read_text(encoding="utf-8", errors="replace")
        target.write_text(code_page(path, text, home=f"{depth}index.html"), encoding="utf-8")
        written.append(target)
    return written
