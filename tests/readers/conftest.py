"""Fixtures of the reader tests: one pcscd with vpcd for the session, cards per test.

pcscd runs in the foreground with a private reader configuration, inside a network
namespace that only has loopback (VDC-TRN-008); it is stopped at the end of the session,
also when tests fail. A pcscd left behind by an earlier run is stopped first. Outside CI
a machine without pcscd, vpcd or root skips these tests; in CI (CI=true) it fails them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tools.pcsc import netns, service
from tools.pcsc.cards import EmulatedCard, Pcscd, start_card


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"PC/SC tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pcscd() -> Iterator[Pcscd]:
    missing = service.missing_components()
    if missing:
        _unavailable(f"missing: {', '.join(missing)}")
    try:
        import smartcard  # noqa: F401
    except ImportError:
        _unavailable("pyscard is not installed")
    layout = service.Layout.default()
    # start_pcscd takes the machine-wide lock (one pcscd per machine) until stop_all.
    try:
        pid = service.start_pcscd(layout)
    except (service.ServiceError, netns.NetnsError) as error:
        service.stop_all(layout)
        _unavailable(str(error))
    try:
        yield Pcscd(layout, pid)
    finally:
        service.stop_all(layout)


@pytest.fixture
def emulated_card(pcscd: Pcscd) -> Iterator[EmulatedCard]:
    emulated = start_card(pcscd.layout)
    try:
        yield emulated
    finally:
        emulated.stop()
