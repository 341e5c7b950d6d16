"""The hostile-input battery: every `vitale` sub-command against inputs meant to break it.

Missing, empty, huge, binary, non-UTF-8, deeply nested and wrong-type files, option
values at and past their edges (the ends of the calendar, element numbers out of range,
arguments that are not text) and outputs that cannot be written (a missing folder, a
folder, a device). For each run: no traceback, no unexpected error (exit status 70, the
command line's report of a bug), a failure reported on one `Error:` line with a
non-zero status, and no input file changed. Outputs are checked before the work starts
(VDC-HARN-902).

The runs are in process through click's CliRunner: the same code as the console
script, without an interpreter start per run (about 330 runs in a few seconds).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from vitale_ref.cli import main
from vitale_ref.device import HolderDevice
from vitale_ref.device.synthetic import SYNTHETIC_CODE, provision_synthetic
from vitale_ref.pin import TEST_ONLY_PARAMETERS
from vitale_ref.randomness import seeded_random

NOW = "2026-03-02T09:30:00Z"
CODE_IN = f"{SYNTHETIC_CODE}\n"

HOSTILE_FILES: dict[str, bytes] = {
    "empty": b"",
    "huge": b"\x30\x84\x7f\xff\xff\xff" + bytes(16 << 20),
    "binary": hashlib.shake_256(b"binary").digest(4096),
    "non-utf8": b'{"synthetic": true, "name": "\xff\xfe\xfd"}\n',
    "deep": b"[" * 200_000 + b"]" * 200_000,
    "deep-object": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "wrong-type": b'{"synthetic": true, "nir": 1e999, "elements": [[], {}], "at": []}',
    "json-list": b"[1, 2, 3]",
    "json-string": b'"just a string"',
    "nul": bytes(1024),
}
OTHER_INPUTS = ("missing", "folder")

# Every command that reads a file; {f} is the hostile file.
FILE_COMMANDS = [
    "credential issue {f} --out out.der",
    "credential inspect {f}",
    "credential inspect {f} --json",
    f"credential verify {{f}} --trust {{f}} --at {NOW}",
    f"credential verify {{f}} --trust root.pem --status {{f}} --at {NOW}",
    f"credential verify pres.der --trust root.pem --status {{f}} --at {NOW}",
    "trace show {f}",
    "trace pcap {f} --output out.pcap",
    f"holder status --store {{f}} --now {NOW}",
    f"holder history --store {{f}} --now {NOW}",
    f"holder unlock --store {{f}} --code-stdin --now {NOW}",
    f"holder init-synthetic --store {{f}} --code-stdin --now {NOW}",
    f"present --store {{f}} --now {NOW}",
    f"present --store holder.db --service-db {{f}} --now {NOW}",
    f"enrol --store new.db --answers {{f}} --now {NOW} --seed b",
    f"enrol --store new.db --service-db {{f}} --now {NOW} --route document",
    f"enrol --store new.db --otp-key {{f}} --now {NOW} --route document",
    f"enrol --store {{f}} --service-db new.sdb --now {NOW} --route document",
    "read --pki enrolment --service-db {f} --pcsc no-such-reader",
    "read --trust {f} --pcsc no-such-reader",
    "emulate --store {f} --vpcd 1",
    "emulate --reader-root {f} --vpcd 1",
]
STDIN = {"unlock": CODE_IN, "init-synthetic": CODE_IN * 2, "enrol": "\n"}

TIMES = (
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "9999-12-31T23:59:59Z",
    "not-a-time",
    "2026-03-02T09:30:00",
)
TIME_COMMANDS = [
    "holder status --store holder.db --now {v}",
    "holder history --store holder.db --now {v}",
    "holder unlock --store holder.db --code-stdin --now {v}",
    "present --store holder.db --now {v}",
    "enrol --store fresh.db --route france-identite --now {v}",
    "credential verify pres.der --trust root.pem --at {v}",
    "credential status-list --out sl.der --this-update {v}",
    "credential status-list --out sl.der --next-update {v}",
]
ELEMENTS = ("999", "0", "-1", "9" * 40, "x", ",", "128", "1" + ",1" * 5000)
ELEMENT_COMMANDS = [
    "present --elements {v}",
    "credential issue desc.json --out o.der --elements {v}",
    f"credential verify pres.der --trust root.pem --at {NOW} --request {{v}}",
    "read --elements {v} --pcsc no-such-reader",
]
OTHER_VALUES = [
    *(f"credential status-list --out sl.der --revoke {v}" for v in ("-1", "1024", str(2**64))),
    *(f"credential status-list --out sl.der --size {v}" for v in ("7", "9", str(2**64))),
    *(f"emulate --historical {v} --vpcd 1" for v in ("zz", "0" * 40, "abc")),
    *(f"emulate --vpcd {v}" for v in ("0", "70000", "host:", ":")),
    *(f"pki generate --seed {v} --out pki-out" for v in ("''", "x" * 10_000)),
    *(f"trace show trace.json --keys {v}" for v in ("zz", "00:00", "0" * 64 + ":" + "1" * 10)),
    *(f"conformance catalogue --profile {v}" for v in ("nope", "''", "holder,")),
    *(f"conformance run --profile {v} --report r" for v in ("nope", "holder,nope")),
    *(f"conformance run --iut {v} --report r" for v in ("nope:x", "stdio:", "'stdio:\"a'")),
    *(f"conformance run --timeout {v} --report r" for v in ("-1", "0", "1e999", "x")),
    "conformance emulate --control /dev/full/control.sock --vpcd 1",
    "conformance emulate --control a-folder --vpcd 1",
]
NIR_ARGUMENTS = ("\udcff\udcfe", "x" * 100_000, "''", "1" * 15, "\x00", "2 55 08 2A 123 456 78")

UNWRITABLE_FILES = ("no-such-folder/out.bin", "a-folder", "desc.json/out.bin")
OUTPUT_COMMANDS = [
    "credential issue desc.json --out {o}",
    "credential status-list --out {o}",
    "trace pcap trace.json --output {o}",
    "present --trace-out {o}",
    f"present --store holder.db --now {NOW} --trace-out {{o}}",
    f"enrol --store {{o}} --route france-identite --now {NOW}",
    f"enrol --store new2.db --service-db {{o}} --route france-identite --now {NOW}",
]
UNWRITABLE_FOLDERS = ("desc.json/pki", "/dev/full/pki", "/proc/version/pki")
FOLDER_COMMANDS = ["pki generate --seed s --out {o}", "conformance run --report {o}"]


@dataclass(frozen=True)
class Run:
    args: list[str]
    stdin: str | None


def _run(template: str, **values: str) -> Run:
    args = shlex.split(template.format(**{k: shlex.quote(v) for k, v in values.items()}))
    return Run(args, next((STDIN[w] for w in args[:2] if w in STDIN), None))


def file_runs(kind: str) -> list[Run]:
    return [_run(command, f=f"@{kind}") for command in FILE_COMMANDS]


def value_runs() -> list[Run]:
    runs = [_run(c, v=v) for c in TIME_COMMANDS for v in TIMES]
    runs += [_run(c, v=v) for c in ELEMENT_COMMANDS for v in ELEMENTS]
    runs += [_run(c) for c in OTHER_VALUES]
    runs += [Run(["nir", sub, v], None) for sub in ("check", "format") for v in NIR_ARGUMENTS]
    return runs


def output_runs() -> list[Run]:
    runs = [_run(c, o=o) for c in OUTPUT_COMMANDS for o in UNWRITABLE_FILES]
    return runs + [_run(c, o=o) for c in FOLDER_COMMANDS for o in UNWRITABLE_FOLDERS]


@contextmanager
def _inside(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def make_workspace(root: Path) -> Path:
    """The hostile files (each private, mode 0600) and valid companions for them."""
    for name, data in HOSTILE_FILES.items():
        (root / name).write_bytes(data)
        (root / name).chmod(0o600)
    (root / "folder").mkdir()
    (root / "a-folder").mkdir()
    with HolderDevice.open(root / "holder.db") as device:
        provision_synthetic(
            device,
            code=SYNTHETIC_CODE,
            random=seeded_random("battery"),
            now=datetime.fromisoformat(NOW),
            parameters=TEST_ONLY_PARAMETERS,
        )
    runner = CliRunner()
    with _inside(root):
        (root / "desc.json").write_text(runner.invoke(main, ["credential", "example"]).output)
        for args in (
            ["credential", "issue", "desc.json", "--out", "pres.der"],
            ["pki", "generate", "--seed", "vdc-demo", "--out", "pki"],
            ["present", "--trace-out", "trace.json"],
        ):
            assert runner.invoke(main, args).exit_code == 0, args
    (root / "root.pem").write_bytes((root / "pki" / "issuing-root.pem").read_bytes())
    return root


def _digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file() and not p.name.endswith(("-wal", "-shm", "-journal"))  # SQLite's own
    }


def _placed(root: Path, argument: str) -> str:
    """`@kind` names the hostile file; `@missing` a path that exists nowhere, each time."""
    if argument == "@missing":
        return str(root / f"missing-{next(_FRESH)}")
    return str(root / argument[1:]) if argument.startswith("@") else argument


_FRESH = itertools.count()


def check(root: Path, inputs: dict[str, str], run: Run, *, may_succeed: bool = False) -> None:
    """One run of the battery and what it must not do."""
    args = [_placed(root, a) for a in run.args]
    with _inside(root):
        result = CliRunner().invoke(main, args, input=run.stdin)
    where = f"vitale {' '.join(a[:40] for a in run.args)}"
    out, err = result.stdout, result.stderr
    assert "Traceback" not in out + err, where
    assert result.exception is None or isinstance(result.exception, SystemExit), where
    assert result.exit_code != 70, f"{where}: unexpected error: {err.strip()[-300:]}"
    if not may_succeed:
        assert result.exit_code != 0, f"{where}: accepted: {out[-200:]!r}"
    if result.exit_code != 0:
        lines = err.strip().splitlines()
        assert lines or out.strip(), f"{where}: failed without a word"
        if lines and "Error:" in err:
            assert lines[-1].startswith("Error: "), f"{where}: {err[-300:]}"
    after = _digests(root)
    changed = [name for name, digest in inputs.items() if after.get(name) != digest]
    assert not changed, f"{where}: changed the inputs {changed}"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_workspace(tmp_path_factory.mktemp("battery"))


@pytest.fixture
def workspace(prepared: Path) -> tuple[Path, dict[str, str]]:
    """The prepared folder and the digest of every file in it now: the inputs."""
    return prepared, _digests(prepared)


@pytest.mark.parametrize("kind", [*HOSTILE_FILES, *OTHER_INPUTS])
def test_cli_battery_hostile_files(workspace: tuple[Path, dict[str, str]], kind: str) -> None:
    """Every command that reads a file, fed one kind of hostile file: a one-line error."""
    root, inputs = workspace
    for run in file_runs(kind):
        # A store, a service database or a key file that is not there yet may be made.
        check(root, inputs, run, may_succeed=kind == "missing")


def test_cli_battery_option_values(workspace: tuple[Path, dict[str, str]]) -> None:
    """Option values at and past their edges: refused on one line, or handled."""
    root, inputs = workspace
    stateful = {k: v for k, v in inputs.items() if not k.startswith("holder.db")}
    for run in value_runs():
        check(root, stateful, run, may_succeed=True)


def test_cli_battery_unwritable_outputs(workspace: tuple[Path, dict[str, str]]) -> None:
    """Outputs that cannot be written: one line, before any work (VDC-HARN-902)."""
    root, inputs = workspace
    for run in output_runs():
        check(root, inputs, run)
