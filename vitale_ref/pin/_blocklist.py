"""The shipped blocklist of common codes (VDC-PIN-007), read once from package data.

The list is data (`blocklist.txt`, one code a line, `#` comments); its construction
and provenance are in the specification chapter on the personal code.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def blocklist() -> frozenset[str]:
    """Every code of the shipped blocklist."""
    text = resources.files("vitale_ref.pin").joinpath("blocklist.txt").read_text("utf-8")
    entries = (line.strip() for line in text.splitlines())
    return frozenset(line for line in entries if line and not line.startswith("#"))
