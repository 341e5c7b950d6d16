"""Helpers shared by the test folders.

A test that needs a real component (pcscd, vpcd, tshark, openssl, node, chromium) calls
`unavailable` when it is missing: outside CI the test is skipped with the reason, in CI
(CI=true) it fails, because a test that silently skips in CI does not exist.
"""

from __future__ import annotations

import importlib
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


def require_module(name: str, package: str) -> None:
    """Import `name` or report it missing through `unavailable` (a failure in CI)."""
    try:
        importlib.import_module(name)
    except ImportError:
        unavailable(f"the Python module {name} is not installed (package {package})")


@contextmanager
def running_pcscd() -> Iterator[tuple[service.Layout, int]]:
    """pcscd with vpcd in its loopback-only namespace (VDC-TRN-008), stopped on exit."""
    missing = service.missing_components()
    if missing:
        unavailable(f"missing: {', '.join(missing)}")
    require_module("smartcard", "pyscard")
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
