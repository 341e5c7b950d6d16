"""`vitale enrol` walks both routes to a saved holder (VDC-ENR-002, VDC-ENR-013, VDC-ENR-052).

CliRunner runs of both routes, the refusals a person can meet, a second phone, and one
real subprocess run whose saved holder `vitale holder unlock` then opens.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from vitale_ref.cli import main
from vitale_ref.device import HolderDevice
from vitale_ref.enrolment import EnrolmentStore
from vitale_ref.enrolment.samples import ALEX, CAMILLE

NOW = "2026-01-05T09:00:00Z"
PIN = "135790"
FI_INPUT = f"{CAMILLE.nir}\nios\n17\n2022-05-01\n{PIN}\n{PIN}\n"
DOC_ANSWERS = (
    f"{CAMILLE.nir}\nandroid\n14\n1\n000000\n@code\nblurred\n\nvideo\n{PIN}\n{PIN}\n{PIN}\n"
)


def _enrol(store: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(
        main,
        ["enrol", "--store", str(store), "--now", NOW, "--seed", "cli-test", *args],
        input=stdin,
    )
    return result.exit_code, result.output


def _answers(tmp_path: Path, text: str) -> str:
    path = tmp_path / "answers.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_france_identite_route_from_stdin(tmp_path: Path) -> None:
    """The FI route ends active at once with the holder saved in the device store."""
    store = tmp_path / "holder.db"
    code, output = _enrol(store, "--route", "france-identite", stdin=FI_INPUT)
    assert code == 0, output
    assert "France Identité confirmed your identity." in output
    assert output.rstrip().endswith(
        f"Active: EXEMPLE Camille (france-identite route), credential status index 0, "
        f"holder saved to {store}"
    )
    device = HolderDevice.open(store, now=__import__("datetime").datetime.fromisoformat(NOW))
    try:
        assert device.is_provisioned()
        assert len(device.credential()) > 100
    finally:
        device.close()


def test_document_route_from_answers(tmp_path: Path) -> None:
    """The document route: e-mailed code (one wrong), a blurred video retried, decision, unlock."""
    store = tmp_path / "holder.db"
    code, output = _enrol(
        store, "--route", "document", "--fast-forward", "--answers", _answers(tmp_path, DOC_ANSWERS)
    )
    assert code == 0, output
    assert "  [e-mail to camille.exemple@example.org] Your carte Vitale activation code" in output
    assert "  Wrong code, 2 tries left for this code." in output
    assert "Code accepted." in output
    assert output.count("Film the front and back of your document") == 2
    assert "Your digital carte Vitale is ready" in output
    assert "(fast-forward: the simulated clock moves 3 s on)" in output
    assert "Active: EXEMPLE Camille (document route)" in output


def test_rejected_decision_exits_1(tmp_path: Path) -> None:
    """A negative decision is e-mailed and ends the command with exit 1."""
    answers = _answers(tmp_path, DOC_ANSWERS.replace("000000\n", "").replace("blurred\n", ""))
    code, output = _enrol(
        tmp_path / "h.db",
        "--route",
        "document",
        "--fast-forward",
        "--decision",
        "reject",
        "--answers",
        answers,
    )
    assert code == 1
    assert "Your digital carte Vitale request was not accepted" in output
    assert output.rstrip().endswith(
        "Error: enrolment rejected: rejected: the document could not be verified"
    )


def test_verification_over_48_hours_expires(tmp_path: Path) -> None:
    """VDC-ENR-061: a decision later than 48 h is not applied; the enrolment expires."""
    answers = _answers(tmp_path, DOC_ANSWERS.replace("000000\n", "").replace("blurred\n", ""))
    code, output = _enrol(
        tmp_path / "h.db",
        "--route",
        "document",
        "--fast-forward",
        "--verification-delay",
        "172801",
        "--answers",
        answers,
    )
    assert code == 1
    assert output.rstrip().endswith("Error: enrolment expired: expired")


def test_person_without_carte_vitale_is_refused(tmp_path: Path) -> None:
    """VDC-ENR-010: one line naming the reason, exit 1, no traceback."""
    code, output = _enrol(tmp_path / "h.db", "--route", "document", stdin=f"{ALEX.nir}\n\n\n")
    assert code == 1
    assert output.rstrip().endswith("Error: no-carte-vitale: no carte Vitale exists for this NIR")
    assert "Traceback" not in output


def test_short_answers_file_is_reported(tmp_path: Path) -> None:
    code, output = _enrol(
        tmp_path / "h.db", "--route", "document", "--answers", _answers(tmp_path, CAMILLE.nir)
    )
    assert code == 1
    assert "Error: the answers file ended at the prompt 'Phone system (android/ios)'" in output


def test_second_phone_replaces_the_first(tmp_path: Path) -> None:
    """VDC-ENR-013: the second activation revokes the first credential in the service."""
    store = tmp_path / "holder.db"
    assert _enrol(store, "--route", "france-identite", stdin=FI_INPUT)[0] == 0
    code, output = _enrol(store, "--route", "france-identite", stdin=FI_INPUT)
    assert code == 0, output
    assert "replaced; its credential is revoked." in output
    assert "credential status index 1" in output
    service = EnrolmentStore(tmp_path / "holder.db.service.db")
    try:
        assert service.revoked_indices() == {0}
    finally:
        service.close()


def test_real_process_then_holder_unlock(tmp_path: Path) -> None:
    """A real `vitale` process enrols; `vitale holder unlock` opens the saved holder."""
    vitale = Path(sys.executable).with_name("vitale")
    store = tmp_path / "holder.db"
    answers = _answers(tmp_path, DOC_ANSWERS)
    run = subprocess.run(
        [
            str(vitale),
            "enrol",
            "--store",
            str(store),
            "--route",
            "document",
            "--fast-forward",
            "--answers",
            answers,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "Active: EXEMPLE Camille (document route)" in run.stdout
    unlock = subprocess.run(
        [str(vitale), "holder", "unlock", "--store", str(store), "--code-stdin"],
        input=f"{PIN}\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert unlock.returncode == 0, unlock.stderr
    assert unlock.stdout.startswith("unlocked: presentation armed until ")


def test_help_and_usage_errors() -> None:
    """`--help` lists the options; a bad option value is a usage error (exit 2)."""
    runner = CliRunner()
    shown = runner.invoke(main, ["enrol", "--help"])
    assert shown.exit_code == 0
    for option in ("--store", "--route", "--answers", "--fast-forward", "--verification-delay"):
        assert option in shown.output
    bad = runner.invoke(main, ["enrol", "--store", "x.db", "--route", "teleport"])
    assert bad.exit_code == 2
    assert "Invalid value for '--route'" in bad.output


def test_interrupted_run_and_cancel_previous(tmp_path: Path) -> None:
    """VDC-ENR-012, VDC-ENR-063: an unfinished enrolment blocks a new one until cancelled."""
    store = tmp_path / "holder.db"
    _killed_while_waiting(tmp_path, store)
    code, output = _enrol(store, "--route", "france-identite", stdin=FI_INPUT)
    assert code == 1
    assert output.rstrip().endswith(
        "Error: enrolment-in-progress: another enrolment for this NIR is in progress; "
        "run again with --cancel-previous to cancel it"
    )
    code, output = _enrol(store, "--route", "france-identite", "--cancel-previous", stdin=FI_INPUT)
    assert code == 0, output
    assert "cancelled." in output and "Active: EXEMPLE Camille" in output


def _killed_while_waiting(tmp_path: Path, store: Path) -> None:
    """An enrol process killed (SIGKILL) during the verification wait: it cannot cancel
    its enrolment, which stays in progress in the service database."""
    answers = _answers(tmp_path, f"{CAMILLE.nir}\nandroid\n14\n1\n@code\n\nphoto\n{PIN}\n{PIN}\n")
    vitale = str(Path(sys.executable).with_name("vitale"))
    options = ["--route", "document", "--answers", answers, "--verification-delay", "600"]
    process = subprocess.Popen(
        [vitale, "enrol", "--store", str(store), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if "Ctrl-C skips the wait" in line:
            break
    process.kill()
    process.communicate(timeout=30)
