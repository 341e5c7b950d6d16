"""Meta-test: the suite fails every seeded fault on a case naming the broken requirement.

Each fault runs as an out-of-process implementation (`python -m conformance.driver
--fault NAME` over `stdio:`), and only the cases the fault's area concerns are run,
so the whole matrix stays fast. The reference itself passes every applicable case.
"""

from __future__ import annotations

import shlex
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from conformance.adapters import open_iut
from conformance.adapters.stdio import StdioIut
from conformance.catalogue import load_catalogue
from conformance.driver.faults import Fault, all_faults
from conformance.engine import run_cases
from conformance.outcomes import Outcome, Verdict

CASES = {case.id: case for case in load_catalogue()}
DRIVER = [sys.executable, "-m", "conformance.driver"]


def test_there_are_at_least_thirty_faults() -> None:
    faults = all_faults()
    assert len({f.name for f in faults}) == len(faults)
    assert len(faults) >= 30
    for fault in faults:
        assert set(fault.cases) <= set(CASES), fault.name
        assert any(fault.breaks in CASES[case].verifies for case in fault.cases), fault.name


def _run_fault(fault: Fault) -> list[Outcome]:
    iut = StdioIut(shlex.join([*DRIVER, "--fault", fault.name]), timeout=20)
    try:
        return run_cases([CASES[case] for case in fault.cases], iut)
    finally:
        iut.close()


@pytest.fixture(scope="module")
def fault_outcomes() -> dict[str, list[Outcome]]:
    """Every fault's relevant cases, four driver processes at a time."""
    faults = all_faults()
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip((f.name for f in faults), pool.map(_run_fault, faults), strict=True))


@pytest.mark.parametrize("fault", all_faults(), ids=lambda f: f.name)
def test_fault_is_caught_on_its_requirement(
    fault: Fault, fault_outcomes: dict[str, list[Outcome]]
) -> None:
    outcomes = fault_outcomes[fault.name]
    failed = [o for o in outcomes if o.verdict is Verdict.FAIL]
    assert failed, f"{fault.name} passed every case"
    naming = [o for o in failed if fault.breaks in CASES[o.case_id].verifies]
    assert naming, f"{fault.name}: no failing case names {fault.breaks}"


@pytest.mark.parametrize("designation", ["ref", "stdio:" + shlex.join(DRIVER)])
def test_reference_passes_every_applicable_case(designation: str) -> None:
    """In process: every case. Out of process: the cases the faults are run with."""
    cases = list(CASES.values())
    if designation != "ref":
        named = {case for fault in all_faults() for case in fault.cases}
        cases = [case for case in cases if case.id in named]
    iut = open_iut(designation)
    try:
        outcomes = run_cases(cases, iut)
    finally:
        iut.close()
    failures = [
        f"{o.case_id}[{o.param}]: {o.message}" for o in outcomes if o.verdict is Verdict.FAIL
    ]
    assert failures == []
    assert sum(o.verdict is Verdict.PASS for o in outcomes) > 0
