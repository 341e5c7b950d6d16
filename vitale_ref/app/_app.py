"""HolderApp: the holder device store joined to the NFC holder core, sans I/O.

The store (`vitale_ref.device`) holds what enrolment saved: the full presentation, the
device key, the personal-code counter with the presentation window, and the history.
The core (`vitale_ref.holder`) answers APDUs. The app gives the core the stored
credential and key (VDC-PIN-022), takes presence from the stored window at every command
(VDC-PIN-021), and files each event of a command in the history before that command's
response leaves (VDC-HIST-007, VDC-HIST-008).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Self

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from vitale_ref.apdu import SW, status
from vitale_ref.app._errors import AppError
from vitale_ref.credential import IssuedCredential, decode_credential, restore_issued
from vitale_ref.device import HolderDevice, TraceHook
from vitale_ref.device.events import record_holder_events
from vitale_ref.errors import VitaleError
from vitale_ref.holder import HolderCore, State
from vitale_ref.holder.adapters import IssuedCredentialSource, PkiReaderAuthority
from vitale_ref.randomness import RandomSource


class HolderApp:
    """The holder app over one device store; open with `HolderApp.open(...)`, then close."""

    def __init__(self, device: HolderDevice, core: HolderCore, issued: IssuedCredential) -> None:
        self._device = device
        self._core = core
        self.issued = issued

    @classmethod
    def open(
        cls,
        store_path: str | Path,
        *,
        random: RandomSource,
        reader_root: x509.Certificate,
        trace: TraceHook | None = None,
    ) -> HolderApp:
        """The app of the activated holder in `store_path`, trusting `reader_root`.

        Raises AppError if the store is missing, holds no activated holder, or holds a
        credential that is malformed or bound to another key than the stored one.
        """
        try:
            device = HolderDevice.open(store_path, create=False, trace=trace)
        except VitaleError as error:
            raise AppError(str(error)) from None
        try:
            issued, source = _credential(device)
            device.armed_until()  # VDC-PIN-024: a damaged window fails here, not mid-read
        except BaseException:
            device.close()
            raise
        core = HolderCore(
            credential=source,
            readers=PkiReaderAuthority(reader_root),
            random=random,
            # VDC-PIN-021: the window is read from the store at each command, so an
            # unlock or a wrong code typed in another process counts at once.
            presence_until=device.armed_until,
        )
        return cls(device, core, issued)

    @property
    def device(self) -> HolderDevice:
        return self._device

    @property
    def state(self) -> State:
        """The core's session state (IDLE, SELECTED, ...)."""
        return self._core.state

    def respond(self, command: bytes, now: datetime) -> bytes:
        """One R-APDU for one C-APDU; its events are in the history before it is returned.

        VDC-HIST-007: if an event cannot be filed, the response is withheld: the session
        ends and the answer is 6F00, so nothing leaves that the history does not show.
        VDC-HIST-008: events are drained from the core before filing, so none is filed
        twice; the core emits at most one per command, filed in one transaction.
        """
        response = self._core.respond(command, now)
        events = self._core.events()
        if not events:
            return response
        try:
            record_holder_events(self._device, events, now)
        except Exception:  # any store failure, typed or from SQLite: fail closed
            self._core.reset()
            return status(SW.NO_DIAGNOSIS)
        return response

    def reset(self) -> None:
        """Card reset or field off (the transport calls it)."""
        self._core.reset()

    def close(self) -> None:
        self._device.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _credential(device: HolderDevice) -> tuple[IssuedCredential, IssuedCredentialSource]:
    """VDC-PIN-022: the stored credential, checked against the stored device key."""
    try:
        stored = device.credential()
        key = device.device_key()
        issued = restore_issued(stored)
        bound = decode_credential(issued.credential).tbs.device_public_key
    except VitaleError as error:
        raise AppError(f"{device.path}: {error}") from None
    if _point(bound) != _point(key.public_key()):
        raise AppError(f"{device.path}: the credential is bound to another device key")
    return issued, IssuedCredentialSource(issued, key)


def _point(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
