"""Side channel of an emulated card: set-up operations next to the APDU path (VDC-TRN-040).

Through a reader a test suite can only send APDUs, yet it must provision the holder,
arm the presentation and say which instant the card should take as `now`. The emulator
therefore serves, on a Unix socket (file system only, mode 0600), one JSON object per
line: a request `{"op": NAME, "params": {...}}` is answered `{"result": {...}}` or
`{"error": {"kind": KIND, "message": TEXT}}`. The operations are those of the driver
protocol (spec/harness.md) plus `transport.now`; the APDUs themselves never use it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vitale_ref.lines import LineTooLongError, finite, read_line, refuse_constant
from vitale_ref.transport._errors import TransportError

log = logging.getLogger(__name__)

MAX_LINE = 1 << 20
"""Longest request or answer line, in bytes."""

ControlHandler = Callable[[str, dict[str, Any]], dict[str, Any]]


class ControlError(TransportError):
    """The emulator answered a control request with an error of `kind`."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}" if message else kind)
        self.kind = kind
        self.message = message


def default_control_path() -> Path:
    """Where `tools/pcsc/start.sh --emulator` puts the emulator's control socket."""
    return Path(os.environ.get("VDC_PCSC_DIR", "/run/vdc-pcsc")) / "control.sock"


def _read_line(stream: Any) -> bytes:
    try:
        return read_line(stream, MAX_LINE)  # VDC-HARN-901: never more than MAX_LINE at once
    except LineTooLongError as error:
        raise ControlError("bad_request", str(error)) from None


def _decode(line: bytes) -> Any:
    """Strict JSON: UTF-8, finite numbers (ValueError), bounded nesting (RecursionError)."""
    return json.loads(line.decode("utf-8"), parse_constant=refuse_constant, parse_float=finite)


class ControlServer:
    """Serves `handler` on a Unix socket until `stop()`; one request at a time."""

    def __init__(self, path: Path, handler: ControlHandler) -> None:
        self.path = path
        self.handler = handler
        self._lock = threading.Lock()
        path.unlink(missing_ok=True)
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            self._socket.bind(str(path))
        finally:
            os.umask(old)
        self._socket.listen(4)
        self._socket.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="control", daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection, connection.makefile("rwb") as stream, contextlib.suppress(OSError):
            while (answer := self._next_answer(stream)) is not None:
                stream.write(_encode(answer))
                stream.flush()

    def _next_answer(self, stream: Any) -> dict[str, Any] | None:
        """The answer to the next request line; None when the client closed the stream."""
        try:
            line = _read_line(stream)
        except ControlError as error:  # an over-long line, skipped: serving goes on
            return {"error": {"kind": error.kind, "message": error.message}}
        return self._answer(line) if line else None

    def _answer(self, line: bytes) -> dict[str, Any]:
        try:
            request = _decode(line)
            op, params = request["op"], request.get("params", {})
            if not isinstance(op, str) or not isinstance(params, dict):
                raise ValueError
        except (ValueError, KeyError, TypeError, RecursionError):
            return {"error": {"kind": "bad_request", "message": "expected {op, params}"}}
        try:
            with self._lock:
                return {"result": self.handler(op, params)}
        except ControlError as error:
            return {"error": {"kind": error.kind, "message": error.message}}
        except Exception as error:  # the channel answers every request, even about a bug
            log.exception("control operation %s failed", op)
            return {"error": {"kind": "internal", "message": repr(error)[:200]}}

    def stop(self) -> None:
        self._stop.set()
        self._socket.close()
        self._thread.join(1.0)
        self.path.unlink(missing_ok=True)


def _encode(message: dict[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":")).encode() + b"\n"


class ControlClient:
    """The suite's end of the side channel."""

    def __init__(self, path: Path, timeout: float = 10.0, *, wait: float = 3.0) -> None:
        """Connect to `path`, waiting up to `wait` seconds for an emulator still starting
        (the socket not there yet, or not listening yet), as a reader waits for a card."""
        self.path = path
        deadline = time.monotonic() + wait
        while True:
            self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self._socket.settimeout(timeout)
            try:
                self._socket.connect(str(path))
                break
            except (FileNotFoundError, ConnectionRefusedError) as error:
                self._socket.close()
                if time.monotonic() >= deadline:
                    raise TransportError(
                        f"cannot reach the emulator's control socket {path}: {error}"
                    ) from None
                time.sleep(0.05)
            except OSError as error:
                self._socket.close()
                raise TransportError(
                    f"cannot reach the emulator's control socket {path}: {error}"
                ) from None
        self._stream = self._socket.makefile("rwb")

    def call(self, op: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one operation; raise ControlError with the emulator's error kind."""
        try:
            self._stream.write(_encode({"op": op, "params": params or {}}))
            self._stream.flush()
            line = _read_line(self._stream)
        except ControlError as error:  # the emulator's answer, not our request, is too long
            raise TransportError(f"control socket {self.path}: answer {error.message}") from None
        except OSError as error:
            raise TransportError(f"control socket {self.path}: {error}") from None
        if not line:
            raise TransportError(f"control socket {self.path}: the emulator closed it")
        try:
            answer = _decode(line)
            if "error" in answer:
                failure = answer["error"]
                raise ControlError(str(failure["kind"]), str(failure.get("message", "")))
            result: dict[str, Any] = dict(answer["result"])
        except (ValueError, KeyError, TypeError, RecursionError, AttributeError):
            raise TransportError(f"control socket {self.path}: an answer out of protocol") from None
        return result

    def close(self) -> None:
        self._stream.close()
        self._socket.close()
