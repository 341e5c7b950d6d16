"""Fuzz targets of VDC: every decoder either parses its input or raises its typed error.

`tools.fuzz.targets` holds one pure function per target (`apdu`, `der`, `sm`, `harn`),
used by the atheris harnesses (`python -m tools.fuzz NAME`) and by the bounded
hypothesis tests in tests/robustness. Any other exception escaping a target is a defect.
"""
