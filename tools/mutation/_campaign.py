"""Run or resume a mutmut campaign in a working copy under build/mutation/.

mutmut works on a copy (`mutants/`) of the folder it runs in. The campaign's folder,
build/mutation/work, holds a copy of the reference, the suite, the spec and the vectors
whose files keep their times, so that a second run finds its mutants and results again
and only runs what is new or changed (a resumed campaign).
"""

from __future__ import annotations

import hashlib
import json
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
pytest_add_cli_args = {pytest_args}
pytest_add_cli_args_test_selection = {selection}
use_git_change_detection = false
timeout_multiplier = 10.0
timeout_constant = 5.0

[tool.pytest.ini_options]
addopts = "--import-mode=importlib"
"""


PYTEST_ARGS = (
    # The mutant is switched in only while the reference answers as the IUT (_gate.py).
    *("-p", "tools.mutation._gate"),
    *("--iut", "ref", "--profile", "all"),
    # Nothing a campaign reads: the cache, and the garbage collections pytest runs at
    # the end of every session to find unraisable exceptions (half a second per mutant).
    *("-p", "no:cacheprovider", "-p", "no:unraisableexception", "-p", "no:threadexception"),
)


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
    config = CONFIG.format(
        only_mutate=_toml_list(only_mutate),
        selection=_toml_list(selection),
        pytest_args=_toml_list(PYTEST_ARGS),
    )
    path = work / "pyproject.toml"
    if not path.is_file() or path.read_text("utf-8") != config:
        path.write_text(config, encoding="utf-8")
    _forget_unmutated_copies(work, only_mutate)


def _forget_unmutated_copies(work: Path, only_mutate: Sequence[str]) -> None:
    """Remove the copies in `mutants/` of files to mutate that hold no mutant.

    mutmut copies a file it does not mutate as it is, and later takes that copy for an
    unchanged mutated file: its functions would never be switched, and every mutant of
    them would read "no tests". Without the copy, mutmut mutates the file again.
    """
    for pattern in only_mutate:
        for copy in (work / "mutants").glob(pattern):
            if "__mutmut_" not in copy.read_text("utf-8"):
                copy.unlink()


SURVIVED = (0, 5, 33)
"""mutmut's exit codes of a mutant no case killed (passed, no case ran, no case reaches it)."""


def suite_fingerprint(work: Path) -> str:
    """SHA-256 over the suite, spec and vectors copied into `work` (names and contents)."""
    digest = hashlib.sha256()
    for name in COPIED[1:]:
        for path in sorted((work / name).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(work).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def forget_survivors_if_the_suite_changed(work: Path) -> int:
    """After a change of the suite, run its survivors again; returns how many.

    A mutant the suite killed stays killed (cases are added, not weakened), one listed
    as equivalent stays listed, and one of a function outside the set stays out; any
    other survivor may fall to a new or stronger case, and which cases reach which
    function is measured again (mutmut's stats file is dropped).
    """
    from tools.mutation._results import Mutant, load_equivalent

    listed = load_equivalent()
    mark = work / "suite.sha256"
    current = suite_fingerprint(work)
    previous = mark.read_text("utf-8") if mark.is_file() else current
    forgotten = 0
    if previous != current:
        for meta in (work / "mutants").rglob("*.py.meta"):
            document = json.loads(meta.read_text("utf-8"))
            codes = document.get("exit_code_by_key", {})
            file = meta.relative_to(work / "mutants").as_posix().removesuffix(".meta")
            for name, code in codes.items():
                outside = Mutant(name=name, file=file, status="").outside_the_set
                if code in SURVIVED and name not in listed and not outside:
                    codes[name] = None
                    forgotten += 1
            meta.write_text(json.dumps(document, indent=4), "utf-8")
        (work / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    mark.write_text(current, "utf-8")
    return forgotten


def run(work: Path, *, max_children: int, names: Sequence[str] = (), quiet: bool = False) -> int:
    """`mutmut run` in `work` (only the mutants matching `names`, glob patterns, when
    given), niced so that other work on the machine goes first."""
    command = ["nice", "-n", "19", str(MUTMUT), "run", "--max-children", str(max_children)]
    environment = {**os.environ, "CI": "", "PYTHONHASHSEED": "0", "PYTHONPATH": str(ROOT)}
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
