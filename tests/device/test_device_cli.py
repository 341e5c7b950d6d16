"""`vitale holder unlock | history | status | init-synthetic` (VDC-PIN-015, VDC-HIST-003)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from vitale_ref.cli import main
from vitale_ref.device import HolderDevice
from vitale_ref.device.synthetic import SYNTHETIC_CODE

T0 = "2026-03-02T09:30:00Z"
WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["holder", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_cli_unlock_right_code(store_path: Path) -> None:
    """VDC-PIN-015, VDC-PIN-017: one line, the end of the window, exit 0."""
    code, out, _ = _invoke(
        "unlock", "--store", str(store_path), "--code-stdin", "--now", T0, stdin="480715\n"
    )
    assert (code, out) == (0, "unlocked: presentation armed until 2026-03-02T09:31:00Z (60 s)\n")


def test_cli_unlock_prompt_is_hidden(store_path: Path) -> None:
    """The interactive prompt does not echo the code."""
    code, out, _ = _invoke("unlock", "--store", str(store_path), "--now", T0, stdin="480715\n")
    assert code == 0
    assert SYNTHETIC_CODE not in out
    assert out.startswith("Personal code: \nunlocked: ")


def test_cli_unlock_wrong_codes_to_blocked(store_path: Path) -> None:
    """VDC-PIN-012, VDC-PIN-015: 63C4 .. 63C0, then 6983; exit 1 each time."""
    lines = []
    for _ in range(6):
        code, out, err = _invoke(
            "unlock", "--store", str(store_path), "--code-stdin", "--now", T0, stdin="999990\n"
        )
        assert (code, out) == (1, "")
        lines.append(err)
    assert lines == [
        "wrong personal code (63C4): 4 tries left\n",
        "wrong personal code (63C3): 3 tries left\n",
        "wrong personal code (63C2): 2 tries left\n",
        "wrong personal code (63C1): 1 try left\n",
        "wrong personal code (63C0): the app is now blocked; enrol it again\n",
        "blocked (6983): too many wrong personal codes; enrol the app again\n",
    ]
    _, out, _ = _invoke("status", "--store", str(store_path), "--now", T0)
    assert "personal code: blocked (6983); enrol the app again\n" in out
    code, out, err = _invoke("unlock", "--store", str(store_path), "--now", T0, stdin="")
    assert (code, out) == (1, "")
    assert err == "blocked (6983): too many wrong personal codes; enrol the app again\n"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["unlock", "--code-stdin"], "4807\n", "Error: personal code must be exactly 6 digits\n"),
        (["unlock", "--code-stdin", "--now", "yesterday"], "480715\n", "Invalid value for --now"),
        (["unlock", "--code-stdin", "--now", "2026-03-02T09:30:00"], "480715\n", "needs a time"),
    ],
)
def test_cli_bad_input(store_path: Path, args: list[str], stdin: str, message: str) -> None:
    """Bad input: one line, exit 1 (2 for usage), no traceback."""
    code, _, err = _invoke(*args, "--store", str(store_path), stdin=stdin)
    assert code in (1, 2)
    assert message in err
    assert "Traceback" not in err


def test_cli_missing_and_foreign_store(tmp_path: Path) -> None:
    """A missing store is not created; a foreign file is refused in one line."""
    missing = tmp_path / "none.sqlite"
    code, _, err = _invoke("unlock", "--store", str(missing), "--code-stdin", stdin="480715\n")
    assert (code, err) == (1, f"Error: no holder store at {missing}\n")
    assert not missing.exists()
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"x" * 4096)
    junk.chmod(0o600)
    code, _, err = _invoke("history", "--store", str(junk))
    assert code == 1
    assert err == f"Error: damaged holder store: {junk}: file is not a database\n"
    empty = tmp_path / "empty.sqlite"
    HolderDevice.open(empty).close()
    code, _, err = _invoke("status", "--store", str(empty))
    assert (code, err) == (1, "Error: the store holds no activated holder\n")


def test_cli_history_text_and_json(store_path: Path) -> None:
    """VDC-HIST-003: last 7 days newest first; --json gives the entries' JSON."""
    with HolderDevice.open(store_path) as device:
        device.record_presentation(reader_rpps="10000000001", elements=(2, 3), at=WHEN, now=WHEN)
        later = WHEN + timedelta(minutes=1)
        device.record_receipt(
            practitioner_rpps="10000000001", act="G", amount_cents=3000, at=later, now=later
        )
    now = "2026-03-09T09:30:00Z"
    code, out, _ = _invoke("history", "--store", str(store_path), "--now", now)
    assert code == 0
    assert out == (
        "2026-03-02T09:31:00Z  receipt       practitioner 10000000001  act G  30.00 EUR\n"
        "2026-03-02T09:30:00Z  presentation  reader 10000000001  "
        "elements: family_name, given_names\n"
    )
    code, out, _ = _invoke("history", "--store", str(store_path), "--now", now, "--json")
    assert [e["kind"] for e in json.loads(out)] == ["receipt", "presentation"]
    code, out, _ = _invoke("history", "--store", str(store_path), "--now", "2026-03-09T09:31:01Z")
    assert out == "no use of the card in the last 7 days\n"


def test_cli_status(store_path: Path) -> None:
    """Status: holder, tries, window, verifier costs (test-only set in this fixture)."""
    _invoke("unlock", "--store", str(store_path), "--code-stdin", "--now", T0, stdin="480715\n")
    code, out, _ = _invoke("status", "--store", str(store_path), "--now", "2026-03-02T09:30:30Z")
    assert code == 0
    assert out == (
        "holder: EXEMPLE Camille (synthetic)\n"
        "personal code: 5 of 5 tries left\n"
        "presentation: armed until 2026-03-02T09:31:00Z\n"
        "verifier: Argon2id m=32 KiB t=1 p=1\n"
    )


def test_cli_init_synthetic_applies_policy(tmp_path: Path) -> None:
    """VDC-PIN-008: the code is typed twice and checked; existing holders are kept."""
    store = str(tmp_path / "s.sqlite")
    code, _, err = _invoke(
        "init-synthetic", "--store", store, "--code-stdin", stdin="123456\n123456\n"
    )
    assert (code, err) == (1, "Error: personal code refused: digits in a straight run\n")
    code, _, err = _invoke(
        "init-synthetic", "--store", store, "--code-stdin", stdin="731904\n731905\n"
    )
    assert (code, err) == (1, "Error: the two entries of the personal code differ\n")
    code, out, _ = _invoke(
        "init-synthetic", "--store", store, "--code-stdin", stdin="731904\n731904\n"
    )
    assert (code, out) == (
        0,
        f"store {store}: synthetic holder EXEMPLE Camille (synthetic) ready\n",
    )
    code, _, err = _invoke(
        "init-synthetic", "--store", store, "--code-stdin", stdin="731904\n731904\n"
    )
    assert (code, err) == (1, f"Error: {store} already holds a holder (use --force)\n")


def test_cli_real_subprocess(tmp_path: Path) -> None:
    """The installed entry point in a real process: init, unlock, status (default costs)."""
    store = str(tmp_path / "real.sqlite")
    script = Path(sys.executable).with_name("vitale")
    assert script.exists(), "the vitale entry point is not installed next to the interpreter"
    vitale = [str(script)]
    env = dict(os.environ)

    def run(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*vitale, "holder", *args, "--store", store],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )

    assert run("init-synthetic", "--code-stdin", stdin="731904\n731904\n").returncode == 0
    wrong = run("unlock", "--code-stdin", stdin="731905\n")
    assert (wrong.returncode, wrong.stderr) == (1, "wrong personal code (63C4): 4 tries left\n")
    right = run("unlock", "--code-stdin", stdin="731904\n")
    assert right.returncode == 0
    assert right.stdout.startswith("unlocked: presentation armed until ")
    status = run("status", stdin="")
    assert status.stdout.splitlines()[1:2] == ["personal code: 5 of 5 tries left"]
    assert status.stdout.splitlines()[3] == "verifier: Argon2id m=65536 KiB t=3 p=4"
