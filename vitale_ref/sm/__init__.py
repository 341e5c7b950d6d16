"""Session establishment and secure messaging of VDC (spec chapter VDC-SM)."""

from vitale_ref.sm._channel import TAG_SIZE, SecureChannel, nonce
from vitale_ref.sm._crypto import (
    LABEL_DEVICE_AUTH,
    LABEL_READER_AUTH,
    LABEL_RECEIPT,
    SessionKeys,
    decode_point,
    derive_keys,
    encode_point,
    sha256,
    sign,
    verify,
)
from vitale_ref.sm._errors import SmError, SmIntegrityError
from vitale_ref.sm._messages import (
    Establish,
    Fci,
    Receipt,
    decode_read_response,
    decode_request,
    decode_signed_receipt,
    encode_read_response,
    encode_request,
    encode_signed_receipt,
)
from vitale_ref.sm._transcript import (
    device_auth_message,
    reader_auth_message,
    receipt_message,
    session_hash,
)

__all__ = [
    "LABEL_DEVICE_AUTH",
    "LABEL_READER_AUTH",
    "LABEL_RECEIPT",
    "TAG_SIZE",
    "Establish",
    "Fci",
    "Receipt",
    "SecureChannel",
    "SessionKeys",
    "SmError",
    "SmIntegrityError",
    "decode_point",
    "decode_read_response",
    "decode_request",
    "decode_signed_receipt",
    "derive_keys",
    "device_auth_message",
    "encode_point",
    "encode_read_response",
    "encode_request",
    "encode_signed_receipt",
    "nonce",
    "reader_auth_message",
    "receipt_message",
    "session_hash",
    "sha256",
    "sign",
    "verify",
]
