"""Shared test configuration: hypothesis profiles (default, ci derandomised, deep)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

from conformance.plugin import in_ci

settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("deep", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if in_ci() else "default"))
