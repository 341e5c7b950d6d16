"""Primitives of VDC-SM: point encoding, ECDH, HKDF key schedule, raw ECDSA signatures."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from vitale_ref.ecdsa import sign_raw, verify_raw
from vitale_ref.sm._errors import SmError

POINT_SIZE = 65
KEY_SIZE = 32
LABEL_READER_AUTH = b"VDC-SM v1 reader authentication"
LABEL_DEVICE_AUTH = b"VDC-SM v1 device authentication"
LABEL_RECEIPT = b"VDC-SM v1 billing receipt"
INFO_READER_TO_DEVICE = b"VDC-SM v1 reader to device"
INFO_DEVICE_TO_READER = b"VDC-SM v1 device to reader"


def encode_point(key: ec.EllipticCurvePublicKey) -> bytes:
    """Uncompressed SEC1 point, 65 bytes (VDC-SM-002)."""
    return key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)


def decode_point(data: bytes) -> ec.EllipticCurvePublicKey:
    """A P-256 public key from its uncompressed encoding; off-curve points are refused."""
    if len(data) != POINT_SIZE or data[0] != 0x04:
        raise SmError("ephemeral key is not a 65-byte uncompressed P-256 point")
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), data)
    except ValueError as error:
        raise SmError("ephemeral key is not a point of P-256") from error


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


@dataclass(frozen=True, kw_only=True)
class SessionKeys:
    """One AES-256-GCM key per direction (VDC-SM-020)."""

    reader_to_device: bytes
    device_to_reader: bytes

    def to_hex(self) -> str:
        return f"{self.reader_to_device.hex()}:{self.device_to_reader.hex()}"

    @classmethod
    def from_hex(cls, text: str) -> SessionKeys:
        """Parse `RD:DR`, two 32-byte keys in hexadecimal."""
        parts = text.strip().split(":")
        try:
            keys = [bytes.fromhex(part) for part in parts]
        except ValueError as error:
            raise SmError("session keys must be hexadecimal") from error
        if len(keys) != 2 or any(len(key) != KEY_SIZE for key in keys):
            raise SmError("session keys must be two 32-byte keys written RD:DR")
        return cls(reader_to_device=keys[0], device_to_reader=keys[1])


def derive_keys(
    private: ec.EllipticCurvePrivateKey, peer: ec.EllipticCurvePublicKey, transcript_hash: bytes
) -> SessionKeys:
    """ECDH shared secret, then HKDF-SHA256 salted with the transcript hash (VDC-SM-020)."""
    secret = private.exchange(ec.ECDH(), peer)

    def expand(info: bytes) -> bytes:
        return HKDF(hashes.SHA256(), KEY_SIZE, transcript_hash, info).derive(secret)

    return SessionKeys(
        reader_to_device=expand(INFO_READER_TO_DEVICE),
        device_to_reader=expand(INFO_DEVICE_TO_READER),
    )


def sign(key: ec.EllipticCurvePrivateKey, label: bytes, message: bytes) -> bytes:
    """Deterministic ECDSA P-256 / SHA-256 (RFC 6979) over label || message, as r || s
    (VDC-SM-004)."""
    return sign_raw(key, label + message)


def verify(key: ec.EllipticCurvePublicKey, signature: bytes, label: bytes, message: bytes) -> bool:
    """True when `signature` (r || s) is valid for label || message (VDC-SM-004)."""
    return verify_raw(key, label + message, signature)
