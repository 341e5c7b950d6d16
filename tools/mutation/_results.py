"""Reading a campaign's results: statuses, scores per module group, survivors with diffs.

mutmut keeps, next to each mutated file in `mutants/`, a `.meta` JSON file mapping every
mutant name (`vitale_ref.nir.x_calc_key__mutmut_3`) to the exit status of its test run.
A mutant is killed when the suite failed (or timed out: a hang is a failure of the case);
survived, or with no case reaching its code, it counts against the score.
"""

from __future__ import annotations

import fnmatch
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tools.mutation import MODULES, NOT_PROTOCOL

KILLED = {1: "killed", 3: "killed", 36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout"}
KILLED[255] = "timeout"
NOT_RUN = (None, 2)
EQUIVALENT_FILE = Path(__file__).with_name("equivalent.toml")


@dataclass(frozen=True, kw_only=True)
class Mutant:
    name: str
    file: str  # relative path of the mutated file
    status: str  # killed, timeout, survived, no tests, not checked, suspicious

    @property
    def killed(self) -> bool:
        return self.status in ("killed", "timeout")

    @property
    def outside_the_set(self) -> bool:
        """Whether its function is one of tools.mutation.NOT_PROTOCOL."""
        return f"{self.file}::{self.function}" in NOT_PROTOCOL

    @property
    def function(self) -> str:
        """The function the mutant changes, as `Class.method` or `function`."""
        local = re.sub(r"__mutmut_\d+$", "", self.name.split(".")[-1].removeprefix("x"))
        if local.startswith("ǁ"):  # a method: ǁClassǁmethod
            return ".".join(local.strip("ǁ").split("ǁ"))
        return local.removeprefix("_")  # a function: x_name


def _status(code: int | None) -> str:
    if code in KILLED:
        return KILLED[code]
    if code in NOT_RUN:
        return "not checked"
    return {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped"}.get(code, "suspicious")


def load_mutants(work: Path) -> list[Mutant]:
    """Every mutant of the campaign in `work`, with its status."""
    found = []
    for meta in sorted((work / "mutants").rglob("*.py.meta")):
        relative = meta.relative_to(work / "mutants").as_posix().removesuffix(".meta")
        codes = json.loads(meta.read_text("utf-8")).get("exit_code_by_key", {})
        found += [Mutant(name=n, file=relative, status=_status(c)) for n, c in codes.items()]
    return found


def group_of(file: str) -> str | None:
    """The module group a mutated file belongs to (tools.mutation.MODULES)."""
    for group, patterns in MODULES.items():
        if any(fnmatch.fnmatch(file, pattern) for pattern in patterns):
            return group
    return None


def load_equivalent(path: Path = EQUIVALENT_FILE) -> dict[str, str]:
    """Mutant name -> the one-line reason it cannot be told from the reference."""
    if not path.is_file():
        return {}
    document = tomllib.loads(path.read_text("utf-8"))
    return {entry["name"]: entry["reason"] for entry in document.get("mutant", [])}


@dataclass(frozen=True, kw_only=True)
class Score:
    group: str
    generated: int
    killed: int
    equivalent: int
    survived: int
    not_checked: int

    @property
    def percent(self) -> float:
        """killed / (generated - listed equivalent); mutants not run yet count against."""
        counted = self.generated - self.equivalent
        return 100.0 * self.killed / counted if counted else 0.0

    @property
    def percent_of_run(self) -> float:
        """The same over the mutants run so far (a campaign still in progress)."""
        counted = self.generated - self.equivalent - self.not_checked
        return 100.0 * self.killed / counted if counted else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "group": self.group,
            "generated": self.generated,
            "killed": self.killed,
            "equivalent": self.equivalent,
            "survived": self.survived,
            "notChecked": self.not_checked,
            "score": round(self.percent, 1),
            "scoreOfRun": round(self.percent_of_run, 1),
        }


def score(group: str, mutants: list[Mutant], equivalent: dict[str, str]) -> Score:
    """killed / (generated - listed equivalent), over the mutants that were run."""
    listed = [m for m in mutants if m.name in equivalent and not m.killed]
    # A listed mutant is equivalent whether or not it has run yet.
    pending = [m for m in mutants if m.status == "not checked" and m.name not in equivalent]
    killed = [m for m in mutants if m.killed]
    return Score(
        group=group,
        generated=len(mutants),
        killed=len(killed),
        equivalent=len(listed),
        survived=len(mutants) - len(killed) - len(listed) - len(pending),
        not_checked=len(pending),
    )


def survivors(mutants: list[Mutant], equivalent: dict[str, str]) -> list[Mutant]:
    """Mutants the suite did not kill and that are not listed as equivalent."""
    return [
        m
        for m in mutants
        if not m.killed and m.status != "not checked" and m.name not in equivalent
    ]


def line_of(work: Path, mutant: Mutant, diff: str) -> int:
    """The line of the original file the mutant's first change is on (0 if unknown)."""
    hunk = re.search(r"^@@ -(\d+)", diff, re.MULTILINE)
    source = (work / mutant.file).read_text("utf-8").splitlines()
    name = mutant.function.split(".")[-1]
    starts = [i for i, text in enumerate(source, 1) if re.match(rf"\s*(async )?def {name}\(", text)]
    if not hunk or not starts:
        return 0
    changed = 0
    for offset, text in enumerate(diff.split("@@", 2)[-1].splitlines()[1:]):
        if text.startswith("-"):
            changed = offset
            break
    return starts[0] + int(hunk.group(1)) - 1 + changed
