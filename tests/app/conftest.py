"""Fixtures of the holder app tests (helpers are in app_support.py)."""

from __future__ import annotations

import pytest

from vitale_ref.app import enrolment_pki
from vitale_ref.pki import TestPKI


@pytest.fixture(scope="session")
def pki() -> TestPKI:
    """The test PKI of the enrolment issuer (synthetic)."""
    return enrolment_pki()
