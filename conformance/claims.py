"""Profiles are claimed whole (spec/harness.md, "Profiles and their mandatory operations").

An implementation that claims a profile in `hello` must list, and implement, every
mandatory operation of that profile (VDC-HARN-020): otherwise the cases that need the
missing operations would be "not applicable" and a hollow implementation could pass.
A run checks the claims of the hello answer and the operations answered `unsupported`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

MANDATORY_OPERATIONS: dict[str, tuple[str, ...]] = {
    "verifier": (
        "nir.validate",
        "credential.verify",
        "credential.status_list",
        "pki.validate",
        "pki.reader_authorisation",
    ),
    "holder": (
        "holder.setup",
        "holder.arm",
        "holder.transmit",
        "holder.events",
        "holder.field_off",
        "pin.check",
        "pin.provision",
        "pin.unlock",
        "pin.armed",
        "pin.verifier",
        "history.record_presentation",
        "history.record_receipt",
        "history.list",
    ),
    "reader": ("reader.setup", "reader.read"),
    "enrolment": (
        "enrolment.setup",
        "enrolment.start",
        "enrolment.handle",
        "enrolment.observe",
        "enrolment.mailbox",
    ),
    "transport": ("holder.transmit",),
}
"""Profile -> the operations an implementation claiming it must implement."""

OPTIONAL_OPERATIONS = ("reset", "holder.restart", "enrolment.restart")
"""Operations no profile makes mandatory (VDC-HARN-006, VDC-HARN-007 say what they do)."""


def claim_failures(
    declared: Mapping[str, Any] | None, unsupported: Collection[str] = ()
) -> list[str]:
    """Why the claims of a hello answer break VDC-HARN-020: one line per claimed profile.

    `unsupported` holds the operations the implementation answered `unsupported` during
    the run.

    >>> hello = {"profiles": ["verifier"], "operations": ["hello", "nir.validate"]}
    >>> claim_failures(hello)[0][:74]
    'profile verifier is claimed but credential.verify, credential.status_list,'
    """
    if declared is None:
        return []
    listed = set(declared.get("operations", ()))
    failures = []
    for profile in declared.get("profiles", ()):
        needed = MANDATORY_OPERATIONS.get(profile, ())
        missing = [operation for operation in needed if operation not in listed]
        refused = [
            operation for operation in needed if operation in listed and operation in unsupported
        ]
        if missing:
            failures.append(
                f"profile {profile} is claimed but {', '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} not implemented (VDC-HARN-020)"
            )
        if refused:
            failures.append(
                f"profile {profile} is claimed but {', '.join(refused)} answered "
                "unsupported (VDC-HARN-020)"
            )
    return failures


def unclaimed(declared: Mapping[str, Any] | None, named: Sequence[str]) -> list[str]:
    """The profiles named for the run (not through `all`) that the implementation does not
    claim: their cases run, but show nothing about the profile as a whole."""
    if declared is None or "all" in named:
        return []
    claimed = set(declared.get("profiles", ()))
    return [profile for profile in named if profile not in claimed]
