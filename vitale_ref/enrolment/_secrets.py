"""The service key, kept outside the service database, and the sealed outbox (VDC-OTP-015).

The service stores each e-mailed code as HMAC-SHA256 under its service key
(VDC-OTP-007). A key stored next to those hashes protects nothing: whoever reads the
database tries the 10^6 codes under it in a fraction of a second. The key therefore
lives in the environment (`VDC_OTP_KEY`, 64 hexadecimal digits) or in its own file,
readable by its owner only, created with a fresh key on first use.

The outbox keeps every message until it is sent (VDC-ENR-081), and the code mail
carries the code. Bodies are therefore kept sealed with AES-256-GCM-SIV under a key
derived from the service key (HKDF-SHA256, info `VDC outbox v1`); the nonce is the start
of SHA-256 of the message id, and GCM-SIV stays safe if a nonce ever repeats. Reading
the database alone reveals neither a code nor the key.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCMSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from vitale_ref.enrolment._errors import EnrolmentError
from vitale_ref.enrolment._store import EnrolmentStoreError
from vitale_ref.private_files import PrivateFileError, require_private, write_private
from vitale_ref.randomness import RandomSource

KEY_VARIABLE = "VDC_OTP_KEY"
KEY_LENGTH = 32
_SEALED = "sealed-v1:"
_KEY_FILE_LIMIT = 256


class ServiceKeyError(EnrolmentError):
    """The service key is missing, malformed, or its file is open to others."""


def default_key_path(service_db: Path) -> Path:
    """Where the key of `service_db` lives unless told otherwise: beside it, own file."""
    return service_db.with_name(service_db.name + ".otp-key")


def _decode(text: str, where: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        key = b""
    if len(key) != KEY_LENGTH:
        raise ServiceKeyError(f"{where} must hold {KEY_LENGTH * 2} hexadecimal digits")
    return key


def load_service_key(
    path: Path, random: RandomSource, environment: Mapping[str, str] = os.environ
) -> bytes:
    """The service key: from $VDC_OTP_KEY, else from the private file `path`, made on
    first use from `random`."""
    if environment.get(KEY_VARIABLE):
        return _decode(environment[KEY_VARIABLE], f"${KEY_VARIABLE}")
    try:
        if not path.exists():
            write_private(path, random(KEY_LENGTH).hex().encode("ascii") + b"\n")
        require_private(path, "OTP key file")
        with open(path, "rb") as stream:
            data = stream.read(_KEY_FILE_LIMIT)
    except (PrivateFileError, OSError) as error:
        raise ServiceKeyError(str(error)) from None
    return _decode(data.decode("ascii", "replace"), f"OTP key file {path}")


class OutboxSeal:
    """Seals and opens outbox bodies under a key derived from the service key."""

    def __init__(self, service_key: bytes) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"VDC outbox v1")
        self._aead = AESGCMSIV(key.derive(service_key))

    def seal(self, message_id: str, body: str) -> str:
        nonce = hashlib.sha256(message_id.encode("utf-8")).digest()[:12]
        sealed = nonce + self._aead.encrypt(nonce, body.encode("utf-8"), None)
        return _SEALED + base64.b64encode(sealed).decode("ascii")

    def open(self, message_id: str, text: str) -> str:
        """The body of a sealed message; a body that does not open is damage."""
        try:
            if not text.startswith(_SEALED):
                raise ValueError("not sealed")
            sealed = base64.b64decode(text.removeprefix(_SEALED), validate=True)
            return self._aead.decrypt(sealed[:12], sealed[12:], None).decode("utf-8")
        except (ValueError, InvalidTag):
            raise EnrolmentStoreError(
                f"damaged service database: outbox message {message_id} does not open "
                "with the service key (another key, or a changed body)"
            ) from None
