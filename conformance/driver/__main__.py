"""`python -m conformance.driver [--fault NAME]`: the reference as a stdio implementation.

Reads one JSON request per line on standard input and writes one answer per line on
standard output (spec/harness.md). With `--fault NAME` one seeded fault is installed
first: the reference then breaks exactly one rule, which the suite must detect.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO, Any

from conformance.driver import Driver, DriverError, Unsupported


def _write(stream: IO[str], message: dict[str, Any]) -> None:
    stream.write(json.dumps(message) + "\n")
    stream.flush()


def serve(source: IO[str], sink: IO[str], driver: Driver) -> None:
    """Answer requests until the input ends."""
    for line in source:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            request_id = request["id"]
            # The id is a JSON integer (VDC-HARN-900): not a float, a boolean or 1e999.
            if not isinstance(request_id, int) or isinstance(request_id, bool):
                raise TypeError("the request id is not an integer")
            operation = str(request["op"])
            params = dict(request.get("params", {}))
        except (ValueError, KeyError, TypeError, RecursionError):
            # VDC-HARN-900: an unusable line gets an error answer, and serving goes on.
            _write(sink, {"id": 0, "error": {"kind": "bad_request", "message": line[:80]}})
            continue

        def transmit(command: bytes, request_id: int = request_id) -> bytes:
            _write(sink, {"id": request_id, "transmit": command.hex().upper()})
            reply = json.loads(source.readline() or "{}")
            return bytes.fromhex(str(reply.get("response", "")))

        try:
            result = driver.handle(operation, params, transmit)
        except Unsupported as unsupported:
            _write(sink, {"id": request_id, "unsupported": unsupported.reason})
        except DriverError as error:
            failure = {"kind": error.kind, "message": error.message}
            _write(sink, {"id": request_id, "error": failure})
        except Exception as error:  # the reference must answer, even about its own bug
            failure = {"kind": "internal", "message": repr(error)}
            _write(sink, {"id": request_id, "error": failure})
        else:
            _write(sink, {"id": request_id, "result": result})


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
    serve(sys.stdin, sys.stdout, Driver())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
