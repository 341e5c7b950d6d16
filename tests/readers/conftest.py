"""Fixtures of the reader tests: one pcscd with vpcd for the session, cards per test.

pcscd runs in the foreground with a private reader configuration, inside a network
namespace that only has loopback (VDC-TRN-008); it is stopped at the end of the session,
also when tests fail. A pcscd left behind by an earlier run is stopped first. Outside CI
a machine without pcscd, vpcd or root skips these tests; in CI (CI=true) it fails them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests._support import running_pcscd
from tools.pcsc.cards import EmulatedCard, Pcscd, start_card


@pytest.fixture(scope="session")
def pcscd() -> Iterator[Pcscd]:
    with running_pcscd() as (layout, pid):
        yield Pcscd(layout, pid)


@pytest.fixture
def emulated_card(pcscd: Pcscd) -> Iterator[EmulatedCard]:
    emulated = start_card(pcscd.layout)
    try:
        yield emulated
    finally:
        emulated.stop()
