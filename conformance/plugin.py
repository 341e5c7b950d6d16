"""pytest plugin of the conformance suite (registered through the pytest11 entry point).

Options follow the usual precedence: command line, then environment, then ini file.
The plugin is loaded by every pytest run of the repository but stays inert unless
conformance test cases (functions declared with `conformance.catalogue.tc`) are
collected: only then does it open the implementation under test and write reports.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from vitale_ref import SPEC_VERSION, __version__

if TYPE_CHECKING:
    from conformance.adapters import IutBase
    from conformance.catalogue import TestCase
    from conformance.outcomes import Outcome

CASES_DIR = Path(__file__).resolve().parent / "cases"


@dataclass
class _Run:
    """What the plugin keeps for one session with conformance cases."""

    designation: str
    profiles: list[str]
    report: Path | None
    iut: IutBase | None = None
    declared: dict[str, Any] | None = None
    start_error: str = ""
    selected: list[TestCase] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    results: dict[str, Any] | None = None
    """The results document, built once when the session finishes."""

    def open(self) -> IutBase | None:
        if self.iut is None and not self.start_error:
            from conformance.adapters import AdapterError, open_iut
            from conformance.outcomes import IutFailure

            try:
                self.iut = open_iut(self.designation)
                self.declared = self.iut.hello().as_dict()
            except (AdapterError, IutFailure) as error:
                self.start_error = str(error)
        return self.iut


_RUN = pytest.StashKey[_Run]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("vitale", "VDC conformance suite")
    group.addoption(
        "--iut",
        default=None,
        help="implementation under test: ref (default), stdio:COMMAND, pcsc:READER, nfc:PATH",
    )
    group.addoption(
        "--profile", default=None, help="holder, reader, verifier, enrolment, transport, all"
    )
    group.addoption("--report", default=None, help="folder for the JUnit, JSON and HTML reports")
    parser.addini("vitale_iut", "implementation under test when --iut and $VDC_IUT are unset")
    parser.addini("vitale_profile", "profile when --profile and $VDC_PROFILE are unset")
    parser.addini("vitale_report", "report folder when --report and $VDC_REPORT are unset")


def setting(config: pytest.Config, name: str, default: str) -> str:
    """Command line beats environment beats ini file beats the default."""
    value = config.getoption(name)
    if value:
        return str(value)
    value = os.environ.get(f"VDC_{name.upper()}")
    if value:
        return value
    value = config.getini(f"vitale_{name}")
    return str(value) if value else default


def _targets_cases(config: pytest.Config) -> bool:
    """Whether this session points at the packaged conformance cases."""
    for argument in config.args:
        path = Path(argument.split("::")[0]).resolve()
        # The cases' folder, a file or node below it, or the suite's folder that holds it.
        if path in (CASES_DIR, CASES_DIR.parent) or CASES_DIR in path.parents:
            return True
    return False


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "tc(id, verifies, profile): a conformance test case and the requirements it verifies",
    )
    if not _targets_cases(config):
        return
    from conformance.catalogue import parse_profiles

    report = setting(config, "report", "")
    run = _Run(
        designation=setting(config, "iut", "ref"),
        profiles=parse_profiles(setting(config, "profile", "all")),
        report=Path(report) if report else None,
    )
    config.stash[_RUN] = run
    if run.report is not None and not config.option.xmlpath:
        config.option.xmlpath = str(run.report / "junit.xml")


def pytest_report_header(config: pytest.Config) -> list[str]:
    run = config.stash.get(_RUN, None)
    if run is None:
        return []
    lines = [
        f"vitale conformance: spec {SPEC_VERSION}, suite {__version__}, "
        f"profile {','.join(run.profiles)}",
        f"implementation under test: {run.designation}",
    ]
    iut = run.open()
    if iut is None:
        lines.append(f"  cannot start it: {run.start_error}")
    elif run.declared is not None:
        declared = run.declared
        lines.append(
            f"  declares: {declared['name']} {declared['version']}, "
            f"profiles {', '.join(declared['profiles'])}"
        )
        lines.append(f"  operations: {', '.join(declared['operations'])}")
    return lines


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    from conformance.catalogue import case_of

    case = case_of(metafunc.function)
    if case is not None and case.params is not None:
        run = metafunc.config.stash.get(_RUN, None)
        from conformance.catalogue import select

        if run is not None and not select([case], run.profiles):
            # Deselected later; do not load its parameters (vector files) for nothing.
            metafunc.parametrize("param", [None], ids=["deselected"])
            return
        runs = case.parameters()
        # The value is the whole Parameter: the run needs the requirements it exercises.
        metafunc.parametrize("param", runs, ids=[run.name for run in runs])


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected: `selected` is what runs
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    run = config.stash.get(_RUN, None)
    if run is None:
        return
    from conformance.catalogue import case_of, select

    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    seen: dict[str, TestCase] = {}
    for item in items:
        case = case_of(getattr(item, "function", None))
        if case is None or not select([case], run.profiles):
            dropped.append(item)
            continue
        item.add_marker(pytest.mark.tc(case.id, verifies=case.verifies, profile=case.profile))
        item.extra_keyword_matches.add(case.id)
        item.user_properties.append(("test_case", case.id))
        seen.setdefault(case.id, case)
        kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
    run.selected = list(seen.values())


@pytest.fixture(scope="session")
def iut(request: pytest.FixtureRequest) -> Iterator[IutBase]:
    """The implementation under test, opened once per session."""
    run = request.config.stash.get(_RUN, None)
    if run is None:
        pytest.skip("not a conformance session (run the cases under conformance/cases)")
    opened = run.open()
    if opened is None:
        pytest.fail(f"cannot start the implementation under test: {run.start_error}")
    yield opened


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    from conformance.catalogue import case_of

    case = case_of(pyfuncitem.function)
    run = pyfuncitem.config.stash.get(_RUN, None)
    if case is None or run is None:
        return None
    from conformance.catalogue import NO_PARAMETER, Parameter
    from conformance.engine import describe, run_case
    from conformance.outcomes import Verdict

    parameter = pyfuncitem.funcargs.get("param")
    if not isinstance(parameter, Parameter):
        parameter = NO_PARAMETER
    iut: IutBase = pyfuncitem.funcargs["iut"]  # type: ignore[assignment]
    outcome = run_case(case, iut, parameter)
    run.outcomes.append(outcome)
    # JUnit names the requirements this run bears on, not every one its case lists.
    pyfuncitem.user_properties += [("requirement", r) for r in outcome.requirements]
    if outcome.verdict is Verdict.FAIL:
        pytest.fail(f"{case.id}: {describe(outcome)}", pytrace=False)
    if outcome.verdict is Verdict.NOT_APPLICABLE:
        pytest.skip(f"not applicable: {outcome.message}")
    return True


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    run = config.stash.get(_RUN, None)
    if run is None or not run.selected:
        return
    from conformance.reports import summary_table

    results = _results(run)
    terminalreporter.write_sep("=", "VDC conformance summary")
    for line in summary_table(results):
        terminalreporter.write_line(line)
    if run.report is not None:
        from conformance.reports import write_reports

        written = write_reports(run.report, results)
        terminalreporter.write_line(f"reports: {', '.join(str(p) for p in written)}")


def _results(run: _Run) -> dict[str, Any]:
    if run.results is None:  # after the last case: the exit status and the summary share it
        from conformance.reports import build_results

        run.results = build_results(
            designation=run.designation,
            hello=run.declared,
            profiles=run.profiles,
            outcomes=run.outcomes,
        )
    return run.results


INCONCLUSIVE_EXIT = 6
"""Exit status of a run that proved nothing about what was asked (spec/harness.md, Verdicts)."""


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    run = session.config.stash.get(_RUN, None)
    if run is None or exitstatus != 0 or not run.selected:
        return
    if _results(run)["summary"]["verdict"] == "inconclusive":
        session.exitstatus = INCONCLUSIVE_EXIT


def pytest_unconfigure(config: pytest.Config) -> None:
    run = config.stash.get(_RUN, None)
    if run is not None and run.iut is not None:
        run.iut.close()
        run.iut = None
