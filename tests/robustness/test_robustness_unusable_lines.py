"""The reference driver and the emulator's control channel answer every line (VDC-HARN-900).

A blank line, a line that is not UTF-8, numbers JSON does not have (Infinity, NaN, 1e999),
nesting without bound, parameters of the wrong type or outside the operation's schema:
each gets an error answer of kind bad_request, and the next request is served. A handler
that fails is answered `internal` on the control channel, which keeps serving.
"""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.driver import Driver
from conformance.driver.__main__ import serve
from vitale_ref.transport._control import ControlServer

HELLO = b'{"id": 99, "op": "hello", "params": {"protocol": "vdc-harness/1"}}\n'


def _verifier(memory: str) -> bytes:
    salt = "00" * 16
    params = (
        f'"code": "135790", "salt": "{salt}", "memoryKiB": {memory}, "iterations": 1, "lanes": 1'
    )
    return b'{"id": 5, "op": "pin.verifier", "params": {' + params.encode() + b"}}\n"


UNUSABLE = {
    "empty line": b"\n",
    "whitespace only": b"  \t \n",
    "not UTF-8": b'{"id": 5, "op": "\xff\xfe"}\n',
    "Infinity": _verifier("Infinity"),
    "NaN": _verifier("NaN"),
    "1e999": _verifier("1e999"),
    "deep nesting": b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "params not an object": b'{"id": 5, "op": "hello", "params": [1]}\n',
}


@pytest.mark.parametrize("line", list(UNUSABLE.values()), ids=list(UNUSABLE))
def test_driver_answers_an_unusable_line_and_goes_on(line: bytes) -> None:
    """VDC-HARN-900: bad_request with id 0 (the id could not be read), then hello."""
    sink = io.StringIO()
    serve(io.BytesIO(line + HELLO), sink, Driver())
    first, second = (json.loads(answer) for answer in sink.getvalue().splitlines())
    assert first["id"] == 0 and first["error"]["kind"] == "bad_request"
    assert second["id"] == 99 and second["result"]["protocol"] == "vdc-harness/1"


WRONG_PARAMS = {
    "memory not an integer": ('"x"', "memoryKiB: 'x' is not of type 'integer'"),
    "memory a list": ("[1]", "memoryKiB: [1] is not of type 'integer'"),
    "memory beyond every bound": ("1" + "0" * 30, "Argon2id memory must be"),
}


@pytest.mark.parametrize(("memory", "message"), list(WRONG_PARAMS.values()), ids=list(WRONG_PARAMS))
def test_driver_answers_wrong_parameters_bad_request(memory: str, message: str) -> None:
    """VDC-HARN-005: parameters outside the operation's schema are bad_request, with the
    request's id, never `internal` (Infinity in pin.verifier used to be)."""
    sink = io.StringIO()
    serve(io.BytesIO(_verifier(memory)), sink, Driver())
    answer = json.loads(sink.getvalue())
    assert answer["id"] == 5 and answer["error"]["kind"] == "bad_request"
    assert answer["error"]["message"].startswith(message)


def _handler(op: str, params: dict[str, Any]) -> dict[str, Any]:
    if op == "boom":
        raise OverflowError("cannot convert float infinity to integer")
    return {"op": op}


@pytest.fixture
def control(tmp_path: Path) -> Iterator[Any]:
    server = ControlServer(tmp_path / "control.sock", _handler)
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.settimeout(10)
    client.connect(str(tmp_path / "control.sock"))
    stream = client.makefile("rwb")
    try:
        yield stream
    finally:
        stream.close()
        client.close()
        server.stop()


CONTROL_UNUSABLE = {
    "deep nesting": b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "Infinity": b'{"op": "holder.arm", "params": {"now": Infinity}}\n',
    "not UTF-8": b'{"op": "\xff"}\n',
    "blank": b"\n",
}


@pytest.mark.parametrize("line", list(CONTROL_UNUSABLE.values()), ids=list(CONTROL_UNUSABLE))
def test_control_channel_answers_an_unusable_line_and_goes_on(control: Any, line: bytes) -> None:
    """VDC-HARN-900 on the side channel: the serving thread used to die without an answer."""
    control.write(line + b'{"op": "hello"}\n')
    control.flush()
    assert json.loads(control.readline())["error"]["kind"] == "bad_request"
    assert json.loads(control.readline()) == {"result": {"op": "hello"}}


def test_control_channel_answers_a_failing_operation_internal(control: Any) -> None:
    """A handler's own failure is answered `internal`; the connection keeps serving."""
    control.write(b'{"op": "boom"}\n{"op": "hello"}\n')
    control.flush()
    failure = json.loads(control.readline())["error"]
    assert failure["kind"] == "internal" and "OverflowError" in failure["message"]
    assert json.loads(control.readline()) == {"result": {"op": "hello"}}


def test_card_without_holder_answers_as_a_device_without_the_application() -> None:
    """VDC-TRN-014: before holder.setup on the control channel, 6A82 to SELECT and 6985
    to anything else (every APDU used to be answered 6F00 until provisioned)."""
    from datetime import UTC, datetime

    from conformance.driver._driven import DrivenCard

    card, now = DrivenCard(), datetime(2026, 1, 15, tzinfo=UTC)
    assert card.respond(bytes.fromhex("00A4040007F0564954414C4500"), now) == b"\x6a\x82"
    assert card.respond(bytes.fromhex("80CA000000"), now) == b"\x69\x85"
