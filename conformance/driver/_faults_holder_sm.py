"""Seeded faults in the holder's secure messaging and request decoding (VDC-SM-021..035,
VDC-NFC-023): each accepts one kind of wrongly protected or malformed command."""

from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from conformance.driver.faults import fault, patch
from vitale_ref.apdu import SW
from vitale_ref.holder import _session
from vitale_ref.sm import SmError, SmIntegrityError, _channel, _messages


def _opening(alternatives: Any) -> None:
    """`SecureChannel.open_command` that also accepts what `alternatives` opens."""
    real = _channel.SecureChannel.open_command

    def open_command(self: Any, header: bytes, sealed: bytes) -> bytes:
        try:
            return bytes(real(self, header, sealed))
        except SmIntegrityError:
            for key, counter, aad in alternatives(self, header):
                try:
                    return AESGCM(key).decrypt(_channel.nonce(counter), sealed, aad)
                except (InvalidTag, ValueError):
                    continue
            raise

    patch(_channel.SecureChannel, "open_command", open_command)


@fault(
    "holder-accepts-either-key",
    "a command sealed under the device-to-reader key is accepted too",
    "VDC-SM-021",
    ("TC-SM-010",),
)
def _either_key() -> None:
    _opening(
        lambda channel, header: [
            (channel.keys.device_to_reader, channel.counter, _channel.command_aad(header))
        ]
    )


@fault(
    "holder-counter-window",
    "a command sealed with the next exchange counter is accepted (a lost command tolerated)",
    "VDC-SM-031",
    ("TC-SM-010",),
)
def _counter_window() -> None:
    _opening(
        lambda channel, header: [
            (channel.keys.reader_to_device, channel.counter + 1, _channel.command_aad(header))
        ]
    )


@fault(
    "holder-aad-any-instruction",
    "the additional data of a command may carry the header of any VDC command",
    "VDC-SM-033",
    ("TC-SM-010",),
)
def _aad_any_instruction() -> None:
    _opening(
        lambda channel, header: [
            (channel.keys.reader_to_device, channel.counter, bytes([0x80, ins, 0, 0]))
            for ins in (0x86, 0xCB, 0xDB)
        ]
    )


@fault(
    "holder-aad-keeps-chaining-bit",
    "the additional data may also be the header with the chaining bit set",
    "VDC-SM-033",
    ("TC-SM-010",),
)
def _aad_chaining_bit() -> None:
    _opening(
        lambda channel, header: [
            (channel.keys.reader_to_device, channel.counter, bytes([0x90]) + header[1:4])
        ]
    )


@fault(
    "holder-accepts-plain-commands",
    "a READ ELEMENTS or FILE RECEIPT whose data is a plain request or receipt is processed",
    "VDC-SM-030",
    ("TC-SM-010", "TC-SM-011"),
)
def _plain_commands() -> None:
    def open_command(self: Any, header: bytes, sealed: bytes) -> bytes:
        try:
            return bytes(real(self, header, sealed))
        except SmIntegrityError:
            if sealed[:1] in (b"\x5c", b"\x70"):
                return sealed
            raise

    real = _channel.SecureChannel.open_command
    patch(_channel.SecureChannel, "open_command", open_command)


@fault(
    "holder-short-data-malformed",
    "protected data shorter than the tag is answered 6A80 and the session kept",
    "VDC-SM-034",
    ("TC-SM-010",),
)
def _short_data_malformed() -> None:
    real = _session.protected

    def protected(session: Any, header: bytes, data: bytes, inner: Any) -> Any:
        if session.channel is not None and len(data) < _channel.TAG_SIZE:
            return SW.INCORRECT_DATA, b""
        return real(session, header, data, inner)

    patch(_session, "protected", protected)


def _request_decoder(
    *, most: int = 32, low: int = 1, high: int = 127, distinct: bool = True, strict: bool = True
) -> None:
    def decode_request(data: bytes) -> tuple[int, ...]:
        if strict:
            (ids,) = _messages._values(data, (_messages.TAG_ELEMENT_LIST,))
        else:
            if data[:1] != b"\x5c" or len(data) < 2 or len(data) < 2 + data[1]:
                raise SmError("not a request")
            ids = data[2 : 2 + data[1]]
        if not (0 if most > 32 else 1) <= len(ids) <= most:
            raise SmError("request size")
        if any(not low <= i <= high for i in ids) or (distinct and len(set(ids)) != len(ids)):
            raise SmError("identifiers")
        return tuple(ids)

    patch(_session, "decode_request", decode_request)


@fault(
    "holder-request-33-identifiers",
    "READ ELEMENTS accepts 33 identifiers (and none)",
    "VDC-NFC-023",
    ("TC-NFC-023",),
)
def _request_33() -> None:
    _request_decoder(most=33)


@fault(
    "holder-request-duplicates",
    "READ ELEMENTS accepts a request naming an identifier twice",
    "VDC-NFC-023",
    ("TC-NFC-023",),
)
def _request_duplicates() -> None:
    _request_decoder(distinct=False)


@fault(
    "holder-request-any-byte",
    "READ ELEMENTS accepts identifiers 0 and 128..255",
    "VDC-NFC-023",
    ("TC-NFC-023",),
)
def _request_any_byte() -> None:
    _request_decoder(low=0, high=255)


@fault(
    "holder-request-first-tlv-only",
    "READ ELEMENTS reads the first TLV of the request and ignores what follows",
    "VDC-NFC-030",
    ("TC-NFC-023",),
)
def _request_first_tlv() -> None:
    _request_decoder(strict=False)
