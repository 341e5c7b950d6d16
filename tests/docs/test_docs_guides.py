"""Every shell command of the guides is run, with the output and exit status they show."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests._support import running_pcscd
from tools.docs.guides import CLASSES, Block, Command, shell_blocks

GUIDES = Path(__file__).resolve().parents[2] / "docs" / "guides"
BLOCKS = [block for path in sorted(GUIDES.glob("*.md")) for block in shell_blocks(path)]
COMMANDS = [c for block in BLOCKS if "vdc-run" in block.classes for c in block.commands]
PCSCD_BLOCKS = [block for block in BLOCKS if "vdc-pcscd" in block.classes]


def test_every_shell_block_says_whether_it_is_run() -> None:
    assert len(BLOCKS) >= 6
    unmarked = [
        f"{b.guide}:{b.line}" for b in BLOCKS if len([c for c in b.classes if c in CLASSES]) != 1
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
    result = subprocess.run(
        ["bash", "-c", command.text],
        cwd=tmp_path,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == command.exit_status, output
    for wanted in command.expect:
        assert wanted in output


def _environment() -> dict[str, str]:
    """The caller's environment with the project's executables first on PATH."""
    bin_dir = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}


def test_reader_vendor_guide_has_a_pcscd_block() -> None:
    assert [block.guide for block in PCSCD_BLOCKS] == ["reader-vendor.md"]


@pytest.mark.parametrize("block", PCSCD_BLOCKS, ids=[f"{b.guide}:{b.line}" for b in PCSCD_BLOCKS])
def test_guide_pcscd_block_runs(block: Block, tmp_path: Path) -> None:
    """The block as one `set -e` script inside the namespace of a pcscd with vpcd: every
    command succeeds and every expected text appears. Whatever the script left running
    (its background jobs, if it stopped early) is ended with its process group."""
    script = "set -e\n" + "\n".join(command.text for command in block.commands) + "\n"
    output_path = tmp_path / "output.txt"
    with running_pcscd() as (layout, _pid), open(output_path, "wb") as output:
        process = subprocess.Popen(
            ["nsenter", f"--net={layout.netns}", "bash", "-c", script],
            cwd=tmp_path,
            env=_environment(),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            status = process.wait(timeout=300)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
    text = output_path.read_text(encoding="utf-8", errors="replace")
    assert status == 0, text[-3000:]
    for command in block.commands:
        assert command.exit_status == 0, f"{command.text}: a pcscd block stops on a failure"
        for wanted in command.expect:
            assert wanted in text, f"{command.text}: {wanted!r} not in\n{text[-3000:]}"
