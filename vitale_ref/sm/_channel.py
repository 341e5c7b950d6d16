"""AES-256-GCM protection of command and response data (VDC-SM-030..036).

Both ends keep one exchange counter, starting at 1 after ESTABLISH SESSION. The command
of exchange n is sealed under the reader-to-device key and its response under the
device-to-reader key, both with nonce 00000000 || n (8 bytes, big-endian). The counter
is never sent: a replayed, reordered or dropped message is simply a wrong tag.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from vitale_ref.sm._crypto import SessionKeys
from vitale_ref.sm._errors import SmIntegrityError

TAG_SIZE = 16
MAX_COUNTER = 2**32
OK_SW = b"\x90\x00"


def nonce(counter: int) -> bytes:
    return bytes(4) + counter.to_bytes(8, "big")


def command_aad(header: bytes) -> bytes:
    """CLA (chaining bit cleared) INS P1 P2 of the logical command."""
    return bytes([header[0] & 0xEF]) + header[1:4]


class SecureChannel:
    """One side's view of the protected exchanges of a session."""

    def __init__(self, keys: SessionKeys) -> None:
        self.keys = keys
        self.counter = 1
        # One cipher object per direction for the whole session (VDC-SM-021).
        self._commands = AESGCM(keys.reader_to_device)
        self._responses = AESGCM(keys.device_to_reader)

    def _check_counter(self) -> None:
        if self.counter >= MAX_COUNTER:
            raise SmIntegrityError("exchange counter exhausted")

    def seal_command(self, header: bytes, plaintext: bytes) -> bytes:
        self._check_counter()
        return self._commands.encrypt(nonce(self.counter), plaintext, command_aad(header))

    def open_command(self, header: bytes, sealed: bytes) -> bytes:
        """Plaintext of the command of the current exchange, or SmIntegrityError."""
        self._check_counter()
        if len(sealed) < TAG_SIZE:
            raise SmIntegrityError("protected data shorter than the tag")
        try:
            return self._commands.decrypt(nonce(self.counter), sealed, command_aad(header))
        except InvalidTag as error:
            raise SmIntegrityError("command authentication failed") from error

    def seal_response(self, header: bytes, plaintext: bytes) -> bytes:
        return self._responses.encrypt(nonce(self.counter), plaintext, command_aad(header) + OK_SW)

    def open_response(self, header: bytes, sealed: bytes) -> bytes:
        if len(sealed) < TAG_SIZE:
            raise SmIntegrityError("protected response shorter than the tag")
        try:
            return self._responses.decrypt(nonce(self.counter), sealed, command_aad(header) + OK_SW)
        except InvalidTag as error:
            raise SmIntegrityError("response authentication failed") from error

    def advance(self) -> None:
        """End of an exchange whose command was authenticated."""
        self.counter += 1
