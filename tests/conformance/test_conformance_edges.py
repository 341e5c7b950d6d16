"""The suite's cases sit exactly on the edges the spec draws: one step past it fails.

Each test runs one conformance case against the in-process reference with one limit of
the reference moved to the spec's edge (passes) and one step beyond (fails), so a case
that is off by one in either direction is caught here.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conformance.adapters import IutBase, open_iut
from conformance.catalogue import load_catalogue
from conformance.engine import run_case
from conformance.outcomes import Verdict
from vitale_ref.reader import _session as reader_session

CASES = {case.id: case for case in load_catalogue()}


@pytest.fixture
def reference() -> Iterator[IutBase]:
    iut = open_iut("ref")
    try:
        iut.hello()
        yield iut
    finally:
        iut.close()


@pytest.mark.parametrize(("limit", "verdict"), [(200, Verdict.PASS), (201, Verdict.FAIL)])
def test_nfc_013_counts_get_response_commands_only(
    limit: int, verdict: Verdict, reference: IutBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """VDC-NFC-203: a reader may send 200 GET RESPONSE commands (plus its SELECT), not 201."""
    monkeypatch.setattr(reader_session, "MAX_GET_RESPONSE", limit)
    outcome = run_case(CASES["TC-NFC-013"], reference)
    assert outcome.verdict is verdict, outcome.message
    if verdict is Verdict.FAIL:
        assert outcome.evidence.got.startswith("201 GET RESPONSE commands")
