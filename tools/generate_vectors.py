"""Regenerate every file under vectors/ from fixed seeds, or check that they are current.

Usage: python tools/generate_vectors.py [--check] [--only PREFIX]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.vectorgen import all_generators, render

VECTORS = Path(__file__).resolve().parent.parent / "vectors"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if any file differs")
    parser.add_argument("--only", default="", help="only files whose path starts with this")
    args = parser.parse_args(argv)
    stale = []
    for relative, generate in all_generators().items():
        if not relative.startswith(args.only):
            continue
        path = VECTORS / relative
        text = render(generate())
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(relative)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote vectors/{relative}")
    for relative in stale:
        print(f"stale: vectors/{relative} differs from its generator", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
