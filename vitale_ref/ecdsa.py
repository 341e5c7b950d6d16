"""Raw ECDSA P-256 signatures (r || s, 64 bytes) with SHA-256 (VDC-CRED-040, VDC-SM-004).

The one implementation behind credentials, status lists and the session signatures of
VDC-SM. Signing is deterministic (RFC 6979), which makes issued credentials and vectors
reproducible; the signature format has a single encoding, unlike DER Ecdsa-Sig-Value.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

SIGNATURE_SIZE = 64
_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
_DETERMINISTIC = ec.ECDSA(hashes.SHA256(), deterministic_signing=True)
_VERIFYING = ec.ECDSA(hashes.SHA256())


def sign_raw(key: ec.EllipticCurvePrivateKey, message: bytes) -> bytes:
    """Deterministic ECDSA (RFC 6979) over `message`, as r || s."""
    der_signature = key.sign(message, _DETERMINISTIC)
    r, s = decode_dss_signature(der_signature)
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def verify_raw(key: object, message: bytes, signature: bytes) -> bool:
    """True when `signature` is a valid r || s by the P-256 `key` over `message`."""
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        return False
    if len(signature) != SIGNATURE_SIZE:
        return False
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    if not (0 < r < _ORDER and 0 < s < _ORDER):
        return False
    try:
        key.verify(encode_dss_signature(r, s), message, _VERIFYING)
    except InvalidSignature:
        return False
    return True
