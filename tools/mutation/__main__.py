"""`python -m tools.mutation` (`make mutation`): run or resume the campaign, then report.

    python -m tools.mutation                  # every module group, resumed where it stopped
    python -m tools.mutation --group nir      # one group (repeatable)
    python -m tools.mutation --report-only    # scores and survivors of what has run

Writes build/mutation/scores.json, scores.md (per module group and overall) and
survivors.md (each survivor not listed in tools/mutation/equivalent.toml, with its file,
line and diff). Exit status 0 when every target of tools.mutation is met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from tools.mutation import MODULES, OVERALL_TARGET, TARGETS
from tools.mutation._campaign import (
    ROOT,
    diff_of,
    forget_survivors_if_the_suite_changed,
    prepare,
    run,
)
from tools.mutation._results import (
    Mutant,
    Score,
    group_of,
    line_of,
    load_equivalent,
    load_mutants,
    score,
    survivors,
)

OUT = ROOT / "build" / "mutation"


def _scores(mutants: list[Mutant], equivalent: dict[str, str]) -> list[Score]:
    by_group: dict[str, list[Mutant]] = {group: [] for group in MODULES}
    for mutant in mutants:
        group = group_of(mutant.file)
        if group is not None and not mutant.outside_the_set:
            by_group[group].append(mutant)
    rows = [score(group, found, equivalent) for group, found in by_group.items() if found]
    rows.append(score("overall", [m for g in by_group.values() for m in g], equivalent))
    return rows


def _table(rows: list[Score]) -> list[str]:
    lines = [
        "| module | generated | killed | equivalent | survived | not run | score | of run |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r.group} | {r.generated} | {r.killed} | {r.equivalent} | {r.survived} | "
        f"{r.not_checked} | {r.percent:.1f} % | {r.percent_of_run:.1f} % |"
        for r in rows
    ]
    return lines


def report(work: Path, seconds: float) -> bool:
    """Write the scores and survivors; whether every target is met."""
    equivalent = load_equivalent()
    mutants = load_mutants(work)
    rows = _scores(mutants, equivalent)
    OUT.mkdir(parents=True, exist_ok=True)
    previous = OUT / "scores.json"
    if previous.is_file():  # a resumed campaign adds its time to the earlier runs'
        seconds += float(json.loads(previous.read_text("utf-8")).get("seconds", 0))
    outside = sum(mutant.outside_the_set for mutant in mutants)
    document = {
        "seconds": round(seconds),
        "outsideTheSet": outside,
        "scores": [r.as_dict() for r in rows],
    }
    (OUT / "scores.json").write_text(json.dumps(document, indent=2) + "\n", "utf-8")
    note = f"\n{outside} mutants of functions outside the set (tools.mutation.NOT_PROTOCOL).\n"
    (OUT / "scores.md").write_text("\n".join(_table(rows)) + "\n" + note, "utf-8")
    lines = ["# Surviving mutants (not listed in tools/mutation/equivalent.toml)", ""]
    inside = [mutant for mutant in mutants if not mutant.outside_the_set]
    for mutant in survivors(inside, equivalent):
        diff = diff_of(work, mutant.name, mutant.file)
        where = f"{mutant.file}:{line_of(work, mutant, diff)}"
        lines += [f"## {mutant.name} ({mutant.status})", "", where, "", "```diff", diff, "```", ""]
    (OUT / "survivors.md").write_text("\n".join(lines), "utf-8")
    print("\n".join(_table(rows)))
    met = all(r.percent >= TARGETS.get(r.group, 0.0) for r in rows if r.group != "overall")
    return met and rows[-1].percent >= OVERALL_TARGET


def list_message_only(work: Path) -> int:
    """Append to equivalent.toml the survivors that change only an error's text."""
    from tools.mutation._classify import MESSAGE_ONLY, functions_of, message_only
    from tools.mutation._results import EQUIVALENT_FILE

    added = []
    for mutant in survivors(load_mutants(work), load_equivalent()):
        if mutant.status == "survived" and message_only(
            *functions_of(work, mutant.name, mutant.file)
        ):
            added.append(f'\n[[mutant]]\nname = "{mutant.name}"\nreason = "{MESSAGE_ONLY}"\n')
    with EQUIVALENT_FILE.open("a", encoding="utf-8") as listed:
        listed.write("".join(added))
    print(f"{len(added)} message-only survivors listed in {EQUIVALENT_FILE.name}")
    return 0


SELECTION = ["conformance/cases"]


def _names_of(pattern: str) -> str:
    """The mutant names of the files `pattern` matches (`vitale_ref/sm/*.py` ->
    `vitale_ref.sm.*.*`)."""
    return pattern.removesuffix(".py").replace("/", ".") + ".*"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.mutation", description=__doc__)
    parser.add_argument("--group", action="append", choices=sorted(MODULES), default=[])
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument(
        "--list-message-only",
        action="store_true",
        help="list in equivalent.toml the survivors that change only an error's text",
    )
    args = parser.parse_args(argv)
    work = OUT / "work"
    if args.list_message_only:
        return list_message_only(work)
    groups = args.group or list(MODULES)
    started = time.monotonic()
    if not args.report_only:
        # Every group is mutated; --group only chooses which mutants run.
        prepare(work, [pattern for files in MODULES.values() for pattern in files], SELECTION)
        forgotten = forget_survivors_if_the_suite_changed(work)
        if forgotten:
            print(f"the suite changed: its {forgotten} survivors run again")
        names = (
            [] if not args.group else [_names_of(pattern) for g in groups for pattern in MODULES[g]]
        )
        status = run(work, max_children=args.max_children, names=names)
        if status not in (0, 1):
            print(f"mutmut ended with status {status}", file=sys.stderr)
    elapsed = 0.0 if args.report_only else time.monotonic() - started
    return 0 if report(work, elapsed) else 1


if __name__ == "__main__":
    sys.exit(main())
