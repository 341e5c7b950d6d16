"""Lifecycle of pcscd and the emulated holder for tests, benchmarks and CI."""
