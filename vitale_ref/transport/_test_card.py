"""A minimal card for exercising transports without the holder core.

It knows the VDC AID and one command: SELECT of `F0 56 49 54 41 4C 45` answers 9000,
then ECHO (CLA 80, INS EE) returns its command data followed by 9000. Anything else is
6D00 (instruction not supported), a command before SELECT is 6985. It has the holder
core's shape (`respond(command, now)`, `reset()`), so a binding tested with it carries
the holder unchanged.
"""

from __future__ import annotations

from datetime import datetime

VDC_AID = bytes.fromhex("F0564954414C45")
SELECT_VDC = bytes.fromhex("00A4040007") + VDC_AID
ECHO_CLA_INS = b"\x80\xee"


def echo_command(data: bytes) -> bytes:
    """An ECHO command carrying `data` (short or extended Lc as needed)."""
    if len(data) <= 255:
        return ECHO_CLA_INS + b"\x00\x00" + bytes([len(data)]) + data
    # An oversized length is written modulo 2^16 on purpose: tests use it to build
    # commands no reader can carry.
    return ECHO_CLA_INS + b"\x00\x00\x00" + (len(data) & 0xFFFF).to_bytes(2, "big") + data


def _command_data(command: bytes) -> bytes:
    if len(command) <= 5:
        return b""
    if command[4] == 0 and len(command) >= 7:
        return command[7 : 7 + int.from_bytes(command[5:7], "big")]
    return command[5 : 5 + command[4]]


class LoopbackTestCard:
    """SELECT and ECHO; counts resets so tests can see power events."""

    def __init__(self) -> None:
        self.selected = False
        self.resets = 0
        self.commands = 0

    def reset(self) -> None:
        self.selected = False
        self.resets += 1

    def respond(self, command: bytes, now: datetime) -> bytes:
        self.commands += 1
        if command[:5] == SELECT_VDC[:5] and _command_data(command) == VDC_AID:
            self.selected = True
            return b"\x90\x00"
        if command[:2] == ECHO_CLA_INS:
            if not self.selected:
                return b"\x69\x85"
            return _command_data(command) + b"\x90\x00"
        return b"\x6d\x00"
