"""Fixtures of the robustness tests: pcscd with vpcd for the fault-injection module.

pcscd is started through the real-readers tooling (tools/pcsc/service.py): foreground,
private reader configuration, inside a network namespace that only has loopback
(VDC-TRN-008). Outside CI a machine without pcscd, vpcd or root skips the fault tests;
in CI (CI=true) a missing component fails them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests._support import running_pcscd
from tools.pcsc import service


@pytest.fixture(scope="module")
def pcsc_layout() -> Iterator[service.Layout]:
    """A running pcscd (its PID in the layout's pcscd.pid); stopped after the module."""
    with running_pcscd() as (layout, _pid):
        yield layout
