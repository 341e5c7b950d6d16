"""The run's verdict: failed, inconclusive or passed (spec/harness.md, Verdicts)."""

from __future__ import annotations

from conformance.reports._results import run_verdict

HELLO = {"name": "iut", "version": "1", "profiles": ["holder", "verifier"], "operations": []}


def _counts(passed: int, failed: int = 0, not_applicable: int = 0) -> dict[str, int]:
    return {"pass": passed, "fail": failed, "not_applicable": not_applicable, "not_tested": 0}


def test_a_failure_fails_the_run_and_no_hello_could_not_run() -> None:
    profiles = {"holder": _counts(3, 1)}
    assert run_verdict(HELLO, _counts(3, 1), profiles, ["holder"]) == ("failed", [])
    verdict, reasons = run_verdict(None, _counts(0), {}, ["holder"])
    assert (verdict, reasons) == ("could_not_run", ["the implementation never answered hello"])


def test_a_stopped_run_says_why_whatever_its_cases_showed() -> None:
    profiles = {"holder": _counts(3)}
    stopped = "interrupted: signal SIGTERM after 3 runs"
    assert run_verdict(HELLO, _counts(3), profiles, ["holder"], stopped=stopped) == (
        "interrupted",
        ["signal SIGTERM after 3 runs"],
    )


def test_nothing_applicable_is_inconclusive_even_through_all() -> None:
    profiles = {"holder": _counts(0, not_applicable=5), "transport": _counts(0, 0, 2)}
    assert run_verdict(HELLO, _counts(0, 0, 7), profiles, ["all"]) == (
        "inconclusive",
        ["no test case of the run was applicable"],
    )


def test_a_named_profile_without_applicable_case_is_inconclusive() -> None:
    profiles = {"holder": _counts(0, not_applicable=5), "verifier": _counts(4)}
    verdict, reasons = run_verdict(HELLO, _counts(4, 0, 5), profiles, ["holder", "verifier"])
    assert verdict == "inconclusive"
    assert reasons == ["no test case of the named profile holder was applicable"]


def test_all_passes_when_some_profile_applies() -> None:
    """`all` asks for whatever applies: transport cases never apply in process."""
    profiles = {"verifier": _counts(4), "transport": _counts(0, not_applicable=3)}
    assert run_verdict(HELLO, _counts(4, 0, 3), profiles, ["all"]) == ("passed", [])


def test_a_run_where_nothing_applied_gives_one_reason() -> None:
    profiles = {"transport": _counts(0, not_applicable=10)}
    assert run_verdict(HELLO, _counts(0, 0, 10), profiles, ["transport"]) == (
        "inconclusive",
        ["no test case of the run was applicable"],
    )
