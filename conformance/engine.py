"""Running one test case against one implementation, turning whatever happens into a verdict.

Both the pytest plugin and the seeded-fault meta-test call `run_case`, so a verdict means
the same thing everywhere. Nothing the implementation does escapes as an exception: a
crash, a hang, garbage or an unexpected answer becomes a failure with its evidence.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from conformance.adapters import IutBase, OperationError
from conformance.catalogue import NO_PARAMETER, Parameter, TestCase
from conformance.outcomes import (
    CaseFailure,
    Evidence,
    IutFailure,
    NotApplicable,
    Outcome,
    Verdict,
)


def run_case(case: TestCase, iut: IutBase, parameter: Parameter = NO_PARAMETER) -> Outcome:
    """Run `case` (with one parameter when it is parametrised) and return its outcome.

    The outcome bears on the requirements the parameter exercises; a failure that names
    the requirements it shows broken bears on those alone (spec/harness.md, Verdicts).
    """
    started = time.monotonic()
    verdict = Verdict.PASS
    message = ""
    evidence = Evidence()
    requirements = case.exercised(parameter)
    try:
        iut.begin_case()
        if case.operations:
            iut.require(*case.operations)
        assert case.run is not None
        if case.params is None:
            case.run(iut)
        else:
            case.run(iut, parameter.value)
    except NotApplicable as reason:
        verdict, message = Verdict.NOT_APPLICABLE, reason.reason
    except CaseFailure as failure:
        verdict, message = Verdict.FAIL, failure.message
        evidence = Evidence(expected=failure.expected, got=failure.got)
        requirements, message = _attributed(case, requirements, failure, message)
    except IutFailure as failure:
        verdict, message = Verdict.FAIL, failure.message
        evidence = Evidence(expected="an answer within the driver protocol", got=failure.message)
        evidence.trace = failure.evidence
    except OperationError as error:
        verdict, message = Verdict.FAIL, f"unexpected error answer {error.kind!r}"
        evidence = Evidence(expected="a result", got=f"error {error.kind}: {error.message}")
    except AssertionError as failure:
        verdict, message = Verdict.FAIL, str(failure) or "assertion failed"
    except Exception as error:  # an answer the case could not even interpret
        verdict = Verdict.FAIL
        message = f"the answer could not be checked: {type(error).__name__}: {error}"
    if verdict is not Verdict.PASS and not evidence.trace:
        evidence.trace = list(iut.trace)
    evidence.expected = _bounded(evidence.expected)
    evidence.got = _bounded(evidence.got)
    return Outcome(
        case_id=case.id,
        param=parameter.name,
        verdict=verdict,
        message=message,
        evidence=evidence,
        duration=time.monotonic() - started,
        requirements=requirements,
    )


def _attributed(
    case: TestCase, exercised: tuple[str, ...], failure: CaseFailure, message: str
) -> tuple[tuple[str, ...], str]:
    """The requirements a failure marks, and its message.

    A failure naming a requirement its case does not verify is a defect of the suite:
    it marks what the parameter exercises, and the message says so.
    """
    if not failure.requirements:
        return exercised, message
    strange = sorted(set(failure.requirements) - set(case.verifies))
    if strange:
        return exercised, f"{message} (suite defect: {', '.join(strange)} is not verified here)"
    return failure.requirements, message


def _bounded(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def run_cases(cases: Iterable[TestCase], iut: IutBase) -> list[Outcome]:
    """Every parameter of every case, in order (no pytest involved)."""
    outcomes = []
    for case in cases:
        for parameter in case.parameters():
            outcomes.append(run_case(case, iut, parameter))
    return outcomes


def describe(outcome: Outcome) -> str:
    """A failure or non-applicability as text for a terminal or a JUnit message."""
    lines = [outcome.message]
    if outcome.evidence.expected or outcome.evidence.got:
        lines.append(f"expected: {outcome.evidence.expected}")
        lines.append(f"got:      {outcome.evidence.got}")
    if outcome.evidence.trace:
        lines.append("trace:")
        lines += [f"  {line}" for line in outcome.evidence.trace[-30:]]
    return "\n".join(lines)
