"""Status words used by VDC (VDC-NFC-040): the table of spec/nfc.md as code.

Codes come from ISO/IEC 7816-4 clause 5.6; the meaning text is this project's own.
"""

from __future__ import annotations

from enum import IntEnum


class SW(IntEnum):
    """Every fixed status word the holder core may answer."""

    OK = 0x9000
    AUTH_FAILED = 0x6300
    WRONG_LENGTH = 0x6700
    LAST_COMMAND_EXPECTED = 0x6883
    CHAINING_NOT_SUPPORTED = 0x6884
    SECURITY_NOT_SATISFIED = 0x6982
    CONDITIONS_NOT_SATISFIED = 0x6985
    SM_DATA_INCORRECT = 0x6988
    INCORRECT_DATA = 0x6A80
    FUNCTION_NOT_SUPPORTED = 0x6A81
    NOT_FOUND = 0x6A82
    NOT_ENOUGH_MEMORY = 0x6A84
    WRONG_P1P2 = 0x6A86
    DATA_NOT_FOUND = 0x6A88
    INS_NOT_SUPPORTED = 0x6D00
    CLA_NOT_SUPPORTED = 0x6E00
    NO_DIAGNOSIS = 0x6F00


MEANINGS: dict[int, str] = {
    SW.OK: "success",
    SW.AUTH_FAILED: "reader authentication or receipt signature failed",
    SW.WRONG_LENGTH: "wrong length (Lc or Le field, or APDU structure)",
    SW.LAST_COMMAND_EXPECTED: "last command of the chain expected",
    SW.CHAINING_NOT_SUPPORTED: "command chaining not supported for this command",
    SW.SECURITY_NOT_SATISFIED: "holder presence not armed",
    SW.CONDITIONS_NOT_SATISFIED: "command not allowed in the current state",
    SW.SM_DATA_INCORRECT: "secure messaging integrity failure; session ended",
    SW.INCORRECT_DATA: "incorrect data field",
    SW.FUNCTION_NOT_SUPPORTED: "protocol version not offered by the holder",
    SW.NOT_FOUND: "application not found",
    SW.NOT_ENOUGH_MEMORY: "chained data beyond the holder's buffer",
    SW.WRONG_P1P2: "incorrect P1-P2",
    SW.DATA_NOT_FOUND: "no requested element may be disclosed",
    SW.INS_NOT_SUPPORTED: "instruction not supported",
    SW.CLA_NOT_SUPPORTED: "class not supported",
    SW.NO_DIAGNOSIS: "internal error, no precise diagnosis",
}


def sw_meaning(sw: int) -> str:
    """Readable meaning of a status word, including the 61XX and 6CXX families."""
    if sw in MEANINGS:
        return MEANINGS[sw]
    sw1, sw2 = sw >> 8, sw & 0xFF
    if sw1 == 0x61:
        return f"{sw2 or 256} more response bytes: send GET RESPONSE"
    if sw1 == 0x6C:
        return f"wrong Le: resend with Le = {sw2 or 256}"
    return "unknown status word"


def more_data(remaining: int) -> int:
    """61XX: XX is the remaining count, 00 when 256 or more remain (VDC-NFC-052)."""
    return 0x6100 | (remaining if remaining < 256 else 0)


def wrong_le(exact: int) -> int:
    """6CXX: XX is the exact length the command would return (VDC-NFC-053)."""
    return 0x6C00 | (exact & 0xFF)
