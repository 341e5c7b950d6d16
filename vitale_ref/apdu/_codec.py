"""C-APDU and R-APDU encoding (ISO/IEC 7816-3 12.1, 7816-4 5.1; VDC-NFC-010..013).

A C-APDU is a four-byte header and a body whose shape (cases 1, 2S, 3S, 4S, 2E, 3E, 4E)
is decided from its length alone. Ne is an integer: an Le byte 00 means 256, an
extended Le 0000 means 65536, and an absent Le field is `None`.
"""

from __future__ import annotations

from dataclasses import dataclass

from vitale_ref.apdu._errors import ApduError
from vitale_ref.apdu._sw import SW

# The header is four unsigned bytes (ISO/IEC 7816-4 5.1), indexed directly by `parse`
# and `to_bytes`; a test checks them against a construct description of the format.
SHORT_MAX_NC = 255
SHORT_MAX_NE = 256
EXTENDED_MAX_NC = 65535
EXTENDED_MAX_NE = 65536
CHAINING_BIT = 0x10


def _length_error(message: str) -> ApduError:
    return ApduError(message, SW.WRONG_LENGTH)


@dataclass(frozen=True, kw_only=True)
class CommandApdu:
    """A parsed or to-be-built command APDU."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    ne: int | None = None
    extended: bool = False

    def __post_init__(self) -> None:
        if not (
            0 <= self.cla <= 0xFF
            and 0 <= self.ins <= 0xFF
            and 0 <= self.p1 <= 0xFF
            and 0 <= self.p2 <= 0xFF
        ):
            for name in ("cla", "ins", "p1", "p2"):
                if not 0 <= getattr(self, name) <= 0xFF:
                    raise ApduError(f"{name} is not a byte", SW.WRONG_LENGTH)
        max_nc = EXTENDED_MAX_NC if self.extended else SHORT_MAX_NC
        max_ne = EXTENDED_MAX_NE if self.extended else SHORT_MAX_NE
        if len(self.data) > max_nc:
            raise _length_error(f"Nc {len(self.data)} exceeds {max_nc}")
        if self.ne is not None and not 1 <= self.ne <= max_ne:
            raise _length_error(f"Ne {self.ne} outside 1..{max_ne}")

    @property
    def chained(self) -> bool:
        """CLA bit b5 (0x10): more commands of this chain follow (VDC-NFC-050)."""
        return bool(self.cla & CHAINING_BIT)

    @property
    def header(self) -> bytes:
        return bytes([self.cla, self.ins, self.p1, self.p2])

    def to_bytes(self) -> bytes:
        """Encode in the short form unless `extended` is set (VDC-NFC-011)."""
        body = b""
        if self.extended:
            if self.data:
                body += b"\x00" + len(self.data).to_bytes(2, "big") + self.data
            if self.ne is not None:
                le = (self.ne % EXTENDED_MAX_NE).to_bytes(2, "big")
                body += le if self.data else b"\x00" + le
        else:
            if self.data:
                body += bytes([len(self.data)]) + self.data
            if self.ne is not None:
                body += bytes([self.ne % SHORT_MAX_NE])
        return bytes((self.cla, self.ins, self.p1, self.p2)) + body

    @classmethod
    def parse(cls, raw: bytes) -> CommandApdu:
        """Decode strictly; any length inconsistency is ApduError with SW 6700."""
        if len(raw) < 4:
            raise _length_error(f"C-APDU of {len(raw)} bytes is shorter than its header")
        fields = (raw[0], raw[1], raw[2], raw[3])
        body = raw[4:]
        size = len(body)
        if size == 0:
            return cls._make(fields)
        if size == 1:
            return cls._make(fields, ne=body[0] or SHORT_MAX_NE)
        if body[0] != 0:
            nc = body[0]
            if size == 1 + nc:
                return cls._make(fields, data=body[1:])
            if size == 2 + nc:
                return cls._make(fields, data=body[1:-1], ne=body[-1] or SHORT_MAX_NE)
            raise _length_error(f"short Lc {nc} does not match a body of {size} bytes")
        return cls._parse_extended(fields, body)

    @classmethod
    def _make(
        cls,
        fields: tuple[int, int, int, int],
        data: bytes = b"",
        ne: int | None = None,
        extended: bool = False,
    ) -> CommandApdu:
        cla, ins, p1, p2 = fields
        return cls(cla=cla, ins=ins, p1=p1, p2=p2, data=data, ne=ne, extended=extended)

    @classmethod
    def _parse_extended(cls, fields: tuple[int, int, int, int], body: bytes) -> CommandApdu:
        size = len(body)
        if size == 3:
            ne = int.from_bytes(body[1:3], "big") or EXTENDED_MAX_NE
            return cls._make(fields, data=b"", ne=ne, extended=True)
        if size < 3:
            raise _length_error(f"extended length field truncated ({size} bytes)")
        nc = int.from_bytes(body[1:3], "big")
        if nc == 0:
            raise _length_error("extended Lc of zero")
        if size == 3 + nc:
            return cls._make(fields, data=body[3:], extended=True)
        if size == 5 + nc:
            ne = int.from_bytes(body[-2:], "big") or EXTENDED_MAX_NE
            return cls._make(fields, data=body[3:-2], ne=ne, extended=True)
        raise _length_error(f"extended Lc {nc} does not match a body of {size} bytes")


@dataclass(frozen=True, kw_only=True)
class ResponseApdu:
    """A response: data field and the two status bytes."""

    data: bytes
    sw: int

    @property
    def sw1(self) -> int:
        return self.sw >> 8

    @property
    def sw2(self) -> int:
        return self.sw & 0xFF

    @classmethod
    def parse(cls, raw: bytes) -> ResponseApdu:
        if len(raw) < 2:
            raise _length_error(f"R-APDU of {len(raw)} bytes has no status word")
        return cls(data=raw[:-2], sw=int.from_bytes(raw[-2:], "big"))


def status(sw: int, data: bytes = b"") -> bytes:
    """Encoded R-APDU."""
    return data + sw.to_bytes(2, "big")
