"""`stdio:COMMAND`: a third-party implementation speaking JSON lines on a pipe (VDC-HARN).

The suite starts COMMAND, sends one request per line on its standard input and reads
one answer per line on its standard output. Anything else (a crash, a hang past the
timeout, a line that is not JSON, an answer out of protocol) fails the running case with
the evidence gathered; the process is then stopped and started afresh for the next case.

The process gets a private folder in `$VDC_IUT_STORE`, the same for every process the
adapter starts; an implementation keeps its persistent state there, so that the suite
can kill it (SIGKILL) between or during operations and start it again (VDC-HARN-007).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shlex
import signal
import subprocess
import tempfile
import threading
import time
from collections import deque
from typing import IO, Any

import jsonschema

from conformance import protocol
from conformance.adapters._base import TRACE_LIMIT, Hello, IutBase, OperationError, Transmit
from conformance.outcomes import IutFailure, NotApplicable
from vitale_ref.lines import bounded_lines

MAX_LINE = 4 * 1024 * 1024
"""Longest answer line accepted, in bytes (VDC-HARN-001: an endless line is garbage)."""
MAX_CALLBACKS = 256
"""Most APDUs one operation may ask the suite to serve (VDC-HARN-001)."""
STDERR_LINE = 4096
"""Longest stderr line read at once; the rest of a longer one is skipped (VDC-HARN-901)."""
MAX_START_FAILURES = 3
BREAKER_HANGS = 2
"""Consecutive timeouts of one operation after which it is no longer sent: each later
run that needs it fails at once as blocked, instead of waiting out the timeout again."""
HANG = "(hang)"
DEFAULT_TIMEOUT = 10.0
STORE_VARIABLE = "VDC_IUT_STORE"


class StdioIut(IutBase):
    """A child process speaking the driver protocol."""

    def __init__(self, command: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__(target=f"stdio:{command}")
        try:
            self._argv = shlex.split(command)
        except ValueError as error:
            raise ValueError(f"cannot parse the IUT command: {error}") from None
        if not self._argv:
            raise ValueError("stdio: needs a command, e.g. stdio:'python -m conformance.driver'")
        self.timeout = timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._stderr: deque[str] = deque(maxlen=40)
        self._hello: Hello | None = None
        self._next_id = 0
        self._start_failures = 0
        self._hangs: dict[str, int] = {}
        self._stderr_thread: threading.Thread | None = None
        self._store = tempfile.TemporaryDirectory(prefix="vdc-iut-store-")

    # -- process management -------------------------------------------------------------

    def _start(self) -> None:
        if self._start_failures >= MAX_START_FAILURES:
            raise IutFailure(
                f"the implementation failed to start {MAX_START_FAILURES} times; not restarted"
            )
        try:
            self._process = subprocess.Popen(
                self._argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
                env={**os.environ, STORE_VARIABLE: self._store.name},
            )
        except OSError as error:
            self._start_failures += 1
            raise IutFailure(f"cannot start {self._argv[0]!r}: {error.strerror}") from None
        self._lines = queue.Queue()
        assert self._process.stdout is not None and self._process.stderr is not None
        threading.Thread(target=self._pump, args=(self._process.stdout,), daemon=True).start()
        self._stderr_thread = threading.Thread(
            target=self._drain, args=(self._process.stderr,), daemon=True
        )
        self._stderr_thread.start()
        try:
            answer = self._exchange("hello", {"protocol": protocol.PROTOCOL}, None)
        except (IutFailure, OperationError, NotApplicable) as error:
            self._start_failures += 1
            self._stop()
            # What the program left behind (exit status, stderr) says why it did not start.
            evidence = error.evidence if isinstance(error, IutFailure) else list(self.trace)
            raise IutFailure(f"no valid hello: {error}", evidence=evidence) from None
        self._start_failures = 0
        if answer["protocol"] != protocol.PROTOCOL:
            self._stop()
            raise IutFailure(f"unknown protocol {answer['protocol']!r} in hello")
        self._hello = Hello(
            name=answer["implementation"]["name"],
            version=answer["implementation"]["version"],
            profiles=tuple(answer["profiles"]),
            operations=tuple(answer["operations"]),
        )

    def _pump(self, stream: IO[bytes]) -> None:
        while True:
            try:
                line = stream.readline(MAX_LINE)
            except (ValueError, OSError):
                line = b""  # the stream was closed under us by _stop: the output ended
            if not line:
                self._lines.put(None)
                return
            self._lines.put(line)
            if len(line) >= MAX_LINE and not line.endswith(b"\n"):
                # VDC-HARN-900, VDC-HARN-901: the consumer fails the case on this
                # over-long line; reading on would only queue the rest of it.
                return
            del line  # VDC-HARN-901: not kept while the next line is read

    def _drain(self, stream: IO[bytes]) -> None:
        with contextlib.suppress(ValueError, OSError):  # closed under us by _stop
            # VDC-HARN-901: stderr without newlines is read in bounded pieces, never whole.
            for line in bounded_lines(stream, STDERR_LINE):
                self._stderr.append(line.decode("utf-8", "replace")[:300])

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                process.kill()
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream is not None:
                stream.close()
        process.wait(timeout=5)

    def _fail(self, message: str, *, exited: bool = False) -> IutFailure:
        """Stop the process and build the failure with the trace and stderr as evidence."""
        code = None
        if self._process is not None:
            if exited:  # the output ended: give the exit status and stderr a moment
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._process.wait(timeout=2)
                if self._stderr_thread is not None:
                    self._stderr_thread.join(timeout=1)
            code = self._process.poll()
        self._stop()
        evidence = list(self.trace)
        if code is not None:
            evidence.append(f"exit status {code}")
        evidence += [f"stderr: {line}" for line in self._stderr]
        self._stderr.clear()
        return IutFailure(message, evidence=evidence)

    # -- wire ---------------------------------------------------------------------------

    def _send(self, message: dict[str, Any]) -> None:
        assert self._process is not None and self._process.stdin is not None
        self.note(">", message)
        try:
            self._process.stdin.write(json.dumps(message).encode("utf-8") + b"\n")
            self._process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise self._fail("the implementation closed its input (crashed?)") from None

    def _receive(self, request_id: int | None) -> dict[str, Any]:
        try:
            line = self._lines.get(timeout=self.timeout)
        except queue.Empty:
            raise self._fail(f"no answer within {self.timeout:g} s {HANG}") from None
        if line is None:
            raise self._fail("the implementation exited without answering (crash)", exited=True)
        # VDC-HARN-901: at most two copies of one line at once, whatever its size.
        head = line[: TRACE_LIMIT + 1].decode("utf-8", "replace").rstrip("\n")
        if len(line) > TRACE_LIMIT + 1:
            self.trace.append(f"< {head[:TRACE_LIMIT]}... ({len(line)} bytes)")
        else:
            self.note("<", head)
        if not line.endswith(b"\n") and len(line) >= MAX_LINE:
            raise self._fail(f"answer line longer than {MAX_LINE} bytes")
        try:
            text = line.decode("utf-8")
            del line
            message = json.loads(text)
        except (ValueError, RecursionError):
            raise self._fail(f"answer is not JSON: {head[:80]!r}") from None
        try:
            protocol.answer_validator().validate(message)
        except jsonschema.ValidationError as error:
            raise self._fail(f"answer out of protocol: {error.message[:300]}") from None
        if request_id is not None and message["id"] != request_id:
            raise self._fail(f"answer to request {message['id']}, expected {request_id}")
        return dict(message)

    def _exchange(
        self, operation: str, params: dict[str, Any], transmit: Transmit | None
    ) -> dict[str, Any]:
        hangs = self._hangs.get(operation, 0)
        if hangs >= BREAKER_HANGS:
            raise IutFailure(
                f"blocked: {operation} timed out {hangs} times in a row "
                f"({self.timeout:g} s each); not sent again in this run",
                blocked=True,
            )
        try:
            answer = self._round_trip(operation, params, transmit)
        except IutFailure as failure:
            if failure.message.endswith(HANG) and operation != "hello":
                self._hangs[operation] = hangs + 1
            raise
        self._hangs[operation] = 0
        return answer

    def _round_trip(
        self, operation: str, params: dict[str, Any], transmit: Transmit | None
    ) -> dict[str, Any]:
        self._next_id += 1
        request_id = self._next_id
        self._send({"id": request_id, "op": operation, "params": params})
        for _ in range(MAX_CALLBACKS + 1):
            message = self._receive(request_id)
            if "transmit" not in message:
                return self._settle(operation, message)
            if transmit is None:
                raise self._fail(f"operation {operation} may not send APDUs to the suite")
            response = transmit(bytes.fromhex(message["transmit"]))
            self._send({"id": request_id, "response": response.hex().upper()})
        raise self._fail(f"more than {MAX_CALLBACKS} APDUs in one operation")

    def _settle(self, operation: str, message: dict[str, Any]) -> dict[str, Any]:
        if "unsupported" in message:
            raise NotApplicable(f"{operation}: {message['unsupported']}", unsupported=operation)
        if "error" in message:
            raise OperationError(message["error"]["kind"], message["error"].get("message", ""))
        result: dict[str, Any] = message["result"]
        validator = protocol.result_validator(operation)
        if validator is not None:
            try:
                validator.validate(result)
            except jsonschema.ValidationError as error:
                raise self._fail(
                    f"{operation} result out of protocol: {error.message[:300]}"
                ) from None
        return result

    # -- adapter interface --------------------------------------------------------------

    def hello(self) -> Hello:
        if self._process is None or self._hello is None:
            self._start()
        assert self._hello is not None
        return self._hello

    def call(
        self, operation: str, params: dict[str, Any], *, transmit: Transmit | None = None
    ) -> dict[str, Any]:
        self.hello()
        return self._exchange(operation, params, transmit)

    def raw(self, line: str) -> dict[str, Any]:
        """Send one line as is and return the next answer (protocol robustness cases)."""
        self.hello()
        assert self._process is not None and self._process.stdin is not None
        self.note(">", line[:200])
        try:
            self._process.stdin.write(line.encode("utf-8", "replace") + b"\n")
            self._process.stdin.flush()
        except OSError:
            raise self._fail("the implementation closed its input (crashed?)") from None
        return self._receive(None)

    def restart(self, operation: str = "holder.restart") -> None:
        """Kill the process (SIGKILL) now; the next operation starts it again."""
        self.hello()
        self.require(operation)
        self.note("=", "process killed (SIGKILL); started again at the next operation")
        self._stop()

    def interrupt(
        self, operation: str, params: dict[str, Any], after: float, *, restart: str = ""
    ) -> None:
        """Send `operation`, then kill the process `after` seconds later, answered or not.

        `restart` names the operation whose declaration promises a persistent store.
        """
        self.hello()
        self.require(restart or "holder.restart")
        self._next_id += 1
        self._send({"id": self._next_id, "op": operation, "params": params})
        time.sleep(after)
        self.note("=", f"process killed (SIGKILL) {after:g} s into {operation}")
        self._stop()

    def close(self) -> None:
        if self._process is not None and self._process.poll() is None:
            assert self._process.stdin is not None
            try:
                self._process.stdin.close()
                self._process.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self._stop()
        self._store.cleanup()


def open_adapter(target: str) -> StdioIut:
    """`stdio:COMMAND`; the per-request timeout comes from $VDC_IUT_TIMEOUT (seconds)."""
    timeout = float(os.environ.get("VDC_IUT_TIMEOUT") or DEFAULT_TIMEOUT)
    return StdioIut(target, timeout=timeout)
