"""Where the time of a full read goes: cProfile self time grouped by code area.

The shares are of the profiled run (the profiler slows Python code more than the C
primitives, so the pure-Python shares are upper bounds); the top functions name what
an owner would change first.
"""

from __future__ import annotations

import cProfile
import pstats
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

_REPOSITORY = f"{Path(__file__).resolve().parents[2]}/"

# First matching needle in the file path or function name decides the area.
AREAS = (
    ("crypto primitives", ("openssl", "_hashlib", "hkdf.py", "aead")),
    ("x509 objects (cryptography)", ("cryptography/x509", "_rust.x509")),
    ("PKI path validation", ("vitale_ref/pki/_chain", "vitale_ref/pki/_authorisation")),
    ("DER decoder", ("vitale_ref/pki/der",)),
    ("credential decode/verify", ("vitale_ref/credential/",)),
    ("APDU codec and TLV", ("vitale_ref/apdu/",)),
    ("secure messaging", ("vitale_ref/sm/",)),
    ("holder core", ("vitale_ref/holder/",)),
    ("reader core", ("vitale_ref/reader/",)),
    ("dataclass __init__", ("<string>",)),
)


def _short_path(path: str) -> str:
    """A profile entry's file relative to the repository or to site-packages."""
    if path.startswith(_REPOSITORY):
        return path[len(_REPOSITORY) :]
    return path.rsplit("site-packages/", maxsplit=1)[-1]


def _area(path: str, name: str) -> str:
    where = f"{path} {name}"
    for area, needles in AREAS:
        if any(needle in where for needle in needles):
            return area
    return "other"


def breakdown(read: Callable[[], object], runs: int = 30) -> dict[str, Any]:
    """Self time per area (share of the profiled total) and the ten costliest functions."""
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(runs):
        read()
    profile.disable()
    stats: dict[Any, Any] = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    areas: Counter[str] = Counter()
    functions: Counter[str] = Counter()
    for (path, line, name), (_cc, _calls, self_time, *_rest) in stats.items():
        areas[_area(path, name)] += self_time
        label = f"{_short_path(path)}:{line}({name})"
        functions[label] += self_time
    total = sum(areas.values())
    return {
        "areas_percent": {k: round(100 * v / total, 1) for k, v in areas.most_common()},
        "top_functions_percent": {
            k: round(100 * v / total, 1) for k, v in functions.most_common(12)
        },
    }
