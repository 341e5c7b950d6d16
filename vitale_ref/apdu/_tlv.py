"""Strict BER-TLV (VDC-NFC-030): one- or two-byte tags, minimal definite lengths."""

from __future__ import annotations

from vitale_ref.apdu._errors import TlvError

MAX_LENGTH = 0xFFFF


def encode_tlv(tag: int, value: bytes) -> bytes:
    """One TLV with a minimal length field."""
    tag_bytes = tag.to_bytes(2 if tag > 0xFF else 1, "big")
    size = len(value)
    if size < 0x80:
        length = bytes([size])
    elif size <= 0xFF:
        length = bytes([0x81, size])
    elif size <= MAX_LENGTH:
        length = bytes([0x82]) + size.to_bytes(2, "big")
    else:
        raise TlvError(f"TLV value of {size} bytes is too long")
    return tag_bytes + length + value


def _read_tag(data: bytes, offset: int) -> tuple[int, int]:
    first = data[offset]
    if first & 0x1F != 0x1F:
        return first, offset + 1
    if offset + 1 >= len(data):
        raise TlvError("truncated tag")
    second = data[offset + 1]
    if second & 0x80 or second < 0x1F:
        raise TlvError("tags longer than two bytes or non-minimal tags are refused")
    return (first << 8) | second, offset + 2


def _read_length(data: bytes, offset: int) -> tuple[int, int]:
    if offset >= len(data):
        raise TlvError("truncated length")
    first = data[offset]
    if first < 0x80:
        return first, offset + 1
    count = first & 0x7F
    if count not in (1, 2):
        raise TlvError("length field must be 1 to 3 bytes")
    if offset + 1 + count > len(data):
        raise TlvError("truncated length")
    size = int.from_bytes(data[offset + 1 : offset + 1 + count], "big")
    if size < 0x80 or (count == 2 and size <= 0xFF):
        raise TlvError("non-minimal length encoding")
    return size, offset + 1 + count


def parse_tlvs(data: bytes) -> list[tuple[int, bytes]]:
    """Every TLV of `data` in order; trailing or missing bytes are an error."""
    items: list[tuple[int, bytes]] = []
    offset = 0
    while offset < len(data):
        tag, offset = _read_tag(data, offset)
        size, offset = _read_length(data, offset)
        if offset + size > len(data):
            raise TlvError(f"TLV {tag:02X} declares {size} bytes, {len(data) - offset} remain")
        items.append((tag, data[offset : offset + size]))
        offset += size
    return items


def expect_tags(data: bytes, tags: tuple[int, ...]) -> list[bytes]:
    """The values of exactly `tags`, in that order and nothing else."""
    items = parse_tlvs(data)
    found = tuple(tag for tag, _ in items)
    if found != tags:
        wanted = " ".join(f"{t:02X}" for t in tags)
        got = " ".join(f"{t:02X}" for t in found)
        raise TlvError(f"expected tags [{wanted}], got [{got}]")
    return [value for _, value in items]
