"""On the real clock, an enrolled holder can be presented at once (VDC-CRED-012, VDC-PIN-022).

`vitale enrol` without `--now` follows the real clock (plus any fast-forward), so the
credential issued at activation is already valid when the holder unlocks and presents.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.app.app_support import ANSWERS, PIN
from vitale_ref.cli import main


@pytest.mark.parametrize("route", ["france-identite", "document"])
def test_enrolled_holder_presents_right_after_enrolment(tmp_path: Path, route: str) -> None:
    answers = tmp_path / "answers"
    answers.write_text("\n".join(ANSWERS[route]) + "\n", encoding="utf-8")
    store = str(tmp_path / "phone.db")
    runner = CliRunner()
    options = ["--route", route, "--answers", str(answers), "--fast-forward"]
    enrolled = runner.invoke(
        main, ["enrol", "--store", store, *options, "--verification-delay", "0"]
    )
    assert enrolled.exit_code == 0, enrolled.output
    unlocked = runner.invoke(main, ["holder", "unlock", "--store", store, "--code-stdin"], PIN)
    assert unlocked.exit_code == 0, unlocked.output
    presented = runner.invoke(main, ["present", "--store", store, "--reader", "pharmacist"])
    assert presented.exit_code == 0, presented.output
    assert "receipt acknowledged: yes" in presented.output
    assert "filed in the holder's history: 2 entries" in presented.output
