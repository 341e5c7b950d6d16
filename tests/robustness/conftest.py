"""Fixtures of the robustness tests: pcscd with vpcd for the fault-injection module.

pcscd is started through the real-readers tooling (tools/pcsc/service.py): foreground,
private reader configuration, inside a network namespace that only has loopback
(VDC-TRN-008). Outside CI a machine without pcscd, vpcd or root skips the fault tests;
in CI (CI=true) a missing component fails them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tools.pcsc import netns, service


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"fault-injection tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def pcsc_layout() -> Iterator[service.Layout]:
    """A running pcscd (its PID in the layout's pcscd.pid); stopped after the module."""
    missing = service.missing_components()
    if missing:
        _unavailable(f"missing: {', '.join(missing)}")
    try:
        import smartcard  # noqa: F401
    except ImportError:
        _unavailable("pyscard is not installed")
    layout = service.Layout.default()
    try:
        service.start_pcscd(layout)
    except (service.ServiceError, netns.NetnsError) as error:
        service.stop_all(layout)
        _unavailable(str(error))
    try:
        yield layout
    finally:
        service.stop_all(layout)
