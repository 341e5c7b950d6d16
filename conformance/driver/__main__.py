"""`python -m conformance.driver [--fault NAME]`: the reference as a stdio implementation.

Reads one JSON request per line on standard input and writes one answer per line on
standard output (spec/harness.md). With `--fault NAME` one seeded fault is installed
first: the reference then breaks exactly one rule, which the suite must detect.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import IO, Any

from conformance.driver import Driver, DriverError, Unsupported
from vitale_ref.lines import LineSource, LineTooLongError, finite, read_line, refuse_constant

MAX_REQUEST = 4 * 1024 * 1024
"""Longest request line read, in bytes; a longer one is answered bad_request (VDC-HARN-900)."""


def _write(stream: IO[str], message: dict[str, Any]) -> None:
    stream.write(json.dumps(message) + "\n")
    stream.flush()


def _decode(line: bytes) -> Any:
    """A line as JSON: strict UTF-8, finite numbers only (ValueError otherwise)."""
    return json.loads(line.decode("utf-8"), parse_constant=refuse_constant, parse_float=finite)


def _request(line: bytes) -> tuple[int, str, dict[str, Any]]:
    """(id, op, params) of a request line; ValueError, KeyError or TypeError otherwise."""
    request = _decode(line)
    request_id = request["id"]
    # The id is a JSON integer (VDC-HARN-900): not a float, a boolean or 1e999.
    if not isinstance(request_id, int) or isinstance(request_id, bool):
        raise TypeError("the request id is not an integer")
    params = request.get("params", {})
    if not isinstance(params, dict):
        raise TypeError("the params are not an object")
    return request_id, str(request["op"]), params


def _bad_request(message: str) -> dict[str, Any]:
    return {"id": 0, "error": {"kind": "bad_request", "message": message[:80]}}


def serve(source: LineSource, sink: IO[str], driver: Driver) -> None:
    """Answer requests read from the binary stream `source` until it ends."""
    while True:
        try:
            # VDC-HARN-901: a line is read up to MAX_REQUEST bytes, never whole.
            line = read_line(source, MAX_REQUEST)
        except LineTooLongError as error:
            _write(sink, _bad_request(str(error)))
            continue
        if not line:
            return
        try:
            request_id, operation, params = _request(line)
        except (ValueError, KeyError, TypeError, RecursionError):
            # VDC-HARN-900: an unusable line (blank, not UTF-8, not a request) gets an
            # error answer, and serving goes on.
            _write(sink, _bad_request(line[:80].decode("utf-8", "replace")))
            continue

        def transmit(command: bytes, request_id: int = request_id) -> bytes:
            _write(sink, {"id": request_id, "transmit": command.hex().upper()})
            reply = _decode(read_line(source, MAX_REQUEST) or b"{}")
            return bytes.fromhex(str(reply.get("response", "")))

        _write(sink, _answer(driver, request_id, operation, params, transmit))


def _answer(
    driver: Driver,
    request_id: int,
    operation: str,
    params: dict[str, Any],
    transmit: Callable[[bytes], bytes],
) -> dict[str, Any]:
    try:
        result = driver.handle(operation, params, transmit)
    except Unsupported as unsupported:
        return {"id": request_id, "unsupported": unsupported.reason}
    except DriverError as error:
        return {"id": request_id, "error": {"kind": error.kind, "message": error.message}}
    except Exception as error:  # the reference must answer, even about its own bug
        return {"id": request_id, "error": {"kind": "internal", "message": repr(error)}}
    return {"id": request_id, "result": result}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conformance.driver", description=__doc__)
    parser.add_argument("--fault", default=None, help="install one seeded fault by name")
    args = parser.parse_args(argv)
    if args.fault:
        from conformance.driver.faults import FaultNotApplicable, install

        try:
            install(args.fault)
        except FaultNotApplicable as stale:
            print(f"error: {stale}", file=sys.stderr)
            return 1
        except KeyError:
            print(f"error: unknown fault {args.fault!r}", file=sys.stderr)
            return 1
    serve(sys.stdin.buffer, sys.stdout, Driver())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
