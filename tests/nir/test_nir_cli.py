"""`vitale nir check` and `vitale nir format` on good and junk input (VDC-NIR-003, 004, 017).

The in-process runner covers the exact lines; a real subprocess of the installed
`vitale` script proves that junk arguments end in a one-line reason and exit status 1,
with nothing on standard error.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from vitale_ref.cli.nir import command

VITALE = Path(sys.executable).with_name("vitale")
VALID = "295059912611113"  # synthetic
CORSICA = "185052A12345633"  # synthetic

# The bad-input list, with the line each must print.
JUNK = {
    "": "INVALID '': empty: a NIR has 15 characters",
    "\U0001f600": "INVALID '\\U0001f600': character U+1F600 at position 1 is not a digit",
    "185052a12345633": (
        "INVALID '185052a12345633': lower-case 'a' at position 7: write 2A and 2B in upper case"
    ),
    "2 95 05 99 126 111 13": (
        "INVALID '2 95 05 99 126 111 1'...: separator ' ' at position 2: "
        "write the NIR without separators"
    ),
    "2.95.05.99.126.111.13": (
        "INVALID '2.95.05.99.126.111.1'...: separator '.' at position 2: "
        "write the NIR without separators"
    ),
    "2950599126111": (
        "INVALID '2950599126111': 13 characters: the 2-digit key is missing (a NIR has 15)"
    ),
}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(command, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def test_check_valid_numbers() -> None:
    """Valid canonical numbers print OK with the display grouping, exit 0."""
    assert run("check", VALID, CORSICA) == (
        0,
        "OK 2 95 05 99 126 111 13\nOK 1 85 05 2A 123 456 33\n",
        "",
    )


def test_check_junk_one_line_each() -> None:
    """Each junk argument gets its reason on one line; one invalid argument means exit 1."""
    code, out, err = run("check", VALID, *JUNK)
    assert code == 1
    assert err == ""
    assert out.splitlines() == ["OK 2 95 05 99 126 111 13", *JUNK.values()]


def test_check_megabyte_argument() -> None:
    """VDC-NIR-004: a 1 MiB argument is refused by length and echoed truncated."""
    code, out, _ = run("check", "1" * (1 << 20))
    assert code == 1
    assert out == (
        "INVALID '11111111111111111111'...: 1048576 characters: a NIR has 15 "
        "(input longer than 32 is refused unread)\n"
    )


def test_format_tidies_human_entry() -> None:
    """VDC-NIR-019: format accepts separators and lower-case 2a, check does not."""
    assert run("format", "2 95 05 99 126 111 13", " 1-85-05-2a-123-456-33 ") == (
        0,
        "OK 2 95 05 99 126 111 13\nOK 1 85 05 2A 123 456 33\n",
        "",
    )
    code, out, _ = run("format", "2 95 05 99 126 111 14")
    assert (code, out) == (
        1,
        "INVALID '2 95 05 99 126 111 1'...: key 14 (positions 14-15) "
        "does not match positions 1-13\n",
    )


def test_usage_errors_exit_2() -> None:
    """No argument is a usage error, not a validation failure."""
    code, _, err = run("check")
    assert code == 2
    assert "Missing argument 'NIR...'" in err


def test_installed_script_on_junk() -> None:
    """The real `vitale` process: junk, non-UTF-8 bytes and the largest single argument
    the kernel passes (128 KiB; a 1 MiB argument is covered in-process above)."""
    assert VITALE.exists(), f"{VITALE} is not installed"
    largest = "7" * (128 * 1024 - 1)
    arguments: list[str | bytes] = [str(VITALE), "nir", "check", *JUNK, largest, b"\xff\xfe"]
    completed = subprocess.run(arguments, capture_output=True, timeout=60, check=False)
    assert completed.returncode == 1
    assert completed.stderr == b""
    assert completed.stdout.decode("ascii").splitlines() == [
        *JUNK.values(),
        "INVALID '77777777777777777777'...: 131071 characters: a NIR has 15 "
        "(input longer than 32 is refused unread)",
        "INVALID '\\udcff\\udcfe': character U+DCFF at position 1 is not a digit",
    ]


def test_installed_script_valid_and_help() -> None:
    """Exit 0 on valid numbers; --help works on the group and its commands."""
    completed = subprocess.run(
        [str(VITALE), "nir", "check", VALID], capture_output=True, timeout=60, check=False
    )
    assert (completed.returncode, completed.stdout) == (0, b"OK 2 95 05 99 126 111 13\n")
    helped = subprocess.run(
        [str(VITALE), "nir", "check", "--help"], capture_output=True, timeout=60, check=False
    )
    assert helped.returncode == 0
    assert b"Validate NIRs in canonical form." in helped.stdout
