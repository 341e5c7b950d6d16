"""A small strict DER reader and writer for the VDC ASN.1 module.

Used for the reader-authorisation extension (VDC-PKI) and for credentials and status
lists (VDC-CRED). The reader accepts only the Distinguished Encoding Rules: definite,
minimal lengths; single-byte tags; primitive encodings for string types; minimal
INTEGERs; zero padding bits in BIT STRINGs; no trailing bytes. Every length is checked
against the bytes actually present before anything is sliced, so a length field that
claims gigabytes costs nothing (VDC-CRED-030).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from functools import lru_cache
from typing import NamedTuple

from vitale_ref.errors import VitaleError

MAX_DEPTH = 12
"""Deepest nesting of constructed values any VDC structure needs, plus margin."""

# Universal tags used by the VDC module (tag byte, including the constructed bit).
INTEGER = 0x02
BIT_STRING = 0x03
OCTET_STRING = 0x04
NULL = 0x05
OID = 0x06
UTF8_STRING = 0x0C
NUMERIC_STRING = 0x12
PRINTABLE_STRING = 0x13
GENERALIZED_TIME = 0x18
SEQUENCE = 0x30

_PRINTABLE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?")


class DerError(VitaleError, ValueError):
    """The bytes are not a DER encoding of the expected structure."""


class ConstraintError(DerError):
    """Well-formed DER whose value breaks a size, range or alphabet constraint."""


class Tlv(NamedTuple):
    """One decoded value: its tag byte, its content and its full encoding.

    A named tuple rather than a frozen dataclass: a presentation holds about a hundred
    values, and a tuple is built several times faster.
    """

    tag: int
    content: bytes
    encoding: bytes

    @property
    def constructed(self) -> bool:
        return bool(self.tag & 0x20)


def _read_length(data: bytes, pos: int, what: str) -> tuple[int, int]:
    if pos >= len(data):
        raise DerError(f"{what}: truncated before the length")
    first = data[pos]
    pos += 1
    if first < 0x80:
        return first, pos
    if first == 0x80:
        raise DerError(f"{what}: indefinite length is not DER")
    count = first & 0x7F
    if count > 4:
        raise DerError(f"{what}: length field of {count} bytes exceeds 4")
    if pos + count > len(data):
        raise DerError(f"{what}: truncated inside the length")
    value = int.from_bytes(data[pos : pos + count], "big")
    if data[pos] == 0 or value < 0x80:
        raise DerError(f"{what}: long-form length where the short or shorter form is required")
    return value, pos + count


def _fast_tlv(data: bytes, pos: int) -> tuple[Tlv, int] | None:
    """The common well-formed cases, decoded without building any error label.

    Returns None for anything else (including every malformed input): the caller then
    takes the full path, which names the problem. Accepts exactly what `read_tlv` accepts
    for a single-byte tag and a length in the short form or in one or two minimal bytes.
    """
    size = len(data)
    if pos + 1 >= size:
        return None
    tag = data[pos]
    if tag & 0x1F == 0x1F:
        return None
    first = data[pos + 1]
    if first < 0x80:
        start = pos + 2
        end = start + first
    elif first == 0x81 and pos + 2 < size and data[pos + 2] >= 0x80:
        start = pos + 3
        end = start + data[pos + 2]
    elif first == 0x82 and pos + 3 < size and data[pos + 2]:
        start = pos + 4
        end = start + (data[pos + 2] << 8 | data[pos + 3])
    else:
        return None
    if end > size:
        return None
    return Tlv(tag, data[start:end], data[pos:end]), end


def read_tlv(data: bytes, pos: int = 0, what: str = "value") -> tuple[Tlv, int]:
    """Decode the value starting at `pos`; return it and the position after it."""
    fast = _fast_tlv(data, pos)
    return fast if fast is not None else _read_tlv_checked(data, pos, what)


def _read_tlv_checked(data: bytes, pos: int, what: str) -> tuple[Tlv, int]:
    """Every rule checked in order, so the error names the first problem."""
    if pos >= len(data):
        raise DerError(f"{what}: truncated before the tag")
    tag = data[pos]
    if tag & 0x1F == 0x1F:
        raise DerError(f"{what}: multi-byte tag 0x{tag:02x} is not used by VDC")
    length, start = _read_length(data, pos + 1, what)
    if length > len(data) - start:
        raise DerError(f"{what}: length {length} exceeds the {len(data) - start} bytes present")
    end = start + length
    return Tlv(tag, data[start:end], data[pos:end]), end


def decode_one(data: bytes, what: str = "value") -> Tlv:
    """Exactly one value, with no trailing bytes."""
    tlv, end = read_tlv(data, 0, what)
    if end != len(data):
        raise DerError(f"{what}: {len(data) - end} trailing bytes after the value")
    return tlv


class Reader:
    """Reads the components of one constructed value in order."""

    def __init__(self, tlv: Tlv, what: str, depth: int = 0) -> None:
        if not tlv.constructed:
            raise DerError(f"{what}: expected a constructed value, found tag 0x{tlv.tag:02x}")
        if depth > MAX_DEPTH:
            raise DerError(f"{what}: nesting deeper than {MAX_DEPTH}")
        self._data = tlv.content
        self._pos = 0
        self.what = what
        self.depth = depth

    def at_end(self) -> bool:
        return self._pos >= len(self._data)

    def peek_tag(self) -> int | None:
        return None if self.at_end() else self._data[self._pos]

    def read(self, tag: int, name: str) -> Tlv:
        """The next component, which must carry `tag`."""
        data = self._data
        pos = self._pos
        if pos < len(data) and data[pos] == tag:
            fast = _fast_tlv(data, pos)
            if fast is not None:
                self._pos = fast[1]
                return fast[0]
        # Anything unusual or wrong: the full path, which labels the error.
        return self._read_labelled(tag, name)

    def _read_labelled(self, tag: int, name: str) -> Tlv:
        what = f"{self.what}.{name}"
        if self.at_end():
            raise DerError(f"{what}: missing")
        tlv, self._pos = read_tlv(self._data, self._pos, what)
        if tlv.tag != tag:
            raise DerError(f"{what}: expected tag 0x{tag:02x}, found 0x{tlv.tag:02x}")
        return tlv

    def nested(self, tag: int, name: str) -> Reader:
        """The next component as a reader of its own components."""
        return Reader(self.read(tag, name), f"{self.what}.{name}", self.depth + 1)

    def items(self, tag: int, name: str, max_items: int) -> Iterator[Tlv]:
        """Every remaining component, each with `tag`, at most `max_items`."""
        count = 0
        data = self._data
        while self._pos < len(data):
            count += 1
            if count > max_items:
                raise ConstraintError(f"{self.what}: more than {max_items} {name} items")
            fast = _fast_tlv(data, self._pos) if data[self._pos] == tag else None
            if fast is None:
                yield self._read_labelled(tag, f"{name}[{count - 1}]")
            else:
                self._pos = fast[1]
                yield fast[0]

    def finish(self) -> None:
        if not self.at_end():
            raise DerError(f"{self.what}: unexpected component after the last field")


# --- primitive decoders -------------------------------------------------------------


def parse_integer(tlv: Tlv, what: str, low: int, high: int) -> int:
    content = tlv.content
    if not content:
        raise DerError(f"{what}: empty INTEGER")
    if len(content) > 1 and (
        (content[0] == 0 and content[1] < 0x80) or (content[0] == 0xFF and content[1] >= 0x80)
    ):
        raise DerError(f"{what}: INTEGER not in its shortest form")
    if len(content) > 9:
        raise ConstraintError(f"{what}: INTEGER of {len(content)} bytes is out of range")
    value = int.from_bytes(content, "big", signed=True)
    if not low <= value <= high:
        raise ConstraintError(f"{what}: {value} is outside {low}..{high}")
    return value


def parse_octets(tlv: Tlv, what: str, low: int, high: int) -> bytes:
    if not low <= len(tlv.content) <= high:
        size = f"{low}" if low == high else f"{low}..{high}"
        raise ConstraintError(f"{what}: {len(tlv.content)} bytes where {size} are required")
    return tlv.content


def parse_utf8(tlv: Tlv, what: str, low: int, high: int) -> str:
    if len(tlv.content) > 4 * high:
        raise ConstraintError(f"{what}: longer than {high} characters")
    try:
        text = tlv.content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DerError(f"{what}: invalid UTF-8 at byte {error.start}") from None
    if not low <= len(text) <= high:
        raise ConstraintError(f"{what}: {len(text)} characters where {low}..{high} are allowed")
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in text):
        raise ConstraintError(f"{what}: control character")
    return text


def parse_numeric(tlv: Tlv, what: str, low: int, high: int) -> str:
    text = tlv.content.decode("latin-1")
    if not low <= len(text) <= high or not text.isascii() or not text.isdigit():
        size = f"{low}" if low == high else f"{low}..{high}"
        raise ConstraintError(f"{what}: expected {size} decimal digits")
    return text


def parse_printable(tlv: Tlv, what: str, low: int, high: int) -> str:
    text = tlv.content.decode("latin-1")
    if not low <= len(text) <= high or not set(text) <= _PRINTABLE:
        raise ConstraintError(f"{what}: expected a PrintableString of {low}..{high} characters")
    return text


def _fraction_time(text: str) -> bool:
    """A DER GeneralizedTime with a fraction of a second (`YYYYMMDDHHMMSS.fZ`, the
    fraction without trailing zeros): valid DER that the VDC profile does not allow."""
    head, dot, tail = text.partition(".")
    return (
        len(head) == 14
        and head.isdigit()
        and dot == "."
        and len(tail) >= 2
        and tail.endswith("Z")
        and tail[:-1].isdigit()
        and not tail[:-1].endswith("0")
        and text.isascii()
    )


def parse_time(tlv: Tlv, what: str) -> datetime:
    text = tlv.content.decode("latin-1")
    if _fraction_time(text):  # VDC-CRED-012, VDC-CRED-032: a format error, not an encoding one
        raise ConstraintError(f"{what}: seconds without a fraction are required")
    if len(text) != 15 or text[-1] != "Z" or not text[:-1].isdigit() or not text.isascii():
        raise DerError(f"{what}: GeneralizedTime must be YYYYMMDDHHMMSSZ")
    # Fixed-width fields: with exactly 14 digits, strptime could only split them this way,
    # and datetime() refuses the same out-of-range fields (month 13, hour 24, 30 Feb...).
    try:
        return datetime(
            int(text[0:4]),
            int(text[4:6]),
            int(text[6:8]),
            int(text[8:10]),
            int(text[10:12]),
            int(text[12:14]),
            tzinfo=UTC,
        )
    except ValueError:
        raise DerError(f"{what}: {text} is not a calendar time") from None


def parse_oid(tlv: Tlv, what: str) -> str:
    content = tlv.content
    if not content or content[-1] & 0x80 or len(content) > 64:
        raise DerError(f"{what}: malformed OBJECT IDENTIFIER")
    arcs: list[int] = []
    value = 0
    for index, byte in enumerate(content):
        if value == 0 and byte == 0x80 and (index == 0 or not content[index - 1] & 0x80):
            raise DerError(f"{what}: OBJECT IDENTIFIER arc not in its shortest form")
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    first = min(arcs[0] // 40, 2)
    return ".".join(str(a) for a in [first, arcs[0] - 40 * first, *arcs[1:]])


def parse_bits(tlv: Tlv, what: str) -> tuple[bytes, int]:
    """BIT STRING content and its number of unused bits (which must be zero bits)."""
    content = tlv.content
    if not content or content[0] > 7 or (len(content) == 1 and content[0] != 0):
        raise DerError(f"{what}: malformed BIT STRING")
    unused = content[0]
    if unused and content[-1] & ((1 << unused) - 1):
        raise DerError(f"{what}: BIT STRING padding bits are not zero")
    return content[1:], unused


# --- writers -------------------------------------------------------------------------


def tlv(tag: int, content: bytes) -> bytes:
    length = len(content)
    if length < 0x80:
        return bytes([tag, length]) + content
    size = (length.bit_length() + 7) // 8
    return bytes([tag, 0x80 | size]) + length.to_bytes(size, "big") + content


def sequence(*parts: bytes, tag: int = SEQUENCE) -> bytes:
    return tlv(tag, b"".join(parts))


def integer(value: int, tag: int = INTEGER) -> bytes:
    if 0 <= value < 0x80:  # the common one-byte case, same bytes as below
        return bytes((tag, 1, value))
    size = max(1, (value + (value < 0)).bit_length() // 8 + 1)
    return tlv(tag, value.to_bytes(size, "big", signed=True))


def octets(value: bytes, tag: int = OCTET_STRING) -> bytes:
    return tlv(tag, value)


def utf8(value: str, tag: int = UTF8_STRING) -> bytes:
    return tlv(tag, value.encode("utf-8"))


def numeric(value: str, tag: int = NUMERIC_STRING) -> bytes:
    return tlv(tag, value.encode("ascii"))


def printable(value: str, tag: int = PRINTABLE_STRING) -> bytes:
    return tlv(tag, value.encode("ascii"))


def time(value: datetime, tag: int = GENERALIZED_TIME) -> bytes:
    moment = value.astimezone(UTC)
    if moment.year < 1000:  # strftime's %Y is not zero-padded there: keep its bytes
        return tlv(tag, moment.strftime("%Y%m%d%H%M%SZ").encode("ascii"))
    text = (
        f"{moment.year}{moment.month:02d}{moment.day:02d}"
        f"{moment.hour:02d}{moment.minute:02d}{moment.second:02d}Z"
    )
    return tlv(tag, text.encode("ascii"))


@lru_cache(maxsize=64)
def oid(dotted: str) -> bytes:
    """DER of an OBJECT IDENTIFIER (remembered: a handful of constant OIDs are written)."""
    arcs = [int(a) for a in dotted.split(".")]
    out = bytearray()
    for arc in [40 * arcs[0] + arcs[1], *arcs[2:]]:
        chunk = [arc & 0x7F]
        rest = arc >> 7
        while rest:
            chunk.append(0x80 | (rest & 0x7F))
            rest >>= 7
        out.extend(reversed(chunk))
    return tlv(OID, bytes(out))


def bits(value: bytes, unused: int = 0) -> bytes:
    return tlv(BIT_STRING, bytes([unused]) + value)
