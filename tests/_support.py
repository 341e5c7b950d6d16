"""Helpers shared by the test folders.

A test that needs a real component (pcscd, vpcd, tshark, openssl, node, chromium) calls
`unavailable` when it is missing: outside CI the test is skipped with the reason, in CI
(CI=true) it fails, because a test that silently skips in CI does not exist.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import pytest

from tools.pcsc import netns, service


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


def unavailable(reason: str) -> NoReturn:
    if in_ci():
        pytest.fail(f"required component missing in CI: {reason}")
    pytest.skip(reason)


@contextmanager
def running_pcscd() -> Iterator[tuple[service.Layout, int]]:
    """pcscd with vpcd in its loopback-only namespace (VDC-TRN-008), stopped on exit."""
    missing = service.missing_components()
    if missing:
        unavailable(f"missing: {', '.join(missing)}")
    try:
        import smartcard  # noqa: F401
    except ImportError:
        unavailable("pyscard is not installed")
    layout = service.Layout.default()
    # start_pcscd takes the machine-wide lock (one pcscd per machine) until stop_all.
    try:
        pid = service.start_pcscd(layout)
    except (service.ServiceError, netns.NetnsError) as error:
        service.stop_all(layout)
        unavailable(str(error))
    try:
        yield layout, pid
    finally:
        service.stop_all(layout)
