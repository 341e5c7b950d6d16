"""The results document: one data structure behind the JSON file and the HTML report.

Format `vdc-conformance-results/1` (documented in spec/harness.md, schema
conformance/schemas/results.schema.json). A test case's verdict aggregates its runs
(any failure fails it; else any pass passes it; else it is not applicable); a
requirement's verdict aggregates the runs that bear on it (each run names the
requirements its parameter exercises, or those its failure shows broken), and a
requirement no run of the run bears on is "not tested".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from conformance.catalogue import PROFILES, TestCase, load_catalogue, select
from conformance.claims import claim_failures, unclaimed
from conformance.coverage import check_coverage, in_scope
from conformance.outcomes import Outcome, Verdict
from conformance.reports._provenance import provenance
from conformance.requirements import Requirement, load_requirements
from vitale_ref import SPEC_VERSION, __version__

RESULTS_FORMAT = "vdc-conformance-results/1"
VERDICTS = tuple(verdict.value for verdict in Verdict)
RUN_VERDICTS = ("passed", "failed", "inconclusive", "could_not_run", "interrupted")


def aggregate(verdicts: Iterable[Verdict]) -> Verdict:
    """Fail beats pass beats not applicable; nothing at all is not tested."""
    seen = set(verdicts)
    for verdict in (Verdict.FAIL, Verdict.PASS, Verdict.NOT_APPLICABLE):
        if verdict in seen:
            return verdict
    return Verdict.NOT_TESTED


def _case_entry(case: TestCase, runs: list[Outcome]) -> dict[str, Any]:
    return {
        "id": case.id,
        "title": case.title,
        "profile": case.profile,
        "verifies": list(case.verifies),
        "verdict": aggregate(run.verdict for run in runs).value,
        "runs": [run_entry(run, _bearing(run, case)) for run in runs],
    }


def run_entry(run: Outcome, requirements: Iterable[str] = ()) -> dict[str, Any]:
    """One run of a case as results.json holds it (also one line of runs.jsonl)."""
    return {
        "param": run.param,
        "verdict": run.verdict.value,
        "message": run.message,
        "expected": run.evidence.expected,
        "got": run.evidence.got,
        "trace": list(run.evidence.trace),
        "durationSeconds": round(run.duration, 4),
        "requirements": list(requirements or run.requirements),
        "vector": run.evidence.vector,
        "exchange": list(run.evidence.exchange),
        "blocked": run.evidence.blocked,
        "operatorConfirmed": run.operator_confirmed,
    }


def _bearing(run: Outcome, case: TestCase) -> tuple[str, ...]:
    """The requirements a run bears on (an outcome built without them: its case's)."""
    return run.requirements or case.verifies


def _requirement_entry(
    requirement: Requirement, case_ids: list[str], ran: list[Verdict]
) -> dict[str, Any]:
    return {
        "id": requirement.id,
        "area": requirement.area,
        "level": requirement.level,
        "title": requirement.title,
        "statement": requirement.text,
        "inScope": in_scope(requirement),
        "testCases": case_ids,
        "verdict": aggregate(ran).value,
        "verification": requirement.verification,
        "evidence": requirement.evidence,
    }


def build_results(
    *,
    designation: str,
    hello: dict[str, Any] | None,
    profiles: Sequence[str],
    outcomes: Sequence[Outcome],
    catalogue: Sequence[TestCase] | None = None,
    requirements: Sequence[Requirement] | None = None,
    now: datetime | None = None,
    stopped: str = "",
    started: str = "",
    argv: Sequence[str] = (),
    card: str | None = None,
    mode: str = "automated",
) -> dict[str, Any]:
    """The results document of one run.

    `stopped` says why the run could not start (`could_not_run`: the IUT or its
    transport failed the preflight) or did not finish (`interrupted`), as
    "VERDICT: reason"; only the requirements in the scope of the profiles run are listed.
    `card` is where the suite put its card for a reader under test (`--card`), `mode`
    `attended` when an operator drove the implementation (spec/harness.md, Readers under
    test). A case that found nothing more could be observed (a reader that never reached
    the card) stops the run: inconclusive, unless a case failed before.
    """
    cases = list(catalogue) if catalogue is not None else load_catalogue()
    index = list(requirements) if requirements is not None else load_requirements()
    chosen = select(cases, profiles)
    runs: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        runs.setdefault(outcome.case_id, []).append(outcome)
    entries = [_case_entry(case, runs.get(case.id, [])) for case in chosen]
    coverage = check_coverage(cases, index, negative=False)
    by_requirement: dict[str, list[str]] = {}
    for case in cases:
        for requirement_id in case.verifies:
            by_requirement.setdefault(requirement_id, []).append(case.id)
    # Only the runs that bear on a requirement count for it (spec/harness.md, Verdicts):
    # a failing vector marks its own requirement, not every one its case lists.
    bearing: dict[str, list[Verdict]] = {}
    for case in chosen:
        for run in runs.get(case.id, []):
            for requirement_id in _bearing(run, case):
                bearing.setdefault(requirement_id, []).append(run.verdict)
    scope = profile_scope(cases, index, {case.profile for case in chosen})
    rows = [
        _requirement_entry(r, by_requirement.get(r.id, []), bearing.get(r.id, []))
        for r in index
        if r.id in scope
    ]
    per_profile = {
        profile: _count(entry["verdict"] for entry in entries if entry["profile"] == profile)
        for profile in PROFILES
        if profile in {case.profile for case in chosen}
    }
    case_counts = _count(entry["verdict"] for entry in entries)
    card_stop = next((o.stopped_run for o in outcomes if o.stopped_run), "")
    if card_stop and not stopped and not case_counts["fail"]:
        stopped = f"inconclusive: the run stopped: {card_stop}"
    refused = {outcome.unsupported for outcome in outcomes if outcome.unsupported}
    verdict, reasons = run_verdict(
        hello,
        case_counts,
        per_profile,
        profiles,
        stopped=stopped,
        claims=claim_failures(hello, refused),
    )
    generated = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "format": RESULTS_FORMAT,
        "generated": generated,
        "specVersion": SPEC_VERSION,
        "suiteVersion": __version__,
        "reproducibility": provenance(hello=hello, started=started or generated, argv=list(argv)),
        "iut": {"designation": designation, "card": card, "mode": mode, "declared": hello},
        "profiles": sorted({case.profile for case in chosen}, key=PROFILES.index),
        "summary": {
            "verdict": verdict,
            "reasons": reasons,
            "passed": verdict == "passed",
            "testCases": case_counts,
            "requirements": _count(row["verdict"] for row in rows if _counted(row)),
            "inspected": sum(1 for r in coverage.inspected if r.id in scope),
        },
        "profileSummary": per_profile,
        "testCases": entries,
        "requirements": rows,
        "coverage": {
            "uncovered": [r.id for r in coverage.uncovered if r.id in scope],
            "orphans": [list(pair) for pair in coverage.orphans],
            "inspected": [r.id for r in coverage.inspected if r.id in scope],
            "badEvidence": [[r.id, why] for r, why in coverage.bad_evidence],
        },
    }


def profile_scope(
    cases: Sequence[TestCase], index: Sequence[Requirement], profiles: set[str]
) -> set[str]:
    """The requirements a run of `profiles` speaks about: those a case of these profiles
    verifies, and those no case verifies (inspection, uncovered) in an area such a case
    tests. A verifier run does not list the enrolment requirements as "not tested"."""
    verified: dict[str, set[str]] = {}
    areas: set[str] = set()
    for case in cases:
        for requirement_id in case.verifies:
            verified.setdefault(requirement_id, set()).add(case.profile)
        if case.profile in profiles:
            areas |= {requirement_id.split("-")[1] for requirement_id in case.verifies}
    return {
        r.id
        for r in index
        if verified.get(r.id, set()) & profiles or (r.id not in verified and r.area in areas)
    }


def run_verdict(
    hello: dict[str, Any] | None,
    case_counts: dict[str, int],
    per_profile: dict[str, dict[str, int]],
    profiles: Sequence[str],
    *,
    stopped: str = "",
    claims: Sequence[str] = (),
) -> tuple[str, list[str]]:
    """The run's verdict (spec/harness.md, Verdicts) and why it is not simply passed.

    A run in which nothing applied to what the operator asked for, or that names a
    profile the implementation does not claim, proves nothing: it is inconclusive,
    never passed. A claimed profile lacking a mandatory operation (`claims`,
    VDC-HARN-020) fails the run. A run that could not start or was interrupted says so,
    whatever its cases showed before.
    """
    if stopped:
        verdict, _, reason = stopped.partition(": ")
        return verdict, [reason]
    if hello is None:
        return "could_not_run", ["the implementation never answered hello"]
    if case_counts["fail"] or claims:
        return "failed", list(claims)
    if case_counts["pass"] == 0:
        return "inconclusive", ["no test case of the run was applicable"]
    named = [] if "all" in profiles else list(profiles)
    reasons = [
        f"no test case of the named profile {profile} was applicable"
        for profile in named
        if per_profile.get(profile, {}).get("pass", 0) == 0
    ]
    reasons += [
        f"the implementation does not claim the named profile {profile}"
        for profile in unclaimed(hello, named)
    ]
    return ("inconclusive", reasons) if reasons else ("passed", [])


def overall_verdict(results: dict[str, Any]) -> str:
    """PASSED, FAILED, INCONCLUSIVE, COULD NOT RUN or INTERRUPTED, as printed and shown."""
    return str(results["summary"]["verdict"]).replace("_", " ").upper()


def _counted(row: dict[str, Any]) -> bool:
    """In the requirement summary: those the suite must test, and those verified by
    inspection that test cases also verify in part (VDC-SPEC-004)."""
    return bool(row["inScope"] or (row["verification"] == "inspection" and row["testCases"]))


def _count(verdicts: Iterable[str]) -> dict[str, int]:
    counted = Counter(verdicts)
    return {verdict: counted.get(verdict, 0) for verdict in VERDICTS}


def summary_table(results: dict[str, Any]) -> list[str]:
    """The final table printed by the terminal: test cases per profile, then requirements."""
    header = f"{'profile':<11}" + "".join(f"{v:>16}" for v in VERDICTS)
    lines = [header]
    for profile, counts in results["profileSummary"].items():
        lines.append(f"{profile:<11}" + "".join(f"{counts[v]:>16}" for v in VERDICTS))
    requirements = results["summary"]["requirements"]
    lines.append(f"{'MUST reqs':<11}" + "".join(f"{requirements[v]:>16}" for v in VERDICTS))
    lines.append("(test cases per profile; MUST requirements in the suite's scope)")
    uncovered = results["coverage"]["uncovered"]
    if uncovered:
        lines.append(
            f"{len(uncovered)} MUST requirements have no test case (reported not tested; "
            "`vitale conformance check` lists them)"
        )
    inspected = results["coverage"]["inspected"]
    if inspected:
        lines.append(
            f"{len(inspected)} MUST requirements are verified by inspection of the reference, "
            "not by this run (listed in the report)"
        )
    confirmed = [
        case["id"]
        for case in results["testCases"]
        if any(run["operatorConfirmed"] for run in case["runs"])
    ]
    if confirmed:
        lines.append(
            f"{len(confirmed)} test cases have operator-confirmed verdicts (attended mode): "
            + ", ".join(confirmed)
        )
    iut = results["iut"]
    card = f", card {iut['card']}" if iut["card"] else ""
    attended = ", attended" if iut["mode"] == "attended" else ""
    lines.append(f"verdict: {overall_verdict(results)} ({iut['designation']}{card}{attended})")
    lines += [f"  {reason}" for reason in results["summary"]["reasons"]]
    return lines
