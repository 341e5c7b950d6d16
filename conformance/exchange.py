"""The APDUs of a failing case's trace, decoded for a reader of the report.

A trace line holds a driver message as JSON (`holder.transmit` with its `apdu` and the
`response`; a reader under test's `transmit` callback and the suite's `response`) or an
`APDU HEX` line of a reader adapter. Each command becomes one step with its instruction
name and header, each response its status word and meaning (VDC-NFC-040), so that
"READ answered 6988" is read off the report instead of out of hexadecimal. The payloads
under secure messaging stay as they are: the suite shows their size, not their content.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from vitale_ref.apdu import NAMES, sw_meaning

_COMMAND_KEYS = ("apdu", "transmit")
_HEX = r'"{key}":\s*"(?P<hex>[0-9A-Fa-f]*)(?P<end>"?)'
_RAW = re.compile(r"^APDU (?P<hex>[0-9A-Fa-f]*)(?P<end>)")


@dataclass(frozen=True, kw_only=True)
class _Apdu:
    command: bool
    data: bytes
    complete: bool


def _found(key: str, text: str) -> re.Match[str] | None:
    return re.search(_HEX.format(key=key), text)


def _apdus(line: str) -> list[_Apdu]:
    direction, _, text = line.partition(" ")
    if direction not in (">", "<"):
        return []
    raw = _RAW.match(text)
    if raw is not None:  # a reader adapter: the suite sends commands, the card answers
        return [_Apdu(command=direction == ">", data=_hex(raw["hex"]), complete=True)]
    found = []
    for key in _COMMAND_KEYS:
        match = _found(key, text)
        if match is not None:
            found.append(_Apdu(command=True, data=_hex(match["hex"]), complete=bool(match["end"])))
    match = _found("response", text)
    if match is not None:
        found.append(_Apdu(command=False, data=_hex(match["hex"]), complete=bool(match["end"])))
    return found


def _hex(text: str) -> bytes:
    return bytes.fromhex(text[: len(text) - len(text) % 2])


def command_name(apdu: bytes) -> str:
    """The instruction's name (VDC-NFC-021), or its byte when VDC defines none."""
    if len(apdu) < 2:
        return "(shorter than a header)"
    name = next((label for ins, label in NAMES.items() if ins == apdu[1]), None)
    return name or f"INS {apdu[1]:02X}"


def _describe_command(apdu: _Apdu) -> str:
    header = apdu.data[:4].hex(" ").upper()
    chained = " chained" if apdu.data and apdu.data[0] & 0x10 else ""
    size = f"{len(apdu.data)} bytes" + ("" if apdu.complete else " shown, cut in the trace")
    return f"{command_name(apdu.data)}{chained} ({header}; {size})"


def _describe_response(apdu: _Apdu) -> str:
    if not apdu.complete:
        return f"status word cut from the trace ({len(apdu.data)} bytes shown)"
    if len(apdu.data) < 2:
        return f"no status word ({len(apdu.data)} bytes)"
    sw = int.from_bytes(apdu.data[-2:], "big")
    return f"{sw:04X} {sw_meaning(sw)} ({len(apdu.data) - 2} data bytes)"


def decode_exchange(trace: Sequence[str]) -> list[str]:
    """One line per APDU of `trace`: step number, command name and header, or status word."""
    lines: list[str] = []
    step = 0
    for line in trace:
        for apdu in _apdus(line):
            if apdu.command:
                step += 1
                lines.append(f"step {step}: command {_describe_command(apdu)}")
            else:
                lines.append(f"step {step}: response {_describe_response(apdu)}")
    return lines
