"""Holder profile: a command of four bytes, the header alone, is well formed
(ISO/IEC 7816-4 case 1; VDC-NFC-042).

A C-APDU with no Lc, no data and no Le passes the structure check: the holder goes on
through the order of checks of VDC-NFC-042 and answers the first later failure (the
class, the instruction, P1-P2, the state), not 6700.
"""

from __future__ import annotations

from collections.abc import Iterable

from conformance.adapters import IutBase
from conformance.cases.holder._reader import APDU_LEVEL, apdu_session
from conformance.catalogue import Param, tc
from conformance.outcomes import expect


def _headers() -> Iterable[Param]:
    yield "class-f0", ("F0CB0000", 0x6E00)
    yield "unknown-instruction", ("00B00000", 0x6D00)
    yield "read-elements-with-the-other-class", ("00CB0000", 0x6E00)
    yield "read-elements-p1-01", ("80CB0100", 0x6A86)
    yield "read-elements-before-select", ("80CB0000", 0x6985)
    yield "file-receipt-before-select", ("80DB0000", 0x6985)


@tc(
    "TC-NFC-105",
    title="A header-only command is well formed: the later checks answer it",
    purpose="Four-byte commands (no Lc, no data, no Le) sent to a holder with nothing "
    "selected: class F0 answers 6E00, INS B0 6D00, READ ELEMENTS with class 00 6E00, with "
    "P1 01 6A86, and READ ELEMENTS or FILE RECEIPT before SELECT 6985; none answers 6700, "
    "since a header alone is a valid APDU structure.",
    verifies=["VDC-NFC-042", "VDC-NFC-040"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned when it can be set up; nothing selected",
    expected="the status word of the first failing check, never 6700",
    operations=APDU_LEVEL,
    params=_headers,
)
def test_header_only(iut: IutBase, param: tuple[str, int]) -> None:
    command, sw = param
    response = apdu_session(iut)(bytes.fromhex(command))
    got = int.from_bytes(response[-2:], "big") if len(response) >= 2 else -1
    expect(
        got == sw and len(response) == 2,
        f"header-only command {command} answered another status word",
        expected=f"{sw:04X} without data",
        got=response.hex().upper(),
    )
