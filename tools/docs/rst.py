"""Small reStructuredText writers; every generated page goes through them."""

from __future__ import annotations

import re
from collections.abc import Sequence

_SPECIAL = str.maketrans({c: "\\" + c for c in "\\*`_|[]<>"})


def text(value: str) -> str:
    """Plain text with every inline-markup character escaped."""
    return " ".join(value.split()).translate(_SPECIAL)


def plain(value: str) -> str:
    """One line of text for a place that shows it as is (a need's title): no escaping,
    which would show its backslashes."""
    return " ".join(value.split())


_CODE_SPAN = re.compile(r"`([^`]+)`")


def prose(value: str) -> str:
    """Text whose `code spans` (Markdown style) become literals; the rest is escaped."""
    parts = _CODE_SPAN.split(" ".join(value.split()))
    out = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            out.append(part.translate(_SPECIAL))
            continue
        # An escaped space joins a literal to a neighbouring word (docutils idiom).
        before = "\\ " if parts[index - 1][-1:].isalnum() else ""
        after = "\\ " if parts[index + 1][:1].isalnum() else ""
        out.append(before + literal(part) + after)
    return "".join(out)


def literal(value: str) -> str:
    return f"``{value}``" if value else ""


def need(identifier: str) -> str:
    return f":need:`{identifier}`"


def title(value: str, underline: str = "=") -> str:
    return f"{value}\n{underline * len(value)}\n"


def link(label: str, target: str) -> str:
    """An external or relative link that Sphinx does not check."""
    return f"`{text(label)} <{target}>`__"


def list_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, widths: Sequence[int] = ()
) -> str:
    """A list-table; cells may hold several lines (each line becomes a paragraph)."""
    lines = [".. list-table::", "   :header-rows: 1"]
    if widths:
        lines.append(f"   :widths: {' '.join(str(w) for w in widths)}")
    lines.append("   :class: vdc-table")
    lines.append("")
    for row in [list(header), *[list(r) for r in rows]]:
        for column, cell in enumerate(row):
            bullet = "   * - " if column == 0 else "     - "
            parts = [part for part in cell.split("\n") if part] or [""]
            lines.append(bullet + parts[0])
            for part in parts[1:]:
                lines += ["", f"       {part}"]
    return "\n".join(lines) + "\n"


def directive(name: str, argument: str, options: dict[str, str], body: str = "") -> str:
    """A directive block with its options (empty options are left out)."""
    lines = [f".. {name}:: {argument}".rstrip()]
    lines += [f"   :{key}: {value}" for key, value in options.items() if value]
    if body:
        lines.append("")
        lines += [f"   {line}" if line else "" for line in body.splitlines()]
    return "\n".join(lines) + "\n"
