"""Helpers shared by the test folders.

A test that needs a real component (pcscd, vpcd, tshark, openssl, node, chromium) calls
`unavailable` when it is missing: outside CI the test is skipped with the reason, in CI
(CI=true) it fails, because a test that silently skips in CI does not exist.
"""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import pytest

from conformance.plugin import in_ci
from tools.pcsc import netns, service

ROOT = Path(__file__).resolve().parents[1]
JS_IUT = ROOT / "conformance" / "samples" / "iut-js"
"""The clean-room JavaScript implementation; `make setup` installs its npm packages."""


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


def require_js_iut() -> str:
    """The `node` that runs the JavaScript implementation, once its npm packages are
    installed (`npm ci`, run by `make setup`); reported through `unavailable` otherwise."""
    node = shutil.which("node")
    if node is None:
        unavailable("node is not installed (Debian package nodejs)")
    if not (JS_IUT / "node_modules" / ".package-lock.json").is_file():
        unavailable(f"the npm packages of {JS_IUT.name} are not installed (make setup runs npm ci)")
    return node
