"""Benchmarks of VDC, each reported as a ratio to a baseline timed in the same run.

`python -m tools.bench` (or `python tools/bench/run.py`) prints every ratio and writes
build/bench/results.json. Ratios, not absolute times, are the figures: both sides of a
ratio run on the same machine, in the same process, a few milliseconds apart.
"""
