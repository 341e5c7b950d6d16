"""Verdicts of a test case and the evidence that explains them (spec/harness.md, "Verdicts").

A case passes by returning, fails by raising `CaseFailure` (or any AssertionError), and is
not applicable when the implementation under test answers "unsupported". Failures carry
evidence an auditor can read: what was expected, what came back, and the exchange trace.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    """What a test case, then a requirement, ends with."""

    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"
    NOT_TESTED = "not_tested"


@dataclass(kw_only=True)
class Evidence:
    """What a failing (or any) case observed."""

    expected: str = ""
    got: str = ""
    trace: list[str] = field(default_factory=list)
    vector: dict[str, Any] | None = None
    """The vector the run tested: file, tcId, comment, flags, result and the requirements
    its flags name (None for a case that is not parametrised by a vector file)."""
    exchange: list[str] = field(default_factory=list)
    """The APDUs of the trace, decoded (conformance.exchange)."""
    blocked: str = ""
    """Why the run was not even tried (an operation the circuit breaker stopped)."""

    def as_dict(self) -> dict[str, object]:
        return {"expected": self.expected, "got": self.got, "trace": list(self.trace)}


class CaseFailure(AssertionError):  # noqa: N818 (a verdict signal)
    """The implementation under test broke the rule the case checks.

    `requirements`, when given, are the requirements this observation shows broken (some
    of those the case verifies); without them the failure marks every requirement the
    running parameter exercises.
    """

    def __init__(
        self, message: str, *, expected: str, got: str = "", requirements: Sequence[str] = ()
    ) -> None:
        # A failure teaches: it says what was expected (test_conformance_messages.py).
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.got = got
        self.requirements = tuple(requirements)


class WireBreach(CaseFailure):
    """A rule the suite checks as the card on every read of a reader under test, whatever
    case runs (spec/harness.md, "What the suite judges as the card"): it marks the
    requirements it names, even those its case does not verify."""


class NotApplicable(Exception):  # noqa: N818 (a verdict signal)
    """The implementation does not support an operation the case needs (never a pass).

    `unsupported` names the operation when the implementation itself answered
    `unsupported` to it (a claimed profile must not, VDC-HARN-020).
    """

    def __init__(self, reason: str, *, unsupported: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.unsupported = unsupported


class IutFailure(Exception):  # noqa: N818 (a verdict signal)
    """The implementation misbehaved at the protocol level: crash, hang, garbage, bad reply.

    This is a failure of the case that was running, with the evidence gathered.
    """

    def __init__(
        self, message: str, *, evidence: list[str] | None = None, blocked: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.evidence = list(evidence or [])
        self.blocked = blocked
        """True when the operation was not sent at all (the circuit breaker is open)."""


class RunInconclusive(Exception):  # noqa: N818 (a verdict signal)
    """Nothing more can be observed in this run: the run stops, and its verdict is
    inconclusive unless a case already failed (a reader under test that never reaches
    the suite's card, spec/harness.md "Readers under test")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(kw_only=True)
class Outcome:
    """The result of one run of one case (one parameter) against one implementation."""

    case_id: str
    param: str
    verdict: Verdict
    message: str = ""
    evidence: Evidence = field(default_factory=Evidence)
    duration: float = 0.0
    unsupported: str = ""
    """The operation the implementation answered `unsupported`, if that ended the run."""
    requirements: tuple[str, ...] = ()
    """The requirements this run bears on: those its parameter exercises, or, for a
    failure, those the failure names (spec/harness.md, Verdicts)."""
    stopped_run: str = ""
    """Why the run stopped at this case, when nothing more could be observed."""
    operator_confirmed: bool = False
    """The verdict rests on what an operator reported (attended mode)."""


def expect(
    condition: bool,
    message: str,
    *,
    expected: str,
    got: str = "",
    requirements: Sequence[str] = (),
) -> None:
    """Fail the running case with evidence unless `condition` holds; `message` names the
    field read and `expected` the value or form wanted (never empty).

    `requirements` narrows the failure to the requirements this check protects.
    """
    if not condition:
        raise CaseFailure(message, expected=expected, got=got, requirements=requirements)
