"""`python tools/bench/run.py`: the same as `python -m tools.bench`, from a file path."""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tools.bench.__main__ import main

    raise SystemExit(main())
