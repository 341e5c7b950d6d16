"""pytest plugin of the conformance suite (registered through the pytest11 entry point).

Options follow the usual precedence: command line, then environment, then ini file.
The plugin is loaded by every pytest run of the repository but stays inert unless
conformance test cases (functions declared with `conformance.catalogue.tc`) are
collected: only then does it open the implementation under test and write reports.
"""

from __future__ import annotations

import fnmatch
import json
import os
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

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
    card: str
    profiles: list[str]
    report: Path | None
    iut: IutBase | None = None
    declared: dict[str, Any] | None = None
    start_error: str = ""
    cases: list[str] = field(default_factory=list)
    """`--case` patterns (globs over TC IDs); empty selects every case."""
    selected: list[TestCase] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    results: dict[str, Any] | None = None
    """The results document, built once when the session finishes."""
    started: str = ""
    interrupted: str = ""
    journal: IO[str] | None = None
    """runs.jsonl in the report folder: one line per finished run, written as it ends."""

    def open(self) -> IutBase | None:
        if self.iut is None and not self.start_error:
            from conformance.adapters import AdapterError, open_iut
            from conformance.outcomes import IutFailure
            from conformance.preflight import preflight, with_evidence

            try:
                iut = open_iut(self.designation)
                if self.card:
                    from conformance.adapters._card_reader import with_card

                    iut = with_card(iut, self.card)
                self.iut = iut
                self.declared = iut.hello().as_dict()
                preflight(iut, self.designation)
            except (AdapterError, IutFailure, ValueError) as error:
                self.start_error = with_evidence(error)
                if self.iut is not None:
                    self.iut.close()
                    self.iut = None
        return self.iut

    def record(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        if self.journal is not None:
            from conformance.reports import run_entry

            line = {"testCase": outcome.case_id, **run_entry(outcome)}
            self.journal.write(json.dumps(line, ensure_ascii=False) + "\n")
            self.journal.flush()


_RUN = pytest.StashKey[_Run]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("vitale", "VDC conformance suite")
    group.addoption(
        "--iut",
        default=None,
        help="implementation under test: ref (default), stdio:COMMAND, pcsc:READER, nfc:PATH, "
        "attended:ROOT",
    )
    group.addoption(
        "--profile", default=None, help="holder, reader, verifier, enrolment, transport, all"
    )
    group.addoption("--report", default=None, help="folder for the JUnit, JSON and HTML reports")
    group.addoption(
        "--tc-verbose",
        action="store_true",
        default=False,
        help="one line per run: TC ID, parameter, verdict and time (instead of pytest's)",
    )
    group.addoption(
        "--case",
        action="append",
        default=[],
        metavar="TC",
        help="only this test case (TC-NIR-016; globbing TC-NIR-*; repeatable)",
    )
    group.addoption(
        "--card",
        default=None,
        help="put the suite's card for a reader under test in pcsc[:READER] or nfc:PATH",
    )
    parser.addini("vitale_card", "the suite's card when --card and $VDC_CARD are unset")
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


def in_ci() -> bool:
    """Whether this is a CI job (`CI` set and not false): there a missing component or a
    misdirected session is a failure, never a skip."""
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


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
    from conformance.reports import utc_stamp

    _INTERRUPTED.clear()
    report = setting(config, "report", "")
    run = _Run(
        designation=setting(config, "iut", "ref"),
        card=setting(config, "card", ""),
        profiles=parse_profiles(setting(config, "profile", "all")),
        report=Path(report) if report else None,
        cases=[pattern.upper() for pattern in config.getoption("case") or []],
        started=utc_stamp(),
    )
    config.stash[_RUN] = run
    if run.report is not None and not config.option.collectonly:
        _open_report(run, config)
    else:
        run.report = None
    # A run stopped by SIGTERM (a CI job cancelled) still writes its report: INTERRUPTED.
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")


def _open_report(run: _Run, config: pytest.Config) -> None:
    """Empty the report files of an earlier run, so that none can pass for this one."""
    assert run.report is not None
    run.report.mkdir(parents=True, exist_ok=True)
    for stale in ("junit.xml", "results.json", "report.html", "runs.jsonl"):
        (run.report / stale).unlink(missing_ok=True)
    if not config.option.xmlpath:
        config.option.xmlpath = str(run.report / "junit.xml")
    run.journal = (run.report / "runs.jsonl").open("w", encoding="utf-8")


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
        lines.append(f"  verdict: COULD NOT RUN (exit status {COULD_NOT_RUN_EXIT})")
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


def pytest_itemcollected(item: pytest.Item) -> None:
    """The TC ID is a keyword before -k deselects (`-k TC-NIR-016` selects that case)."""
    from conformance.catalogue import case_of

    case = case_of(getattr(item, "function", None))
    if case is not None:
        item.extra_keyword_matches.add(case.id)


def _wanted(run: _Run, case: TestCase) -> bool:
    return not run.cases or any(fnmatch.fnmatchcase(case.id, p) for p in run.cases)


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
        if case is None or not select([case], run.profiles) or not _wanted(run, case):
            dropped.append(item)
            continue
        item.add_marker(pytest.mark.tc(case.id, verifies=case.verifies, profile=case.profile))
        item.user_properties.append(("test_case", case.id))
        seen.setdefault(case.id, case)
        kept.append(item)
    run.selected = list(seen.values())
    if kept and run.open() is None:  # nothing can run: one verdict, not a failure per case
        dropped, kept = items[:], []
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def iut(request: pytest.FixtureRequest) -> Iterator[IutBase]:
    """The implementation under test, opened once per session."""
    run = request.config.stash.get(_RUN, None)
    if run is None:
        # Cases collected by a session that does not point at them have no IUT: in CI that
        # job would pass with every case skipped, so it fails instead.
        reason = "not a conformance session (run the cases under conformance/cases)"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
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
    run.record(outcome)
    pyfuncitem.stash[_OUTCOME] = outcome
    # JUnit names the requirements this run bears on, not every one its case lists.
    pyfuncitem.user_properties += [("requirement", r) for r in outcome.requirements]
    if outcome.operator_confirmed:
        pyfuncitem.user_properties.append(("operator_confirmed", "true"))
    if outcome.stopped_run:
        # Nothing more can be observed (spec/harness.md, Readers under test): stop here.
        pyfuncitem.session.shouldstop = f"inconclusive: {outcome.stopped_run}"
    if outcome.verdict is Verdict.FAIL:
        pytest.fail(f"{case.id}: {describe(outcome, case)}", pytrace=False)
    if outcome.verdict is Verdict.NOT_APPLICABLE:
        pytest.skip(f"not applicable: {outcome.message}")
    return True


_OUTCOME = pytest.StashKey["Outcome"]()


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> Any:
    """With --tc-verbose (and -v), each run's line ends with its TC ID and verdict."""
    run = config.stash.get(_RUN, None)
    if report.when != "call" or run is None or not config.getoption("tc_verbose", False):
        return None
    outcome = next((o for o in reversed(run.outcomes) if _same(o, report)), None)
    if outcome is None:
        return None
    letter = {"passed": ".", "failed": "F", "skipped": "s"}.get(report.outcome, "?")
    verdict = outcome.verdict.value.replace("_", " ").upper()
    colour = {"pass": "green", "fail": "red"}.get(outcome.verdict.value, "yellow")
    word = f"{outcome.case_id} {verdict} ({outcome.duration:.2f} s)"
    return report.outcome, letter, (word, {colour: True})


def _same(outcome: Outcome, report: pytest.TestReport) -> bool:
    name = report.nodeid.rsplit("::", 1)[-1]
    return name.endswith(f"[{outcome.param}]") if outcome.param else "[" not in name


def pytest_keyboard_interrupt(excinfo: pytest.ExceptionInfo[BaseException]) -> None:
    _INTERRUPTED.append(str(excinfo.value) or "Ctrl-C")


_INTERRUPTED: list[str] = []
"""Why the session was interrupted (the hook that learns it receives no config)."""


def _reporting(run: _Run | None) -> bool:
    """Whether the session ends with a verdict: it selected cases, or it has a report
    folder to fill (a selection that left nothing is reported inconclusive there)."""
    return run is not None and bool(run.selected or run.report)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    run = config.stash.get(_RUN, None)
    if run is None or not _reporting(run):
        return
    from conformance.reports import summary_table

    results = _results(run)
    terminalreporter.write_sep("=", "VDC conformance summary")
    for line in summary_table(results):
        terminalreporter.write_line(line)
    if run.report is not None:
        written = _write(run, results)
        terminalreporter.write_line(f"reports: {', '.join(str(p) for p in written)}")
        terminalreporter.write_line(f"results.json SHA-256: {_sha256(written[0])}")


def _write(run: _Run, results: dict[str, Any]) -> list[Path]:
    from conformance.reports import write_reports

    assert run.report is not None
    if run.journal is not None:
        run.journal.close()
        run.journal = None
    return write_reports(run.report, results)


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stopped(run: _Run) -> str:
    if run.start_error:
        return f"could_not_run: {run.start_error}"
    if _card_stop(run):  # our own stop, not an interruption: build_results judges it
        return ""
    if _INTERRUPTED:
        done = len(run.outcomes)
        return f"interrupted: {_INTERRUPTED[-1]} after {done} runs; the report shows those"
    if not run.selected:
        return "inconclusive: the selection left no test case to run"
    return ""


def _results(run: _Run) -> dict[str, Any]:
    if run.results is None:  # after the last case: the exit status and the summary share it
        from conformance.reports import build_results

        run.results = build_results(
            designation=run.designation,
            card=run.card or None,
            mode=str(getattr(run.iut, "mode", "automated")),
            hello=run.declared,
            profiles=run.profiles,
            outcomes=run.outcomes,
            stopped=_stopped(run),
            started=run.started,
            argv=[Path(sys.argv[0]).name, *sys.argv[1:]],
        )
    return run.results


INCONCLUSIVE_EXIT = 6
"""Exit status of a run that proved nothing about what was asked (spec/harness.md, Verdicts)."""
COULD_NOT_RUN_EXIT = 7
"""Exit status of a run whose IUT or transport failed to start or to answer the preflight."""
INTERRUPTED_EXIT = 130
"""Exit status of an interrupted run (Ctrl-C, SIGTERM): 128 + SIGINT, as a shell reports."""
_EXIT = {"inconclusive": INCONCLUSIVE_EXIT, "could_not_run": COULD_NOT_RUN_EXIT}
RUN_EXITS = (INCONCLUSIVE_EXIT, COULD_NOT_RUN_EXIT, INTERRUPTED_EXIT)
"""The exit statuses a run's verdict sets besides pytest's own 0 and 1."""


@pytest.hookimpl(tryfirst=True)  # before the JUnit file is written: it gets the properties
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    run = session.config.stash.get(_RUN, None)
    if run is None or not _reporting(run):
        return
    results = _results(run)
    _junit_properties(session.config, results)
    verdict = results["summary"]["verdict"]
    if verdict == "interrupted":
        session.exitstatus = INTERRUPTED_EXIT
    elif verdict in _EXIT and (
        exitstatus in (0, pytest.ExitCode.NO_TESTS_COLLECTED)
        # A run stopped because nothing more could be observed (a reader under test that
        # never reached the card) is interrupted for pytest, inconclusive for the suite.
        or (exitstatus == pytest.ExitCode.INTERRUPTED and _card_stop(run))
    ):
        session.exitstatus = _EXIT[verdict]
    elif verdict == "failed" and exitstatus == 0:  # no case failed, a claim did (VDC-HARN-020)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    if run.report is not None and not (run.report / "results.json").is_file():
        _write(run, _results(run))  # no terminal summary (-p no:terminal): still report


def _card_stop(run: _Run) -> str:
    """Why the run stopped early, when a case found nothing more could be observed."""
    return next((o.stopped_run for o in run.outcomes if o.stopped_run), "")


def _junit_properties(config: pytest.Config, results: dict[str, Any]) -> None:
    """The verdict and the reproducibility block as properties of the JUnit test suite."""
    from _pytest.junitxml import xml_key

    xml = config.stash.get(xml_key, None)
    if xml is None:
        return
    xml.add_global_property("verdict", results["summary"]["verdict"])
    for reason in results["summary"]["reasons"]:
        xml.add_global_property("reason", reason)
    for name, value in results["reproducibility"].items():
        text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
        xml.add_global_property(name, text)


def pytest_unconfigure(config: pytest.Config) -> None:
    run = config.stash.get(_RUN, None)
    if run is not None and run.iut is not None:
        run.iut.close()
        run.iut = None
