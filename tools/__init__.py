"""Generators, benchmarks and helper scripts of the project (not shipped in the wheel)."""
