"""Lines from an untrusted stream, bounded in bytes, and strict JSON numbers (VDC-HARN-901).

A peer that never writes a newline must not make its reader grow: `for line in stream`
and `readline()` without a limit keep everything up to the next newline. These helpers
read at most `limit` bytes at a time from a binary stream that offers `readline(size)`
(a pipe, `socket.makefile("rb")`, `sys.stdin.buffer`), and skip the rest of an over-long
line in bounded chunks, so that the next read starts at the next line.

>>> import io
>>> stream = io.BytesIO(b"short\\n" + b"x" * 10 + b"\\nnext\\n")
>>> read_line(stream, 8)
b'short\\n'
>>> read_line(stream, 8)
Traceback (most recent call last):
...
vitale_ref.lines.LineTooLongError: line longer than 8 bytes
>>> read_line(stream, 8)
b'next\\n'
>>> list(bounded_lines(io.BytesIO(b"abcdef\\ngh"), 4))
[b'abcd', b'gh']
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import NoReturn, Protocol


class LineSource(Protocol):
    """A binary stream read line by line (BufferedReader, socket file, BytesIO)."""

    def readline(self, size: int = -1, /) -> bytes: ...


class LineTooLongError(ValueError):
    """A line longer than the reader's bound; its rest has been skipped."""


SKIP_CHUNK = 1 << 16
"""Bytes read at a time while dropping the rest of an over-long line."""


def _skip_rest(stream: LineSource) -> None:
    """Read and drop the rest of the current line, SKIP_CHUNK bytes at a time."""
    while True:
        chunk = stream.readline(SKIP_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def read_line(stream: LineSource, limit: int) -> bytes:
    """The next line with its newline (at most `limit` bytes), or b"" at the end.

    A line longer than `limit` raises LineTooLongError once its rest has been read and
    dropped; the last line of a stream may lack its newline.
    """
    line = stream.readline(limit + 1)
    if len(line) > limit:
        if not line.endswith(b"\n"):
            _skip_rest(stream)
        raise LineTooLongError(f"line longer than {limit} bytes")
    return line


def bounded_lines(stream: LineSource, limit: int) -> Iterator[bytes]:
    """Every line without its newline, each cut to `limit` bytes, until the end."""
    while True:
        line = stream.readline(limit)
        if not line:
            return
        if line.endswith(b"\n"):
            yield line[:-1]
            continue
        if len(line) >= limit:
            _skip_rest(stream)
        yield line


def refuse_constant(name: str) -> NoReturn:
    """`json.loads(parse_constant=...)`: Infinity, -Infinity and NaN are not JSON (RFC 8259)."""
    raise ValueError(f"{name} is not a JSON number")


def finite(text: str) -> float:
    """`json.loads(parse_float=...)`: a number too large for a float (1e999) is refused.

    >>> finite("1.5")
    1.5
    >>> finite("1e999")
    Traceback (most recent call last):
    ...
    ValueError: 1e999 is out of range
    """
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


__all__ = [
    "LineSource",
    "LineTooLongError",
    "bounded_lines",
    "finite",
    "read_line",
    "refuse_constant",
]
