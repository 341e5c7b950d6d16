"""The shell commands of the guides, extracted so that a test runs each one.

A guide marks each shell block `{code-block} sh` with one class: `vdc-run` (each command
run by the tests on its own), `vdc-pcscd` (the block run by the tests as one script, in
the network namespace of a `pcscd` with the vpcd reader that the test starts) or
`vdc-norun` (needs hardware, is the build itself, or runs from the repository's root and
is run by a test of its own, as the JavaScript implementation's commands are by
tests/conformance/test_conformance_js.py). Under a command, the comment
`# expect: TEXT` requires TEXT in its output and `# exit: N` its exit status (0 when
absent; a `vdc-pcscd` script stops at the first command that fails).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

_BLOCK = re.compile(r"^(?P<fence>`{3,})(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=fence)\s*$", re.M | re.S)
_OPTION = re.compile(r"^:(?P<key>[a-z-]+):\s*(?P<value>.*)$")
SHELLS = ("sh", "bash", "console", "shell")
CLASSES = ("vdc-run", "vdc-pcscd", "vdc-norun")


@dataclass(frozen=True, kw_only=True)
class Command:
    """One command of a guide and what its output must show."""

    guide: str
    line: int
    text: str
    expect: tuple[str, ...] = ()
    exit_status: int = 0


@dataclass(kw_only=True)
class Block:
    guide: str
    line: int
    language: str
    classes: tuple[str, ...]
    commands: list[Command] = field(default_factory=list)


def _parse_body(guide: str, first_line: int, body: str) -> tuple[dict[str, str], list[Command]]:
    options: dict[str, str] = {}
    lines = body.splitlines()
    index = 0
    while index < len(lines) and (option := _OPTION.match(lines[index])):
        options[option["key"]] = option["value"]
        index += 1
    commands: list[Command] = []
    for offset, raw in enumerate(lines[index:], start=first_line + index):
        text = raw.strip()
        if not text:
            continue
        if text.startswith("# expect:") and commands:
            wanted = text.removeprefix("# expect:").strip()
            commands[-1] = replace(commands[-1], expect=(*commands[-1].expect, wanted))
        elif text.startswith("# exit:") and commands:
            status = int(text.removeprefix("# exit:").strip())
            commands[-1] = replace(commands[-1], exit_status=status)
        elif not text.startswith("#"):
            commands.append(Command(guide=guide, line=offset, text=text))
    return options, commands


def shell_blocks(path: Path) -> list[Block]:
    """Every fenced shell block of a MyST page, with its classes and commands."""
    text = path.read_text(encoding="utf-8")
    blocks = []
    for match in _BLOCK.finditer(text):
        info = match["info"].strip()
        language = info.removeprefix("{code-block}").strip() if info.startswith("{") else info
        if language not in SHELLS:
            continue
        line = text.count("\n", 0, match.start()) + 2
        options, commands = _parse_body(path.name, line, match["body"])
        blocks.append(
            Block(
                guide=path.name,
                line=line,
                language=language,
                classes=tuple(options.get("class", "").split()),
                commands=commands,
            )
        )
    return blocks
