"""Running one test case against one implementation, turning whatever happens into a verdict.

Both the pytest plugin and the seeded-fault meta-test call `run_case`, so a verdict means
the same thing everywhere. Nothing the implementation does escapes as an exception: a
crash, a hang, garbage or an unexpected answer becomes a failure with its evidence.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from functools import cache
from typing import Any

from conformance.adapters import IutBase, OperationError
from conformance.catalogue import NO_PARAMETER, Parameter, TestCase
from conformance.exchange import decode_exchange
from conformance.outcomes import (
    CaseFailure,
    Evidence,
    IutFailure,
    NotApplicable,
    Outcome,
    RunInconclusive,
    Verdict,
    WireBreach,
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
    unsupported = ""
    stopped = ""
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
        unsupported = reason.unsupported
    except RunInconclusive as stop:
        verdict, message, stopped = Verdict.NOT_APPLICABLE, stop.reason, stop.reason
    except CaseFailure as failure:
        verdict, message = Verdict.FAIL, failure.message
        evidence = Evidence(expected=failure.expected, got=failure.got)
        requirements, message = _attributed(case, requirements, failure, message)
    except IutFailure as failure:
        verdict, message = Verdict.FAIL, failure.message
        evidence = Evidence(expected="an answer within the driver protocol", got=failure.message)
        evidence.trace = failure.evidence
        evidence.blocked = failure.message if failure.blocked else ""
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
    if verdict is Verdict.FAIL:
        evidence.exchange = decode_exchange(evidence.trace)
        evidence.vector = vector_of(parameter.value)
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
        unsupported=unsupported,
        stopped_run=stopped,
        operator_confirmed=iut.operator_confirmed,
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
    if strange and not isinstance(failure, WireBreach):
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


def vector_of(value: Any) -> dict[str, Any] | None:
    """What identifies a vector parameter: file, tcId, comment, flags, result, requirements."""
    from conformance.vectors import VectorCase, flag_requirements

    if not isinstance(value, VectorCase):
        return None
    notes = flag_requirements(value.file)
    named = [notes.get(flag, "") for flag in value.flags]
    named += [str(value.data.get(key, "")) for key in ("requirement", "refusedBy")]
    return {
        "file": f"vectors/{value.file}",
        "tcId": value.tc_id,
        "comment": value.comment,
        "flags": list(value.flags),
        "result": value.result,
        "requirements": sorted({r for r in named if r.startswith("VDC-")}),
    }


@cache
def statements() -> dict[str, str]:
    """Requirement id -> its statement, from the specification the suite ships."""
    from conformance.requirements import load_requirements

    return {requirement.id: requirement.text for requirement in load_requirements()}


def describe(outcome: Outcome, case: TestCase | None = None) -> str:
    """A failure or non-applicability as text for a terminal or a JUnit message: the case,
    the parameter or vector, the requirements it marks with their statements, expected
    and got, the decoded APDUs and the raw trace."""
    evidence = outcome.evidence
    lines = [outcome.message]
    if case is not None:
        lines.append(f"test case: {case.id} {case.title}")
    if evidence.vector:
        vector = evidence.vector
        flags = ", ".join(vector["flags"]) or "none"
        lines.append(
            f"vector:   {vector['file']} tcId {vector['tcId']} ({vector['result']}): "
            f"{vector['comment'] or 'no comment'}; flags {flags}"
        )
    elif outcome.param:
        lines.append(f"parameter: {outcome.param}")
    if outcome.verdict is Verdict.FAIL:
        for requirement in outcome.requirements:
            lines.append(f"requirement {requirement}: {statements().get(requirement, '?')}")
    if evidence.expected or evidence.got:
        lines.append(f"expected: {evidence.expected}")
        lines.append(f"got:      {evidence.got}")
    if evidence.exchange:
        lines.append("APDUs:")
        lines += [f"  {line}" for line in evidence.exchange[-20:]]
    if evidence.trace:
        lines.append("trace:")
        lines += [f"  {line}" for line in evidence.trace[-30:]]
    return "\n".join(lines)
