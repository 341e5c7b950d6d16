"""Seeded faults for the FCI, the device binding, the key schedule, the four exchanges of
a reader and reset (VDC-NFC-022, 120, 200, VDC-SM-020, VDC-HARN-006)."""

from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from conformance.driver.faults import fault, patch
from vitale_ref.holder import _session
from vitale_ref.reader import _session as reader_session
from vitale_ref.sm import Fci, SmIntegrityError, _channel


@fault(
    "holder-fci-buffer-size-2048",
    "the FCI announces a 2048-byte command buffer instead of 4096",
    "VDC-NFC-022",
    ("TC-NFC-033",),
)
def _fci_buffer() -> None:
    class Small(Fci):
        def encode(self) -> bytes:
            return Fci(
                versions=self.versions, device_key=self.device_key, max_command=2048
            ).encode()

    patch(_session, "Fci", Small)


@fault(
    "holder-signs-with-another-key",
    "the device signature is made with a key other than the one the credential binds",
    "VDC-NFC-120",
    ("TC-NFC-034", "TC-NFC-001"),
)
def _other_key() -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    real = _session.read

    def read(session: Any, **kwargs: Any) -> Any:
        credential = kwargs["credential"]

        class Swapped:
            device_key = other
            available = credential.available
            presentation = credential.presentation

        return real(session, **{**kwargs, "credential": Swapped()})

    patch(_session, "read", read)


@fault(
    "holder-keys-tolerate-no-salt",
    "a command sealed under keys derived without the transcript as salt is accepted too",
    "VDC-SM-020",
    ("TC-SM-010",),
)
def _no_salt() -> None:
    real_establish, real_open = _session.establish, _channel.SecureChannel.open_command
    secrets: dict[int, bytes] = {}

    def establish(session: Any, readers: Any, data: bytes, now: Any) -> Any:
        sw, body = real_establish(session, readers, data, now)
        if session.channel is not None:
            from vitale_ref.sm import Establish, decode_point

            point = decode_point(Establish.decode(data).reader_key)
            secret = session.ephemeral.exchange(ec.ECDH(), point)
            secrets[id(session.channel)] = HKDF(
                hashes.SHA256(), 32, None, b"VDC-SM v1 reader to device"
            ).derive(secret)
        return sw, body

    def open_command(self: Any, header: bytes, sealed: bytes) -> bytes:
        try:
            return bytes(real_open(self, header, sealed))
        except SmIntegrityError:
            key = secrets.get(id(self))
            if key is None:
                raise
            try:
                return AESGCM(key).decrypt(
                    _channel.nonce(self.counter), sealed, _channel.command_aad(header)
                )
            except (InvalidTag, ValueError):
                raise SmIntegrityError("command authentication failed") from None

    patch(_session, "establish", establish)
    patch(_channel.SecureChannel, "open_command", open_command)


@fault(
    "reader-extended-ne-256",
    "a reader using extended APDUs asks for 256 bytes at most and collects the rest with "
    "GET RESPONSE",
    "VDC-NFC-200",
    ("TC-NFC-042",),
)
def _ne_256() -> None:
    real = reader_session.ReaderSession._transmit

    def transmit(  # noqa: PLR0917 (the signature of the method it replaces)
        self: Any, cla: int, ins: Any, p1: int, data: bytes, ne: bool
    ) -> Any:
        extended = self._extended
        try:
            self._extended = False if len(data) <= 255 else extended
            return (yield from real(self, cla, ins, p1, data, ne))
        finally:
            self._extended = extended

    patch(reader_session.ReaderSession, "_transmit", transmit)


@fault(
    "driver-reset-keeps-the-holder",
    "reset forgets the personal code and the history but keeps the provisioned holder",
    "VDC-HARN-006",
    ("TC-HARN-010",),
)
def _reset_keeps_holder() -> None:
    from conformance.driver import Driver

    real = Driver.handle

    def handle(self: Any, operation: str, params: Any, transmit: Any) -> Any:
        kept = self._state.objects.get("holder")
        answer = real(self, operation, params, transmit)
        if operation == "reset" and kept is not None:
            self._state.objects["holder"] = kept
        return answer

    patch(Driver, "handle", handle)
