"""The operator of an attended run: prompts out, answers in, each wait bounded.

The operator speaks on the controlling terminal (`/dev/tty`), or through the files named
by `VDC_OPERATOR_OUTPUT` (prompts, appended) and `VDC_OPERATOR_INPUT` (answers, one per
line, read as they are appended: a script or a named pipe can play the operator).
"""

from __future__ import annotations

import os
import select
import time
from pathlib import Path

INPUT_VARIABLE = "VDC_OPERATOR_INPUT"
OUTPUT_VARIABLE = "VDC_OPERATOR_OUTPUT"
TIMEOUT_VARIABLE = "VDC_OPERATOR_TIMEOUT"
DEFAULT_TIMEOUT = 120.0
MAX_ANSWER = 200
"""Longest answer line kept, in bytes (an operator types a letter or presses Enter)."""


class Operator:
    """One attended run's conversation with the operator."""

    def __init__(self) -> None:
        answers = os.environ.get(INPUT_VARIABLE)
        prompts = os.environ.get(OUTPUT_VARIABLE)
        try:
            if answers:
                self._in = os.open(answers, os.O_RDONLY | os.O_NONBLOCK)
            else:
                self._in = os.open("/dev/tty", os.O_RDWR | os.O_NONBLOCK | os.O_NOCTTY)
        except OSError as error:
            raise ValueError(
                f"the attended mode needs a terminal, or {INPUT_VARIABLE} naming the "
                f"operator's answers: {error.strerror}"
            ) from None
        self._out_path = Path(prompts) if prompts else None
        self._buffer = b""
        self.timeout = float(os.environ.get(TIMEOUT_VARIABLE) or DEFAULT_TIMEOUT)

    def say(self, text: str) -> None:
        """Show `text` to the operator."""
        line = f"[vitale conformance] {text}\n"
        if self._out_path is not None:
            with self._out_path.open("a", encoding="utf-8") as out:
                out.write(line)
        else:
            os.write(self._in, line.encode("utf-8"))

    def ask(self, question: str, timeout: float | None = None) -> str | None:
        """The operator's next line (stripped, lower case), or None after the timeout."""
        self.say(question)
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self._in], [], [], min(left, 0.1))
            chunk = os.read(self._in, 256) if ready else b""
            if not chunk:  # end of a file not yet appended to: wait and look again
                time.sleep(min(max(left, 0), 0.05))
                continue
            self._buffer = (self._buffer + chunk)[-MAX_ANSWER:]
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.decode("utf-8", "replace").strip().lower()

    def close(self) -> None:
        os.close(self._in)
