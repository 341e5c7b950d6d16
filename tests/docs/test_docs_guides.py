"""Every shell command of the guides is run, with the output and exit status they show."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tools.docs.guides import Command, shell_blocks

GUIDES = Path(__file__).resolve().parents[2] / "docs" / "guides"
BLOCKS = [block for path in sorted(GUIDES.glob("*.md")) for block in shell_blocks(path)]
COMMANDS = [c for block in BLOCKS if "vdc-run" in block.classes for c in block.commands]


def test_every_shell_block_says_whether_it_is_run() -> None:
    assert len(BLOCKS) >= 6
    unmarked = [
        f"{b.guide}:{b.line}"
        for b in BLOCKS
        if ("vdc-run" in b.classes) == ("vdc-norun" in b.classes)
    ]
    assert unmarked == []
    assert {path.name for path in GUIDES.glob("*.md")} == {
        "reader-vendor.md",
        "app-developer.md",
        "auditor.md",
    }


@pytest.mark.parametrize("command", COMMANDS, ids=[f"{c.guide}:{c.line}" for c in COMMANDS])
def test_guide_command_runs(command: Command, tmp_path: Path) -> None:
    """Run in an empty folder, with the project's environment first on PATH."""
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        ["bash", "-c", command.text],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == command.exit_status, output
    for wanted in command.expect:
        assert wanted in output
