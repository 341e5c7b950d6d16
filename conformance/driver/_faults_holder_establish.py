"""Seeded faults in the holder's reading of ESTABLISH SESSION (VDC-SM-002, 010, 011):
each accepts one kind of field or reader signature the table refuses."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from conformance.driver.faults import fault, patch
from vitale_ref.apdu import SW, encode_tlv, parse_tlvs
from vitale_ref.holder import _session
from vitale_ref.sm import LABEL_DEVICE_AUTH, LABEL_READER_AUTH, SmError, _crypto, _messages


@fault(
    "holder-establish-any-version",
    "ESTABLISH SESSION is accepted with a protocol version the FCI did not offer",
    "VDC-NFC-072",
    ("TC-SM-014",),
)
def _any_version() -> None:
    real = _session.establish

    def establish(session: Any, readers: Any, data: bytes, now: Any) -> Any:
        offered = session.offered
        session.offered = tuple(range(256))
        try:
            return real(session, readers, data, now)
        finally:
            session.offered = offered

    patch(_session, "establish", establish)


@fault(
    "holder-establish-signature-size-unchecked",
    "the reader signature TLV may be longer than 64 bytes (its first 64 bytes are used)",
    "VDC-SM-010",
    ("TC-SM-014",),
)
def _signature_size() -> None:
    real = _messages.Establish.decode.__func__  # type: ignore[attr-defined]

    def decode(cls: Any, data: bytes) -> Any:
        try:
            return real(cls, data)
        except SmError:
            values = _messages._values(data, (0x80, 0x81, 0xA2, 0x9E))
            if len(values[3]) <= 64:
                raise
            trimmed = data[: len(data) - len(values[3]) - 2] + b"\x9e\x40" + values[3][:64]
            return real(cls, trimmed)

    patch(_messages.Establish, "decode", classmethod(decode))


@fault(
    "holder-establish-trailing-tlvs-ignored",
    "TLVs after the reader signature in ESTABLISH SESSION are ignored",
    "VDC-SM-010",
    ("TC-SM-014",),
)
def _trailing_tlvs() -> None:
    real = _messages.Establish.decode.__func__  # type: ignore[attr-defined]

    def decode(cls: Any, data: bytes) -> Any:
        items = parse_tlvs(data)
        if len(items) > 4 and [tag for tag, _ in items[:4]] == [0x80, 0x81, 0xA2, 0x9E]:
            data = b"".join(encode_tlv(tag, value) for tag, value in items[:4])
        return real(cls, data)

    patch(_messages.Establish, "decode", classmethod(decode))


@fault(
    "holder-establish-four-certificates",
    "a reader chain of four certificates is accepted",
    "VDC-SM-010",
    ("TC-SM-014",),
)
def _four_certificates() -> None:
    patch(_messages, "MAX_CHAIN_CERTIFICATES", 4)


@fault(
    "holder-establish-compressed-point",
    "a compressed reader ephemeral key is accepted",
    "VDC-SM-002",
    ("TC-SM-014", "TC-SM-007"),
)
def _compressed_point() -> None:
    real = _crypto.decode_point

    def decode_point(data: bytes) -> Any:
        if len(data) == 33 and data[0] in (2, 3):
            return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), data)
        return real(data)

    real_decode = _messages.Establish.decode.__func__  # type: ignore[attr-defined]

    def decode(cls: Any, data: bytes) -> Any:
        key = _messages._values(data, (0x80, 0x81, 0xA2, 0x9E))[1]
        if len(key) != 33:
            return real_decode(cls, data)
        # Decode with a placeholder of the right size, then put the compressed key back.
        parsed = real_decode(cls, data.replace(b"\x81\x21" + key, b"\x81\x41" + bytes(65), 1))
        return _messages.Establish(
            version=parsed.version, reader_key=key, chain=parsed.chain, signature=parsed.signature
        )

    patch(_messages.Establish, "decode", classmethod(decode))
    patch(_session, "decode_point", decode_point)


@fault(
    "holder-reader-signature-label-unchecked",
    "the reader signature is also accepted under the device-authentication label",
    "VDC-SM-011",
    ("TC-SM-015",),
)
def _label_unchecked() -> None:
    real = _crypto.verify

    def verify(key: Any, signature: bytes, label: bytes, message: bytes) -> bool:
        if real(key, signature, label, message):
            return True
        return label == LABEL_READER_AUTH and bool(real(key, signature, LABEL_DEVICE_AUTH, message))

    patch(_session, "verify", verify)


@fault(
    "holder-reader-signature-previous-fci",
    "the reader signature may cover the FCI of the previous selection (a slow reader)",
    "VDC-SM-011",
    ("TC-SM-015",),
)
def _previous_fci() -> None:
    real_select = _session.select
    real_establish = _session.establish
    previous: list[bytes] = []

    def select(random: Any, data: bytes, *versions: Any) -> Any:
        outcome, session = real_select(random, data, *versions)
        if session is not None:
            previous.append(session.fci)
            del previous[:-2]
        return outcome, session

    def establish(session: Any, readers: Any, data: bytes, now: Any) -> Any:
        sw, body = real_establish(session, readers, data, now)
        if sw != SW.AUTH_FAILED or len(previous) < 2:
            return sw, body
        current = session.fci
        session.fci = previous[-2]
        try:
            sw, body = real_establish(session, readers, data, now)
        finally:
            session.fci = current
        return sw, body

    patch(_session, "select", select)
    patch(_session, "establish", establish)
