"""The APDU trace file (VDC-NFC-300): JSON, one object per command/response pair.

{"format": "vdc-apdu-trace", "version": 1,
 "exchanges": [{"command": "<hex>", "response": "<hex>"}, ...]}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from vitale_ref.errors import VitaleError

FORMAT = "vdc-apdu-trace"
VERSION = 1
MAX_EXCHANGES = 10_000


class TraceError(VitaleError, ValueError):
    """A trace file that is not in the documented format."""


@dataclass(frozen=True, kw_only=True)
class Exchange:
    command: bytes
    response: bytes


@dataclass(frozen=True, kw_only=True)
class Trace:
    exchanges: tuple[Exchange, ...]

    def to_json(self) -> str:
        document = {
            "format": FORMAT,
            "version": VERSION,
            "exchanges": [
                {"command": e.command.hex(), "response": e.response.hex()} for e in self.exchanges
            ],
        }
        return json.dumps(document, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Trace:
        try:
            document: Any = json.loads(text)
        except json.JSONDecodeError as error:
            raise TraceError(f"not JSON: {error.msg} at line {error.lineno}") from error
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise TraceError(f"not a {FORMAT} document")
        if document.get("version") != VERSION:
            raise TraceError(f"unsupported trace version {document.get('version')!r}")
        items = document.get("exchanges")
        if not isinstance(items, list) or len(items) > MAX_EXCHANGES:
            raise TraceError(f"exchanges must be a list of at most {MAX_EXCHANGES}")
        return cls(exchanges=tuple(_exchange(index, item) for index, item in enumerate(items)))


def _exchange(index: int, item: object) -> Exchange:
    if not isinstance(item, dict) or set(item) != {"command", "response"}:
        raise TraceError(f"exchange {index}: needs exactly command and response")
    try:
        return Exchange(
            command=bytes.fromhex(str(item["command"])),
            response=bytes.fromhex(str(item["response"])),
        )
    except ValueError as error:
        raise TraceError(f"exchange {index}: not hexadecimal") from error
