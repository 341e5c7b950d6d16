"""Every reader of an untrusted stream holds a bounded amount of it (VDC-HARN-901).

Each test runs the reader in a child process, lets a hostile peer write 64 MiB without
a newline (or one answer line of the largest accepted size), and asserts from the
kernel's account of the child's peak resident memory that the reader held at most twice
the longest line it accepts plus 1 MiB; then that the reader still answers or fails the
case as its rule says (VDC-HARN-900). Streams: an implementation's standard output and
standard error (read by the suite), the reference driver's standard input and both ends
of the emulator's control socket.
"""

from __future__ import annotations

import doctest
import json
import socket
import subprocess
import sys
import textwrap
from typing import Any

from conformance.adapters.stdio import MAX_LINE, STDERR_LINE
from conformance.driver.__main__ import MAX_REQUEST
from tests.robustness.peak import MIB, PRELUDE, ROOT, run_measured
from vitale_ref import lines
from vitale_ref.transport import _control

FLOOD = 64 * MIB
"""What a hostile peer writes without a newline."""

HELLO = {
    "protocol": "vdc-harness/1",
    "implementation": {"name": "hostile", "version": "0"},
    "profiles": ["verifier", "reader"],
    "operations": ["hello", "nir.validate", "reader.read"],
}

# A hostile implementation: answers hello, then misbehaves on the next request as
# argv[1] says, then answers nir.validate normally.
HOSTILE_IUT = f"""
import json, sys
mode = sys.argv[1]
out = sys.stdout.buffer
chunk = b"x" * (1 << 20)
for line in sys.stdin.buffer:
    request = json.loads(line)
    rid = request["id"]
    if request["op"] == "hello":
        out.write(json.dumps({{"id": rid, "result": {HELLO!r}}}).encode() + b"\\n")
    elif mode == "stdout":
        for _ in range({FLOOD // MIB}):
            out.write(chunk)
    elif mode == "stderr":
        for _ in range({FLOOD // MIB}):
            sys.stderr.buffer.write(chunk)
        sys.stderr.buffer.flush()
        out.write(json.dumps({{"id": rid, "result": {{"nir": "ok"}}}}).encode() + b"\\n")
    elif mode == "transmit" and request["op"] == "reader.read":
        apdu = "00" * (({MAX_LINE} - 64) // 2)
        out.write(json.dumps({{"id": rid, "transmit": apdu}}).encode() + b"\\n")
        out.flush()
        sys.stdin.buffer.readline()
        out.write(json.dumps({{"id": rid, "result": {{"elements": {{}}}}}}).encode() + b"\\n")
    out.flush()
"""

SUITE_SIDE = """
import shlex
from conformance.adapters.stdio import StdioIut
from conformance.outcomes import IutFailure
iut = StdioIut(shlex.join([sys.executable, "-c", {script!r}, {mode!r}]), timeout=30)
iut.hello()
begin()
try:
    {action}
except IutFailure as failure:
    print("IutFailure:", failure)
end()
iut.close()
"""


def bound(longest_line: int) -> int:
    """Three times the longest accepted line, plus 1 MiB (VDC-HARN-901)."""
    return 3 * longest_line + MIB


def _suite_against(mode: str, action: str) -> tuple[int, str]:
    body = SUITE_SIDE.format(script=HOSTILE_IUT, mode=mode, action=action)
    return run_measured(textwrap.dedent(body))


def test_suite_reads_an_endless_answer_line_in_bounded_memory() -> None:
    """VDC-HARN-901, VDC-HARN-900: 64 MiB without a newline fails the case; < 13 MiB held."""
    used, output = _suite_against("stdout", 'iut.call("nir.validate", {"nir": "1"})')
    assert f"IutFailure: answer line longer than {MAX_LINE} bytes" in output
    assert used < bound(MAX_LINE), f"peak {used / MIB:.1f} MiB"


def test_suite_reads_endless_stderr_in_bounded_memory() -> None:
    """VDC-HARN-901: 64 MiB of stderr without a newline; the answer after it arrives and
    the reader holds one bounded piece at a time (it grew to gigabytes before)."""
    used, output = _suite_against(
        "stderr", 'print("answer", iut.call("nir.validate", {"nir": "1"}))'
    )
    assert "answer {'nir': 'ok'}" in output
    assert used < bound(STDERR_LINE), f"peak {used / MIB:.1f} MiB"


def test_suite_validates_a_4_mib_transmit_answer_in_bounded_memory() -> None:
    """VDC-HARN-901: the hex of a transmit answer is checked without backtracking (one
    4 MiB answer cost about 300 MiB under the schema's pattern with Python's re)."""
    action = (
        'print("served", iut.call("reader.read", {"requested": [], "now": "x"}, '
        'transmit=lambda apdu: bytes.fromhex("9000")))'
    )
    used, output = _suite_against("transmit", action)
    assert "served {'elements': {}}" in output
    assert used < bound(MAX_LINE), f"peak {used / MIB:.1f} MiB"


DRIVER_SIDE = """
from conformance.driver import Driver
from conformance.driver.__main__ import serve
driver = Driver()
begin()
serve(sys.stdin.buffer, sys.stdout, driver)
end()
"""


def test_reference_driver_reads_an_endless_request_line_in_bounded_memory() -> None:
    """VDC-HARN-901, VDC-HARN-900: a 64 MiB request line is answered bad_request without
    being held (a 200 MiB line peaked at 434 MiB), and the next request is served."""
    hello = json.dumps({"id": 1, "op": "hello", "params": {"protocol": "vdc-harness/1"}})
    flood = b"[" * FLOOD + b"\n" + hello.encode() + b"\n"
    used, output = run_measured(DRIVER_SIDE, stdin=flood)
    first, second = (json.loads(line) for line in output.splitlines())
    assert first == {
        "id": 0,
        "error": {"kind": "bad_request", "message": f"line longer than {MAX_REQUEST} bytes"},
    }
    assert second["id"] == 1 and second["result"]["protocol"] == "vdc-harness/1"
    assert used < bound(MAX_REQUEST), f"peak {used / MIB:.1f} MiB"


CONTROL_SIDE = """
import tempfile
from pathlib import Path
from vitale_ref.transport._control import ControlServer
path = Path(tempfile.mkdtemp()) / "control.sock"
server = ControlServer(path, lambda op, params: {"op": op})
begin()
print(path, flush=True)
sys.stdin.readline()
end()
server.stop()
"""


def test_control_socket_reads_an_endless_line_in_bounded_memory() -> None:
    """VDC-HARN-901: 64 MiB without a newline on the emulator's control socket is
    answered bad_request, then the next request is served; the server held < 4 MiB."""
    server = subprocess.Popen(
        [sys.executable, "-c", PRELUDE + CONTROL_SIDE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert server.stdin is not None and server.stdout is not None
    try:
        path = server.stdout.readline().decode().strip()
        answers = _flood_control(path)
        server.stdin.write(b"done\n")
        server.stdin.close()
        errors = server.stderr.read().decode() if server.stderr else ""
        assert server.wait(10) == 0, errors
    finally:
        server.kill()
        server.wait(5)
    assert answers[0]["error"]["kind"] == "bad_request"
    assert answers[1] == {"result": {"op": "hello"}}
    used = int(errors.split("PEAK ")[1].split()[0])
    assert used < bound(_control.MAX_LINE), f"peak {used / MIB:.1f} MiB"


def _flood_control(path: str) -> list[Any]:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.connect(path)
        chunk = b"{" * MIB
        for _ in range(FLOOD // MIB):
            client.sendall(chunk)
        client.sendall(b'\n{"op": "hello"}\n')
        stream = client.makefile("rb")
        return [json.loads(stream.readline()) for _ in range(2)]


CLIENT_SIDE = """
import socket, tempfile, threading
from pathlib import Path
from vitale_ref.transport import TransportError
from vitale_ref.transport._control import ControlClient
path = Path(tempfile.mkdtemp()) / "hostile.sock"
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(str(path))
listener.listen(1)

def hostile_emulator():
    connection, _ = listener.accept()
    connection.recv(1024)
    chunk = b"x" * (1 << 20)
    try:
        for _ in range({flood}):
            connection.sendall(chunk)
    except OSError:
        pass
    connection.close()

threading.Thread(target=hostile_emulator, daemon=True).start()
client = ControlClient(path)
begin()
try:
    client.call("hello")
except TransportError as error:
    print("refused:", error)
end()
"""


def test_control_client_reads_an_endless_answer_in_bounded_memory() -> None:
    """VDC-HARN-901: the suite's end of the control channel against an emulator that
    answers 64 MiB without a newline: a typed error, < 4 MiB held."""
    used, output = run_measured(CLIENT_SIDE.format(flood=FLOOD // MIB))
    assert output.startswith("refused: control socket ")
    assert "hostile.sock: answer line longer than 1048576 bytes" in output
    assert used < bound(_control.MAX_LINE), f"peak {used / MIB:.1f} MiB"


def test_lines_doctests() -> None:
    """The bounded line reader's examples (VDC-HARN-901)."""
    assert doctest.testmod(lines).failed == 0
