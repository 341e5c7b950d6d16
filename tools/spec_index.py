"""Write the requirement index of spec/ as JSON, or fail naming each malformed or duplicate ID.

Usage: python tools/spec_index.py [--spec DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from conformance.requirements import SpecIndexError, index_as_json, load_requirements


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--spec", type=Path, default=None, help="specification folder")
    parser.add_argument("--out", type=Path, default=None, help="output file (default: stdout)")
    args = parser.parse_args(argv)
    try:
        requirements = load_requirements(args.spec)
    except SpecIndexError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    text = index_as_json(requirements)
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"{len(requirements)} requirements written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
