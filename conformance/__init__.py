"""Conformance suite for the VDC specification: a pytest plugin and its tooling."""

from conformance.requirements import (
    Requirement,
    SpecIndexError,
    load_requirements,
    spec_dir,
)

__all__ = ["Requirement", "SpecIndexError", "load_requirements", "spec_dir"]
