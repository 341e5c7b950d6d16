"""pytest plugin of the conformance suite (registered through the pytest11 entry point).

Options follow the usual precedence: command line, then environment, then ini file.
"""

from __future__ import annotations

import os

import pytest

from vitale_ref import SPEC_VERSION, __version__


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("vitale", "VDC conformance suite")
    group.addoption(
        "--iut",
        default=None,
        help="implementation under test: ref (default), stdio:COMMAND, pcsc:READER, nfc:PATH",
    )
    group.addoption("--profile", default=None, help="holder, reader, verifier, enrolment, all")
    group.addoption("--report", default=None, help="folder for the JUnit, JSON and HTML reports")
    parser.addini("vitale_iut", "implementation under test when --iut and $VDC_IUT are unset")
    parser.addini("vitale_profile", "profile when --profile and $VDC_PROFILE are unset")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "tc(id, *, title, verifies, profile): a conformance test case and what it verifies",
    )


def setting(config: pytest.Config, name: str, default: str) -> str:
    """Command line beats environment beats ini file beats the default."""
    value = config.getoption(name)
    if value:
        return str(value)
    value = os.environ.get(f"VDC_{name.upper()}")
    if value:
        return value
    value = config.getini(f"vitale_{name}")
    return str(value) if value else default


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [
        f"vitale conformance: iut={setting(config, 'iut', 'ref')} "
        f"profile={setting(config, 'profile', 'all')} spec={SPEC_VERSION} suite={__version__}"
    ]
