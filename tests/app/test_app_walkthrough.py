"""The walkthrough of the README without its traps.

A simulated wait counts down and Ctrl-C skips it; a bad answer is asked again; a walk
that stops half-way leaves no enrolment in progress; `present` shows session keys only
when asked and claims no revocation check for a refused read; `trace show` numbers the
APDUs of each command without overlap; `present` and `holder history` name the
elements alike.
"""

from __future__ import annotations

import itertools
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from tests.app.app_support import ANSWERS, ENROLLED_AT, PIN, enrol
from vitale_ref.cli import main
from vitale_ref.enrolment.samples import CAMILLE

VITALE = str(Path(sys.executable).with_name("vitale"))
NOW = ("--now", ENROLLED_AT.isoformat())


def _answers(tmp_path: Path, lines: list[str]) -> str:
    path = tmp_path / "answers.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_a_simulated_wait_counts_down_and_ctrl_c_skips_it(tmp_path: Path) -> None:
    """--verification-delay without --fast-forward slept in silence (48 h for 172801)."""
    answers = _answers(tmp_path, ANSWERS["document"])
    process = subprocess.Popen(
        [
            VITALE,
            "enrol",
            "--store",
            str(tmp_path / "h.db"),
            "--route",
            "document",
            *NOW,
            "--answers",
            answers,
            "--verification-delay",
            "3600",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    seen = []
    deadline = time.monotonic() + 60
    for line in process.stdout:
        seen.append(line)
        if "Ctrl-C skips the wait" in line or time.monotonic() > deadline:
            break
    process.send_signal(signal.SIGINT)
    rest, _ = process.communicate(timeout=60)
    output = "".join(seen) + rest
    assert process.returncode == 0, output
    assert "waiting 1 h 00 min for the simulated identity proofing; Ctrl-C skips the wait" in output
    assert "wait skipped: the simulated clock moves" in output
    assert "Active: EXEMPLE Camille (document route)" in output


def test_a_bad_answer_is_asked_again(tmp_path: Path) -> None:
    lines = ["12345", CAMILLE.nir, "windows", "ios", "seventeen", "17", "01/05/2022"]
    lines += ["2022-05-01", PIN, PIN]
    store = tmp_path / "h.db"
    result = CliRunner().invoke(
        main,
        [
            "enrol",
            "--store",
            str(store),
            "--route",
            "france-identite",
            *NOW,
            "--answers",
            _answers(tmp_path, lines),
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("please answer again.") == 4
    assert "'windows' is not one of ('android', 'ios'); please answer again." in result.output
    assert "Active: EXEMPLE Camille (france-identite route)" in result.output


def test_a_walk_that_stops_leaves_nothing_in_progress(tmp_path: Path) -> None:
    """One bad answer used to abort with the enrolment still in progress."""
    store = tmp_path / "h.db"
    short = _answers(tmp_path, [CAMILLE.nir, "ios", "17"])
    arguments = ["enrol", "--store", str(store), "--route", "france-identite", *NOW]
    stopped = CliRunner().invoke(main, [*arguments, "--answers", short])
    assert stopped.exit_code == 1
    assert re.search(r"Enrolment enr-\S+ cancelled: nothing is left in progress\.", stopped.output)
    again = CliRunner().invoke(
        main, [*arguments, "--answers", _answers(tmp_path, ANSWERS["france-identite"])]
    )
    assert again.exit_code == 0, again.output


def test_present_shows_session_keys_only_when_asked() -> None:
    runner = CliRunner()
    plain = runner.invoke(main, ["present"])
    assert plain.exit_code == 0
    assert "session keys" not in plain.output
    assert "(payloads under secure messaging; --show-keys decrypts them)" in plain.output
    shown = runner.invoke(main, ["present", "--show-keys"])
    assert "session keys (RD:DR): " in shown.output
    assert "> plaintext 5c0a" in shown.output


def test_a_refused_read_claims_no_revocation_check(tmp_path: Path) -> None:
    enrolled = enrol(tmp_path, "france-identite")
    result = CliRunner().invoke(
        main,
        [
            "present",
            "--store",
            str(enrolled.store),
            "--service-db",
            str(enrolled.service_db),
            "--now",
            ENROLLED_AT.isoformat(),
        ],
    )
    assert result.exit_code == 1
    assert "READ answered 6982" in result.output
    assert "revocation:" not in result.output


def test_trace_show_numbers_each_apdu_once(tmp_path: Path) -> None:
    """The receipt was shown as "APDU 7-13" over the read's "APDU 6-12"."""
    trace = tmp_path / "short.json"
    runner = CliRunner()
    assert runner.invoke(main, ["present", "--short", "--trace-out", str(trace)]).exit_code == 0
    shown = runner.invoke(main, ["trace", "show", str(trace)]).output
    spans = [
        (int(first), int(last or first))
        for first, last in re.findall(r"\(APDU (\d+)(?:-(\d+))?\)", shown)
    ]
    assert len(spans) >= 4
    assert spans[0][0] == 1
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert start == end + 1, shown
