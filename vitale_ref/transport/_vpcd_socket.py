"""The vpcd card-side socket loop: a thin adapter around VirtualCard (VDC-TRN-003, 006, 007).

The card is the TCP client of vpcd. The loop connects, feeds received bytes to the
card, writes the card's answers, and connects again whenever the stream ends (pcscd
restarted, the reader was reset), until it is told to stop.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from vitale_ref.transport._card import VirtualCard
from vitale_ref.transport._errors import FramingError, TransportError

Connector = Callable[[], socket.socket]
"""Opens a new stream to vpcd (a plain TCP connect, or one made in a network namespace)."""

Status = Callable[[str], None]

DEFAULT_PORT = 35963
RECEIVE_SIZE = 0x10000 + 2
POLL_INTERVAL = 0.2
REAPPEAR_DELAY = 1.0
"""Seconds the card stays out of the reader after a connection ends (VDC-TRN-007): more
than two of pcscd's presence polls (0.4 s), so that pcscd sees the card leave and come
back, and keeps no state of the lost connection."""
_QUICKACK = getattr(socket, "TCP_QUICKACK", None)

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    """The clock of a transport at the edge of the system (cores get `now` passed in)."""
    return datetime.now(UTC)


def parse_endpoint(text: str, default_host: str = "127.0.0.1") -> tuple[str, int]:
    """`[HOST:]PORT` to (host, port).

    >>> parse_endpoint("35963")
    ('127.0.0.1', 35963)
    >>> parse_endpoint("localhost:35964")
    ('localhost', 35964)
    >>> parse_endpoint("x:99999")
    Traceback (most recent call last):
    ...
    vitale_ref.transport._errors.TransportError: port 99999 is outside 1..65535
    """
    host, _, port_text = text.rpartition(":")
    if not port_text.isdigit():
        raise TransportError(f"expected [HOST:]PORT, got {text!r}")
    port = int(port_text)
    if not 1 <= port <= 65535:
        raise TransportError(f"port {port} is outside 1..65535")
    return (host.strip("[]") or default_host, port)


def tcp_connector(host: str, port: int, timeout: float = 2.0) -> Connector:
    """A connector making a plain TCP connection to vpcd."""

    def connect() -> socket.socket:
        return socket.create_connection((host, port), timeout=timeout)

    return connect


class VpcdCardClient:
    """Runs a VirtualCard over vpcd connections until `stop()`."""

    def __init__(
        self,
        card: VirtualCard,
        connector: Connector,
        *,
        quickack: bool = True,
        clock: Callable[[], datetime] = utc_now,
        status: Status | None = None,
        retry_interval: float = 0.1,
        reappear_delay: float = REAPPEAR_DELAY,
    ) -> None:
        self.card = card
        self.connector = connector
        self.quickack = quickack and _QUICKACK is not None
        self.clock = clock
        self.status = status or (lambda message: log.info("%s", message))
        self.retry_interval = retry_interval
        self.reappear_delay = reappear_delay
        self.connections = 0
        self.connected = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> VpcdCardClient:
        """Run the loop in a daemon thread."""
        self._thread = threading.Thread(target=self.run, name="vpcd-card", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self) -> None:
        """Connect, serve, reconnect (VDC-TRN-007) until stopped."""
        waiting_reported = False
        while not self._stop.is_set():
            try:
                sock = self.connector()
            except OSError as error:
                if not waiting_reported:
                    self.status(f"waiting for vpcd ({error.strerror or error})")
                    waiting_reported = True
                self._stop.wait(self.retry_interval)
                continue
            waiting_reported = False
            self.connections += 1
            self.status("connected to vpcd")
            with sock:
                reason = self.serve(sock)
            self.connected.clear()
            self.status(f"disconnected from vpcd: {reason}")
            # VDC-TRN-007: connecting again at once can leave pcscd believing the reader
            # empty (vpcd drops the card after an APDU too long for its frame, and pcscd's
            # reset of the lost card fails); staying away makes a removal and an insertion.
            self._stop.wait(self.reappear_delay)

    def serve(self, sock: socket.socket) -> str:
        """Serve one connection; return why it ended."""
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(POLL_INTERVAL)
        self.card.new_connection()
        self.connected.set()
        while not self._stop.is_set():
            if self.quickack:
                # VDC-TRN-006: vpcd writes the length and the payload separately; without an
                # immediate ACK the second write waits for the delayed-ACK timer (~40 ms).
                sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)  # type: ignore[arg-type]
            try:
                data = sock.recv(RECEIVE_SIZE)
            except TimeoutError:
                owed = self.card.poll()  # VDC-TRN-013: a 1-byte command nothing followed
                if owed and not self._send(sock, owed):
                    return "send failed"
                continue
            except OSError as error:
                return f"receive failed: {error.strerror or error}"
            if not data:
                return "closed by the reader"
            try:
                answer = self.card.receive(data, self.clock())
            except FramingError as error:
                # VDC-TRN-005: a corrupt or oversized frame ends the connection, cleanly.
                return f"refused frame: {error}"
            if answer and not self._send(sock, answer):
                return "send failed"
        return "stopped"

    def _send(self, sock: socket.socket, data: bytes) -> bool:
        try:
            sock.sendall(data)
        except OSError as error:
            log.info("send to vpcd failed: %s", error.strerror or error)
            return False
        return True
