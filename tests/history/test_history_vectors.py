"""The holder device store against vectors/history/history_retention.json.

Verifies VDC-HIST-003, VDC-HIST-004.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from conformance.vectors import VectorCase, iter_cases
from vitale_ref.device import HolderDevice

CASES = list(iter_cases("history/history_retention.json"))


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_history_retention_vector(case: VectorCase, tmp_path: Path) -> None:
    """VDC-HIST-003, VDC-HIST-004: shown at `now`, or purged."""
    at, now = _instant(case.data["at"]), _instant(case.group["now"])
    with HolderDevice.open(tmp_path / "h.sqlite") as device:
        device.record_presentation(reader_rpps="10000000001", elements=(2,), at=at, now=at)
        shown = device.history(now)
    assert [entry.at for entry in shown] == ([at] if case.result == "valid" else [])
