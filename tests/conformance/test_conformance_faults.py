"""Meta-test: the suite fails every seeded fault on a case naming the broken requirement.

Each fault runs as an out-of-process implementation (`python -m conformance.driver
--fault NAME` over `stdio:`), and only the cases the fault's area concerns are run,
so the whole matrix stays fast. The reference itself passes every applicable case.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import types
from concurrent.futures import ThreadPoolExecutor

import pytest

from conformance.adapters import open_iut
from conformance.adapters.stdio import StdioIut
from conformance.catalogue import load_catalogue
from conformance.driver.__main__ import main as driver_main
from conformance.driver.faults import FAULTS, Fault, FaultNotApplicable, all_faults, patch
from conformance.engine import run_cases
from conformance.outcomes import IutFailure, Outcome, Verdict

CASES = {case.id: case for case in load_catalogue()}
DRIVER = [sys.executable, "-m", "conformance.driver"]


def test_there_are_at_least_thirty_faults() -> None:
    faults = all_faults()
    assert len({f.name for f in faults}) == len(faults)
    assert len(faults) >= 30
    for fault in faults:
        assert set(fault.cases) <= set(CASES), fault.name
        assert any(fault.breaks in CASES[case].verifies for case in fault.cases), fault.name


def _run_fault(fault: Fault) -> list[Outcome] | str:
    """The outcomes of the fault's cases, or why its driver did not start."""
    iut = StdioIut(shlex.join([*DRIVER, "--fault", fault.name]), timeout=20)
    try:
        iut.hello()  # a fault that cannot be installed stops its driver at once
        return run_cases([CASES[case] for case in fault.cases], iut)
    except IutFailure as failure:
        return f"the faulty driver did not start: {failure.message} {failure.evidence[-3:]}"
    finally:
        iut.close()


@pytest.fixture(scope="module")
def fault_outcomes() -> dict[str, list[Outcome] | str]:
    """Every fault's relevant cases, four driver processes at a time."""
    faults = all_faults()
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip((f.name for f in faults), pool.map(_run_fault, faults), strict=True))


@pytest.mark.parametrize("fault", all_faults(), ids=lambda f: f.name)
def test_fault_is_caught_on_its_requirement(
    fault: Fault, fault_outcomes: dict[str, list[Outcome] | str]
) -> None:
    outcomes = fault_outcomes[fault.name]
    assert not isinstance(outcomes, str), outcomes
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


_INSTALL_ALL = """
import json
from conformance.driver.faults import FaultNotApplicable, all_faults, install
stale = {}
for fault in all_faults():
    try:
        install(fault.name)
    except FaultNotApplicable as error:
        stale[fault.name] = str(error)
print(json.dumps(stale))
"""


def test_every_fault_still_applies_to_the_reference() -> None:
    """Each fault finds every private name it replaces (one process, faults in turn)."""
    done = subprocess.run(
        [sys.executable, "-c", _INSTALL_ALL],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout) == {}


def test_a_renamed_private_name_fails_loudly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fault whose target vanished stops the driver with exit 1 and names the target."""
    module = types.ModuleType("vitale_ref.synthetic_module")
    with pytest.raises(FaultNotApplicable) as raised:
        patch(module, "_renamed", lambda: None)
    assert str(raised.value) == (
        "vitale_ref.synthetic_module has no _renamed: the fault no longer applies"
    )

    def stale_install() -> None:
        real = module._gone
        patch(module, "_gone", real)

    all_faults()  # register the real faults first
    monkeypatch.setitem(
        FAULTS,
        "synthetic-stale",
        Fault(
            name="synthetic-stale",
            description="synthetic",
            breaks="VDC-NIR-001",
            cases=(),
            install=stale_install,
        ),
    )
    assert driver_main(["--fault", "synthetic-stale"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: fault synthetic-stale no longer applies: AttributeError(")
    assert "_gone" in error


def test_a_driver_whose_fault_is_stale_is_not_counted_as_caught() -> None:
    """The meta-test reports a driver that exits at start-up, never a pass of its fault."""
    fault = Fault(
        name="no-such-fault",
        description="synthetic",
        breaks="VDC-NIR-001",
        cases=("TC-NIR-001",),
        install=lambda: None,
    )
    outcome = _run_fault(fault)
    assert isinstance(outcome, str)
    assert outcome.startswith("the faulty driver did not start")
