"""Data fields of the VDC commands and responses (VDC-NFC-022, VDC-NFC-023, VDC-SM-010, VDC-SM-040).

Every field is a strict BER-TLV string with its tags in a fixed order; anything else is
refused with a typed error, which the holder maps to SW 6A80.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from vitale_ref.apdu import AID, MAX_COMMAND_DATA, TlvError, encode_tlv, expect_tags, parse_tlvs
from vitale_ref.ecdsa import SIGNATURE_SIZE
from vitale_ref.sm._crypto import POINT_SIZE, sha256
from vitale_ref.sm._errors import SmError

MAX_CHAIN_CERTIFICATES = 3
MAX_REQUESTED = 32
MAX_ELEMENT_ID = 127
TAG_ELEMENT_LIST = 0x5C
TAG_PRESENTATION = 0x53
TAG_SIGNATURE = 0x9E
TAG_READER_CHAIN = 0xA2
TAG_READER_REFERENCE = 0x83
TAG_SIGNER_CHAIN = 0xA2
REFERENCE_SIZE = 8
"""Bytes of a certificate reference: a SHA-256 prefix (chapter "Protocol version 2")."""


def reference(data: bytes) -> bytes:
    """readerRef or signerRef: the first 8 bytes of SHA-256 over `data`."""
    return sha256(data)[:REFERENCE_SIZE]


def _values(data: bytes, tags: tuple[int, ...]) -> list[bytes]:
    try:
        return expect_tags(data, tags)
    except TlvError as error:
        raise SmError(str(error)) from error


@dataclass(frozen=True, kw_only=True)
class Fci:
    """SELECT response: versions, device ephemeral key, largest command data field."""

    versions: tuple[int, ...]
    device_key: bytes
    max_command: int = MAX_COMMAND_DATA

    def encode(self) -> bytes:
        proprietary = (
            encode_tlv(0x80, bytes(self.versions))
            + encode_tlv(0x81, self.device_key)
            + encode_tlv(0x82, self.max_command.to_bytes(2, "big"))
        )
        return encode_tlv(0x6F, encode_tlv(0x84, AID) + encode_tlv(0xA5, proprietary))

    @classmethod
    def decode(cls, data: bytes) -> Fci:
        (template,) = _values(data, (0x6F,))
        name, proprietary = _values(template, (0x84, 0xA5))
        if name != AID:
            raise SmError("FCI names another application")
        versions, key, limit = _values(proprietary, (0x80, 0x81, 0x82))
        if not versions or len(key) != POINT_SIZE or len(limit) != 2:
            raise SmError("FCI proprietary template malformed")
        return cls(
            versions=tuple(versions), device_key=key, max_command=int.from_bytes(limit, "big")
        )


def establish_version(data: bytes) -> int:
    """The version an ESTABLISH SESSION field asks for: its first TLV `80 01 vv`
    (VDC-NFC-072), read before the rest, whose layout depends on it."""
    if len(data) < 3 or data[0] != 0x80 or data[1] != 0x01:
        raise SmError("ESTABLISH SESSION does not begin with the version TLV 80 01")
    return data[2]


@dataclass(frozen=True, kw_only=True)
class Establish:
    """ESTABLISH SESSION data: version, reader ephemeral key, the reader chain (leaf
    first) or, in version 2, its reference (VDC-SM-060), signature."""

    version: int
    reader_key: bytes
    chain: tuple[bytes, ...]
    signature: bytes = b""
    reference: bytes = b""
    """readerRef sent instead of the chain (version 2); empty when the chain is sent."""

    def signed_part(self) -> bytes:
        """The fields the reader signature covers (everything before tag 9E)."""
        if self.reference:
            reader = encode_tlv(TAG_READER_REFERENCE, self.reference)
        else:
            reader = encode_tlv(TAG_READER_CHAIN, b"".join(self.chain))
        return encode_tlv(0x80, bytes([self.version])) + encode_tlv(0x81, self.reader_key) + reader

    def encode(self) -> bytes:
        return self.signed_part() + encode_tlv(TAG_SIGNATURE, self.signature)

    @classmethod
    def decode(cls, data: bytes) -> Establish:
        third = TAG_READER_CHAIN
        if establish_version(data) >= 2:  # the chain or its reference (VDC-SM-061)
            try:
                items = parse_tlvs(data)
            except TlvError as error:
                raise SmError(str(error)) from error
            if len(items) > 2 and items[2][0] == TAG_READER_REFERENCE:
                third = TAG_READER_REFERENCE
        version, key, chain, signature = _values(data, (0x80, 0x81, third, TAG_SIGNATURE))
        if len(version) != 1 or len(key) != POINT_SIZE or len(signature) != SIGNATURE_SIZE:
            raise SmError("ESTABLISH SESSION field of the wrong size")
        if third == TAG_READER_REFERENCE:
            if len(chain) != REFERENCE_SIZE:
                raise SmError(f"reader reference must be {REFERENCE_SIZE} bytes")
            return cls(
                version=version[0], reader_key=key, chain=(), signature=signature, reference=chain
            )
        try:
            items = parse_tlvs(chain)
        except TlvError as error:
            raise SmError(f"certificate chain: {error}") from error
        if not 1 <= len(items) <= MAX_CHAIN_CERTIFICATES or any(t != 0x30 for t, _ in items):
            raise SmError(f"certificate chain must hold 1 to {MAX_CHAIN_CERTIFICATES} certificates")
        certificates = tuple(encode_tlv(0x30, value) for _, value in items)
        return cls(version=version[0], reader_key=key, chain=certificates, signature=signature)


def encode_signer_chain(chain: bytes) -> bytes:
    """GET SIGNER CHAIN response plaintext: `A2 L chain` (VDC-NFC-073)."""
    return encode_tlv(TAG_SIGNER_CHAIN, chain)


def decode_signer_chain(data: bytes) -> tuple[bytes, ...]:
    """The DER certificates of a GET SIGNER CHAIN plaintext, leaf first (1 to 3)."""
    (chain,) = _values(data, (TAG_SIGNER_CHAIN,))
    try:
        items = parse_tlvs(chain)
    except TlvError as error:
        raise SmError(f"signer chain: {error}") from error
    if not 1 <= len(items) <= MAX_CHAIN_CERTIFICATES or any(t != 0x30 for t, _ in items):
        raise SmError(f"signer chain must hold 1 to {MAX_CHAIN_CERTIFICATES} certificates")
    return tuple(encode_tlv(0x30, value) for _, value in items)


def encode_request(element_ids: Sequence[int]) -> bytes:
    """READ ELEMENTS plaintext: tag list 5C of one-byte element identifiers."""
    return encode_tlv(TAG_ELEMENT_LIST, bytes(element_ids))


def decode_request(data: bytes) -> tuple[int, ...]:
    (ids,) = _values(data, (TAG_ELEMENT_LIST,))
    if not 1 <= len(ids) <= MAX_REQUESTED:
        raise SmError(f"request must name 1 to {MAX_REQUESTED} elements")
    if any(not 1 <= i <= MAX_ELEMENT_ID for i in ids) or len(set(ids)) != len(ids):
        raise SmError("element identifiers must be distinct and in 1..127")
    return tuple(ids)


def encode_read_response(presentation: bytes, signature: bytes) -> bytes:
    return encode_tlv(TAG_PRESENTATION, presentation) + encode_tlv(TAG_SIGNATURE, signature)


def decode_read_response(data: bytes) -> tuple[bytes, bytes]:
    presentation, signature = _values(data, (TAG_PRESENTATION, TAG_SIGNATURE))
    if len(signature) != SIGNATURE_SIZE:
        raise SmError("device signature must be 64 bytes")
    return presentation, signature


_TIME_FORMAT = "%Y%m%d%H%M%S"


@dataclass(frozen=True, kw_only=True)
class Receipt:
    """A billing receipt: when, which practitioner, which act, how much (VDC-SM-040)."""

    time: datetime
    rpps: str
    act: str
    amount_cents: int

    def __post_init__(self) -> None:
        if self.time.tzinfo is None:
            raise SmError("receipt time must be timezone-aware")
        if len(self.rpps) != 11 or not (self.rpps.isascii() and self.rpps.isdigit()):
            raise SmError("receipt RPPS must be 11 digits")
        if not 1 <= len(self.act) <= 16 or not (self.act.isascii() and self.act.isprintable()):
            raise SmError("receipt act code must be 1 to 16 printable ASCII characters")
        if not 0 <= self.amount_cents < 2**32:
            raise SmError("receipt amount out of range")

    def encode(self) -> bytes:
        stamp = self.time.astimezone(UTC).strftime(_TIME_FORMAT).encode("ascii")
        return (
            encode_tlv(0x80, stamp)
            + encode_tlv(0x81, self.rpps.encode("ascii"))
            + encode_tlv(0x82, self.act.encode("ascii"))
            + encode_tlv(0x83, self.amount_cents.to_bytes(4, "big"))
        )

    @classmethod
    def decode(cls, data: bytes) -> Receipt:
        stamp, rpps, act, amount = _values(data, (0x80, 0x81, 0x82, 0x83))
        if len(stamp) != 14 or len(amount) != 4:
            raise SmError("receipt time or amount of the wrong size")
        try:
            when = _receipt_time(stamp.decode("ascii"))
            return cls(
                time=when,
                rpps=rpps.decode("ascii"),
                act=act.decode("ascii"),
                amount_cents=int.from_bytes(amount, "big"),
            )
        except (UnicodeDecodeError, ValueError) as error:
            raise SmError(f"receipt field malformed: {error}") from error


def _receipt_time(text: str) -> datetime:
    """`text` read with _TIME_FORMAT, as strptime reads it.

    Fourteen ASCII digits can only split as four, then two per field, so a valid calendar
    time is built from fixed-width slices; anything else (and any out-of-range field) goes
    through strptime, which accepts and refuses the same and words the error.
    """
    if len(text) == 14 and text.isascii() and text.isdigit():
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
            pass
    return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)


def encode_signed_receipt(receipt: Receipt, signature: bytes, body: bytes | None = None) -> bytes:
    """`70 body || 9E signature`; `body` is `receipt.encode()` when the caller has it."""
    encoded = receipt.encode() if body is None else body
    return encode_tlv(0x70, encoded) + encode_tlv(TAG_SIGNATURE, signature)


def decode_signed_receipt(data: bytes) -> tuple[Receipt, bytes, bytes]:
    """(receipt, its encoded to-be-signed bytes, signature)."""
    body, signature = _values(data, (0x70, TAG_SIGNATURE))
    if len(signature) != SIGNATURE_SIZE:
        raise SmError("receipt signature must be 64 bytes")
    return Receipt.decode(body), body, signature
