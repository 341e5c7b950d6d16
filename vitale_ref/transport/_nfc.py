"""ISO-DEP over nfcpy: card emulation and a reader transport (VDC-TRN-030 to 039).

nfcpy's `udp` driver simulates the radio link over UDP datagrams, so a holder emulator
and a reader can meet on one machine; `usb[:…]` and `tty:…` paths reach real devices
(VDC-TRN-039). Card side: `NfcCardEmulator` listens as a Type A target through
`ContactlessFrontend.listen`, answers RATS (or lets the device's driver answer it with
the card's ATS) and runs an `IsoDepCard` over `exchange`, asking for waiting time
extensions while the handler works (VDC-TRN-038). Reader side: `NfcReaderTransport`
senses a Type A target, activates it as a Type 4A tag and sends APDUs with `transceive`.
On the udp link both keep their sockets on loopback (VDC-TRN-037); the driver alone
would bind the listening side to every interface.
"""

from __future__ import annotations

import socket
import time
from typing import Any

from vitale_ref.transport._errors import (
    ApduTooLongError,
    CardAbsentError,
    CardTimeoutError,
    ReaderNotFoundError,
    TransportError,
)
from vitale_ref.transport._isodep import MAX_COMMAND
from vitale_ref.transport._within import DEFAULT_TIMEOUT, within

DEFAULT_UDP = "udp:127.0.0.1:54321"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
IDLE_DEACTIVATION = 2.0
"""Seconds of reader silence after which the card leaves the field."""
WTX_AT_LEAST = 0.2
"""Seconds each waiting time extension asks for (VDC-TRN-038)."""
UNKNOWN_FSD_RATS = b"\xe0\x50"
"""RATS assumed when a device's driver answered it unseen: FSD 64 bytes, a safe size."""
DEVICE_PREFIXES = ("usb", "tty")


def _nfc() -> Any:
    try:
        import nfc
        import nfc.clf
        import nfc.tag
        import nfc.tag.tt4
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise TransportError("nfcpy is not installed: pip install 'vitale-ref[nfc]'") from error
    return nfc


def free_udp_port() -> int:
    """A UDP port free on the loopback interface now, for an emulated card and its reader."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def udp_endpoint(path: str) -> tuple[str, int]:
    """`udp[:HOST[:PORT]]` to a loopback (host, port); other hosts are refused.

    >>> udp_endpoint("udp")
    ('127.0.0.1', 54321)
    >>> udp_endpoint("udp:localhost:5000")
    ('127.0.0.1', 5000)
    >>> udp_endpoint("udp:192.0.2.1:5000")
    Traceback (most recent call last):
    ...
    vitale_ref.transport._errors.TransportError: nfc udp: only loopback is allowed, got '192.0.2.1'
    """
    parts = path.split(":")
    if parts[0] != "udp" or len(parts) > 3:
        raise TransportError(f"nfc path must be udp[:HOST[:PORT]], got {path!r}")
    host = parts[1] if len(parts) > 1 and parts[1] else "127.0.0.1"
    if host not in LOOPBACK and not host.startswith("127."):
        raise TransportError(f"nfc udp: only loopback is allowed, got {host!r}")
    port_text = parts[2] if len(parts) > 2 else "54321"
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise TransportError(f"nfc udp: bad port {port_text!r}")
    return ("127.0.0.1" if host == "localhost" else host, int(port_text))


def device_path(path: str) -> str:
    """A real nfcpy device path, `usb[:…]` or `tty:PORT[:DRIVER]` (VDC-TRN-039).

    >>> device_path("usb:054c:06c1")
    'usb:054c:06c1'
    >>> device_path("com1")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    vitale_ref.transport._errors.TransportError: nfc path must be udp..., got 'com1'
    """
    kind = path.split(":", 1)[0]
    if kind not in DEVICE_PREFIXES or (kind == "tty" and ":" not in path):
        raise TransportError(
            f"nfc path must be udp[:HOST[:PORT]], usb[:…] or tty:PORT[:DRIVER], got {path!r}"
        )
    return path


def open_frontend(path: str, *, listen: bool) -> Any:
    """nfcpy's ContactlessFrontend for `path`: the loopback-only udp link, or a device."""
    if path.split(":", 1)[0] == "udp":
        return _open(*udp_endpoint(path), listen=listen)
    nfc = _nfc()
    try:
        return nfc.ContactlessFrontend(device_path(path))
    except OSError as error:
        raise ReaderNotFoundError(
            f"no NFC device at {path}: {error.strerror or error} (is it attached, and "
            "readable by this user?)"
        ) from None


def _open(host: str, port: int, *, listen: bool) -> Any:
    """Open nfcpy's udp device with every socket it makes bound to loopback.

    The driver closes its socket whenever the field goes off and makes a new one, which
    it would bind to all interfaces when listening; both steps are replaced here.
    """
    nfc = _nfc()
    clf = nfc.ContactlessFrontend(f"udp:{host}:{port}")
    device = clf.device

    def create_socket() -> None:
        if device.socket is None:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            # VDC-TRN-037: loopback only, for the listening card and the reader alike.
            sock.bind((host, port) if listen else (host, 0))
            device.socket = sock
            device.sent_data = device.rcvd_data = 0

    def bound(_time_to_return: float) -> bool:
        return True

    def keep_listening() -> None:
        """A card keeps its socket between activations, so no request falls in a gap."""

    def close() -> None:
        if device.socket is not None:
            device.socket.close()
            device.socket = None

    if device.socket is not None:
        device.socket.close()
        device.socket = None
    device._create_socket = create_socket
    device._bind_socket = bound
    if listen:
        device.mute = keep_listening
        device.close = close
    create_socket()
    return clf


class NfcReaderTransport:
    """A reader through nfcpy: senses a Type 4A card, then `transmit` and `close`.

    `timeout` bounds each APDU exchange (VDC-TRN-023).
    """

    def __init__(
        self, path: str = DEFAULT_UDP, *, wait: float = 3.0, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        nfc = _nfc()
        self.timeout = timeout
        try:
            self._clf = open_frontend(path, listen=False)
        except OSError as error:
            raise ReaderNotFoundError(f"cannot open nfc device {path}: {error}") from None
        try:
            self.tag = self._sense(nfc, wait)
        except BaseException:
            self.close()
            raise

    def _sense(self, nfc: Any, wait: float) -> Any:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            found = self._clf.sense(nfc.clf.RemoteTarget("106A"), iterations=1)
            if found is not None and found.sel_res and found.sel_res[0] & 0x20:
                try:
                    tag = nfc.tag.activate(self._clf, found)
                except nfc.clf.CommunicationError as error:
                    raise CardAbsentError(f"card activation failed: {error!r}") from None
                if tag is None:  # nfcpy's answer to a card that did not answer RATS in time
                    raise CardAbsentError("card activation failed: no answer to RATS")
                return tag
        raise CardAbsentError(f"no ISO-DEP card answered within {wait:.1f} s")

    def transmit(self, command: bytes) -> bytes:
        """Send one command APDU, return the response APDU."""
        if len(command) > MAX_COMMAND:
            raise ApduTooLongError(
                f"command APDU of {len(command)} bytes exceeds the {MAX_COMMAND} bytes "
                "an ISO-DEP card accepts"
            )
        if self.tag is None:
            raise CardAbsentError("the card session is closed")
        nfc = _nfc()
        tag = self.tag
        try:
            # VDC-TRN-023: nfcpy waits as long as the card sends waiting-time extensions.
            response = within(
                self.timeout, lambda: tag.transceive(bytearray(command)), "the nfc card"
            )
        except (nfc.tag.tt4.Type4TagCommandError, nfc.clf.CommunicationError) as error:
            self.tag = None
            raise CardAbsentError(f"the card did not answer: {error}") from None
        except CardTimeoutError:
            self.tag = None
            raise
        return bytes(response)

    def close(self) -> None:
        """Field off: the card's session ends."""
        self.tag = None
        if self._clf is not None:
            self._clf.close()
            self._clf = None

    def __enter__(self) -> NfcReaderTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
