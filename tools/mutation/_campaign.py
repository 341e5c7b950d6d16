"""Run or resume a mutmut campaign in a working copy under build/mutation/.

mutmut works on a copy (`mutants/`) of the folder it runs in. The campaign's folder,
build/mutation/work, holds a copy of the reference, the suite, the spec and the vectors
whose files keep their times, so that a second run finds its mutants and results again
and only runs what is new or changed (a resumed campaign).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COPIED = ("vitale_ref", "conformance", "spec", "vectors")
MUTMUT = Path(sys.executable).parent / "mutmut"

CONFIG = """\
# Written by tools/mutation: the mutants are killed by the conformance suite alone,
# run in process against the reference (--iut ref), never by the repository's tests.
[tool.mutmut]
source_paths = ["vitale_ref"]
only_mutate = {only_mutate}
also_copy = ["conformance", "spec", "vectors"]
pytest_add_cli_args = ["-p", "no:cacheprovider", "--iut", "ref", "--profile", "all"]
pytest_add_cli_args_test_selection = {selection}
use_git_change_detection = false
timeout_multiplier = 10.0
timeout_constant = 5.0

[tool.pytest.ini_options]
addopts = "--import-mode=importlib"
"""


def _toml_list(items: Iterable[str]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def prepare(work: Path, only_mutate: Sequence[str], selection: Sequence[str]) -> None:
    """Copy the sources into `work` (keeping file times) and write mutmut's settings."""
    work.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        shutil.copytree(
            ROOT / name,
            work / name,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("__pycache__", "node_modules", "*.pyc"),
        )
    config = CONFIG.format(only_mutate=_toml_list(only_mutate), selection=_toml_list(selection))
    path = work / "pyproject.toml"
    if not path.is_file() or path.read_text("utf-8") != config:
        path.write_text(config, encoding="utf-8")


def run(work: Path, *, max_children: int, names: Sequence[str] = (), quiet: bool = False) -> int:
    """`mutmut run` in `work`, niced so that other work on the machine goes first."""
    command = ["nice", "-n", "15", str(MUTMUT), "run", "--max-children", str(max_children)]
    environment = {**os.environ, "CI": "", "PYTHONHASHSEED": "0"}
    output = subprocess.DEVNULL if quiet else None
    done = subprocess.run(
        [*command, *names], cwd=work, env=environment, stdout=output, stderr=output, check=False
    )
    return done.returncode


def diff_of(work: Path, name: str, file: str) -> str:
    """The unified diff of one mutant of `file` (what `mutmut show` prints)."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    previous = Path.cwd()
    os.chdir(work)  # mutmut reads its index relative to the campaign's folder
    try:
        return get_diff_for_mutant(name, path=file)
    finally:
        os.chdir(previous)
