"""`vitale conformance`: run the conformance suite, list its catalogue, check its coverage.

The suite contributes this command group to the `vitale` command line through the entry
point group `vitale.commands` (pyproject.toml): the reference never imports the suite.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from vitale_ref import SPEC_VERSION, __version__
from vitale_ref.cli._options import check_output_folder


class _Commands(click.Group):
    """`emulate` loads the protocol stack, so it is imported only when it is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), "emulate"])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name == "emulate":
            from conformance._cli_emulate import emulate

            return emulate
        return super().get_command(ctx, cmd_name)


@click.group("conformance", cls=_Commands)
def command() -> None:
    """Conformance suite: run it against an implementation, list and check its test cases."""


@command.command("run")
@click.option(
    "--iut",
    default=None,
    help="Implementation under test: ref (default), stdio:COMMAND, pcsc:READER, nfc:PATH, "
    "attended:ROOT.",
)
@click.option(
    "--profile",
    default=None,
    help="holder, reader, verifier, enrolment, transport or all (the default); several as a "
    "comma-separated list, e.g. holder,transport. transport applies through pcsc:, nfc: "
    "and --card.",
)
@click.option(
    "--case",
    "cases",
    multiple=True,
    metavar="TC",
    help="Only this test case (TC-NIR-016); repeatable; shell wildcards select several "
    "(TC-NIR-01? or 'TC-NIR-0[12]?').",
)
@click.option(
    "--report",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/conformance-report"),
    show_default=True,
    help="Folder for junit.xml, results.json and report.html.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 3600),
    default=None,
    help="Seconds per request to a stdio IUT, and per APDU through a reader.",
)
@click.option(
    "--card",
    default=None,
    metavar="pcsc[:READER]|nfc:PATH",
    help="Reader under test: where the suite puts the card it plays (see spec/harness.md).",
)
@click.option(
    "--reader-timeout",
    type=float,
    default=None,
    help="Seconds a reader under test has to reach the card (default 30).",
)
@click.option(
    "-k",
    "keyword",
    default=None,
    help="Only cases matching this pytest expression (names, TC IDs, parameters).",
)
@click.option(
    "-v", "--verbose", is_flag=True, help="One line per run: TC ID, parameter, verdict, time."
)
def run(
    *,
    iut: str | None,
    profile: str | None,
    cases: tuple[str, ...],
    report: Path,
    timeout: float | None,
    card: str | None,
    reader_timeout: float | None,
    keyword: str | None,
    verbose: bool,
) -> None:
    """Run the suite; exit 0 when it passed, 1 when it failed, 6 when inconclusive, 7 when
    it could not run, 130 when interrupted.

    Inconclusive: no case applied to the run, or to a profile named with --profile. Could
    not run: the IUT did not answer hello, or a reader path did not answer SELECT.
    """
    import pytest

    from conformance.adapters import AdapterError, open_iut
    from conformance.catalogue import CatalogueError, parse_profiles
    from conformance.outcomes import IutFailure
    from conformance.plugin import CASES_DIR, INCONCLUSIVE_EXIT, RUN_EXITS

    designation = iut or os.environ.get("VDC_IUT") or "ref"
    # VDC-HARN-902: a report folder that cannot be written is refused before the run,
    # not found out once every case has run.
    check_output_folder(report, "--report")
    try:
        parse_profiles(profile or os.environ.get("VDC_PROFILE") or "all")
        if timeout is not None:
            os.environ["VDC_IUT_TIMEOUT"] = str(timeout)
        if reader_timeout is not None:
            os.environ["VDC_READER_TIMEOUT"] = str(reader_timeout)
        # A designation no adapter knows is a usage error; an IUT that does not start is
        # the run's verdict COULD NOT RUN, reported by the session (spec/harness.md).
        open_iut(designation).close()
        card = card or os.environ.get("VDC_CARD") or None
        if card:  # a card the suite cannot place is a usage error too (VDC-TRN-039)
            from conformance.adapters._card import check_card

            check_card(card)
    except (CatalogueError, AdapterError, IutFailure, ValueError) as error:
        raise click.ClickException(str(error)) from None
    args = [
        str(CASES_DIR),
        "-c",
        str(CASES_DIR.parent / "suite.ini"),
        "--rootdir",
        str(CASES_DIR.parent),
        "--iut",
        designation,
        "--report",
        str(report),
        "-rf",
        "-W",
        "ignore::pytest.PytestAssertRewriteWarning",
    ]
    if verbose:
        args += ["-v", "--tc-verbose"]
    for case in cases:
        args += ["--case", case]
    if profile:
        args += ["--profile", profile]
    if card:
        args += ["--card", card]
    if keyword:
        args += ["-k", keyword]
    code = pytest.main(args)
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        click.echo("verdict: INCONCLUSIVE: the selection left no test case to run")
        sys.exit(INCONCLUSIVE_EXIT)
    sys.exit(code if code in (0, *RUN_EXITS) else 1)


@command.command("catalogue")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable catalogue.")
@click.option("--profile", default="all", show_default=True, help="Only these profiles.")
def catalogue(as_json: bool, profile: str) -> None:
    """List the test cases: id, profile, requirements verified and title."""
    from conformance.catalogue import (
        CatalogueError,
        catalogue_as_json,
        load_catalogue,
        parse_profiles,
        select,
    )

    try:
        cases = select(load_catalogue(), parse_profiles(profile))
    except CatalogueError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        text = catalogue_as_json(cases, spec_version=SPEC_VERSION, suite_version=__version__)
        click.echo(text, nl=False)
        return
    for case in cases:
        click.echo(f"{case.id:<12} {case.profile:<9} {','.join(case.verifies):<28} {case.title}")
    click.echo(f"{len(cases)} test cases")


@command.command("check")
def check() -> None:
    """Self-check: every MUST requirement has a test case and a negative or boundary case,
    and no case cites an unknown one."""
    from conformance.catalogue import load_catalogue
    from conformance.coverage import check_coverage
    from conformance.requirements import SpecIndexError, load_requirements

    try:
        coverage = check_coverage(load_catalogue(), load_requirements())
    except SpecIndexError as error:
        raise click.ClickException(f"specification index: {error.problems[0]}") from None
    for line in coverage.problems():
        click.echo(line)
    covered = len(coverage.covered)
    gaps = len(coverage.without_negative)
    if not coverage.require_negative:
        for line in coverage.negative_gaps():
            click.echo(line)
        if gaps:
            click.echo(
                f"{gaps} MUST requirements have no negative or boundary case "
                "(reported, not yet required)"
            )
    if not coverage.ok:
        click.echo(
            f"self-check failed: {len(coverage.uncovered)} uncovered, "
            f"{len(coverage.orphans)} orphan citations, {gaps} without a negative or boundary "
            f"case ({covered} requirements covered)"
        )
        sys.exit(1)
    click.echo(f"self-check passed: {covered} requirements covered")


@command.command("faults")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable list.")
def faults(as_json: bool) -> None:
    """List the seeded faults the suite is proven to catch: the requirement each breaks,
    the profile and the test cases that catch it, and the command that shows it."""
    from conformance.catalogue import load_catalogue
    from conformance.driver.faults import all_faults

    profiles = {case.id: case.profile for case in load_catalogue()}
    rows = []
    for f in all_faults():
        profile = ",".join(sorted({profiles.get(case, "?") for case in f.cases}))
        driver = f"stdio:python -m conformance.driver --fault {f.name}"
        chosen = " ".join(f"--case {case}" for case in f.cases)
        rows.append(
            {
                "name": f.name,
                "breaks": f.breaks,
                "profile": profile,
                "cases": list(f.cases),
                "description": f.description,
                "command": f"vitale conformance run --iut '{driver}' --profile {profile} {chosen}",
            }
        )
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        click.echo(
            f"{row['name']:<42} {row['breaks']:<13} {row['profile']:<9} "
            f"{','.join(row['cases']):<24} {row['description']}"
        )
    click.echo(f"{len(rows)} seeded faults; `--json` adds the command that shows each one")
