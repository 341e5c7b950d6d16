"""Mutation testing of the reference's protocol code, killed by the conformance suite alone.

`python -m tools.mutation` (`make mutation`) runs or resumes a campaign with mutmut 3:
every mutant of the modules in `MODULES` is run against the conformance cases, with the
reference in process as the implementation under test (`--iut ref`); the repository's
own tests play no part, since the question is the power of the suite. Scores per module
and the surviving mutants go to build/mutation/. Mutants that no test can tell from the
reference are listed, each with a one-line reason, in tools/mutation/equivalent.toml.
"""

from __future__ import annotations

MODULES: dict[str, tuple[str, ...]] = {
    "holder": ("vitale_ref/holder/_*.py", "vitale_ref/holder/adapters.py"),
    "sm": ("vitale_ref/sm/*.py",),
    "reader": ("vitale_ref/reader/*.py",),
    "apdu": ("vitale_ref/apdu/*.py",),
    "pin": ("vitale_ref/pin/*.py",),
    "otp": ("vitale_ref/otp/*.py",),
    "history": ("vitale_ref/history/*.py",),
    "credential verification": (
        "vitale_ref/credential/_verify.py",
        "vitale_ref/credential/_status.py",
        "vitale_ref/credential/_elements.py",
        "vitale_ref/credential/_structure.py",
    ),
    "pki path validation": (
        "vitale_ref/pki/_chain.py",
        "vitale_ref/pki/_authorisation.py",
        "vitale_ref/pki/_profile.py",
    ),
    "nir": ("vitale_ref/nir.py",),
    "enrolment rules and policy": (
        "vitale_ref/enrolment/_rules.py",
        "vitale_ref/enrolment/_policy.py",
        "vitale_ref/enrolment/_table.py",
        "vitale_ref/enrolment/_machine.py",
    ),
}
"""Module group (as the README reports it) -> the files mutated for it."""

TARGETS = {"holder": 95.0, "sm": 95.0, "reader": 95.0, "pin": 95.0}
TARGETS["credential verification"] = 95.0
OVERALL_TARGET = 90.0
"""Scores the campaign must reach: killed / (generated - listed equivalent), in percent."""
