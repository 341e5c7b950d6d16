"""Answer-to-reset of the emulated card (VDC-TRN-010).

The ATR follows the form PC/SC readers build for contactless ISO/IEC 14443-4 cards:
TS = 3B, T0 = 8K (K historical bytes, TD1 follows), TD1 = 80 (TD2 follows, T=0 indicated),
TD2 = 01 (T=1 indicated), the historical bytes, then TCK, the exclusive-or of every byte
from T0 to the last historical byte. Offering T=1 lets pcscd carry extended APDUs.
"""

from __future__ import annotations

from functools import reduce

from vitale_ref.transport._errors import FramingError

MAX_HISTORICAL_BYTES = 15
DEFAULT_HISTORICAL_BYTES = b"VDC-HOLDER"


def build_atr(historical: bytes = DEFAULT_HISTORICAL_BYTES) -> bytes:
    """The ATR carrying `historical` (at most 15 bytes).

    >>> build_atr(b"").hex(" ")
    '3b 80 80 01 01'
    >>> build_atr(b"A" * 16)
    Traceback (most recent call last):
    ...
    vitale_ref.transport._errors.FramingError: historical bytes: 16 bytes, at most 15 allowed
    """
    if len(historical) > MAX_HISTORICAL_BYTES:
        raise FramingError(
            f"historical bytes: {len(historical)} bytes, at most {MAX_HISTORICAL_BYTES} allowed"
        )
    body = bytes([0x80 | len(historical), 0x80, 0x01]) + historical
    tck = reduce(lambda a, b: a ^ b, body, 0)
    return b"\x3b" + body + bytes([tck])


def historical_bytes(atr: bytes) -> bytes:
    """The historical bytes of an ATR made by `build_atr` (checked, including TCK).

    >>> historical_bytes(build_atr(b"VDC"))
    b'VDC'
    >>> historical_bytes(bytes.fromhex("3b8080010100"))
    Traceback (most recent call last):
    ...
    vitale_ref.transport._errors.FramingError: ATR: 6 bytes, expected 5
    """
    if len(atr) < 5 or atr[0] != 0x3B or atr[1] & 0xF0 != 0x80 or atr[2:4] != b"\x80\x01":
        raise FramingError(f"ATR: not in the expected form: {atr.hex()}")
    count = atr[1] & 0x0F
    if len(atr) != 5 + count:
        raise FramingError(f"ATR: {len(atr)} bytes, expected {5 + count}")
    if reduce(lambda a, b: a ^ b, atr[1:], 0) != 0:
        raise FramingError("ATR: check byte TCK does not match")
    return atr[4 : 4 + count]
