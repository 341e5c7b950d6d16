"""Readable view of an APDU trace; the decrypted view when session keys are given.

Logical commands are rebuilt first (chains joined, GET RESPONSE data appended), then
each is described: the instruction, its TLVs, the status word and its meaning
(VDC-NFC-300). With keys, protected data are opened with the exchange counter as the
holder would, starting at 1 after a successful ESTABLISH SESSION.
"""

from __future__ import annotations

from dataclasses import dataclass

from vitale_ref.apdu import (
    INS,
    NAMES,
    ApduError,
    CommandApdu,
    ResponseApdu,
    TlvError,
    parse_tlvs,
    sw_meaning,
)
from vitale_ref.sm import SecureChannel, SessionKeys, SmError
from vitale_ref.trace._model import Trace


@dataclass(frozen=True, kw_only=True)
class Logical:
    """One logical command and its complete response."""

    first: int
    apdu_count: int
    header: bytes
    data: bytes
    response: bytes
    sw: int


def logical_commands(trace: Trace) -> list[Logical]:
    result: list[Logical] = []
    chain = b""
    start = 0
    for index, exchange in enumerate(trace.exchanges):
        try:
            command = CommandApdu.parse(exchange.command)
            reply = ResponseApdu.parse(exchange.response)
        except ApduError:
            chain, start = b"", index + 1
            continue
        if command.ins == INS.GET_RESPONSE and result and not chain:
            last = result[-1]
            result[-1] = Logical(
                first=last.first,
                apdu_count=last.apdu_count + 1,
                header=last.header,
                data=last.data,
                response=last.response + reply.data,
                sw=reply.sw,
            )
            start = index + 1  # the next command starts after this GET RESPONSE
            continue
        if command.chained and reply.sw == 0x9000:
            chain += command.data
            continue
        header = bytes([command.cla & 0xEF, command.ins, command.p1, command.p2])
        result.append(
            Logical(
                first=start,
                apdu_count=index - start + 1,
                header=header,
                data=chain + command.data,
                response=reply.data,
                sw=reply.sw,
            )
        )
        chain, start = b"", index + 1
    return result


def _tlv_summary(data: bytes) -> str:
    try:
        items = parse_tlvs(data)
    except TlvError:
        return f"{len(data)} bytes"
    return " ".join(f"{tag:02X}[{len(value)}]" for tag, value in items)


def _name(header: bytes) -> str:
    try:
        return NAMES[INS(header[1])]
    except ValueError:
        return f"INS {header[1]:02X}"


def describe(trace: Trace, keys: SessionKeys | None = None) -> list[str]:
    lines: list[str] = []
    channel: SecureChannel | None = None
    for number, item in enumerate(logical_commands(trace), start=1):
        span = f"APDU {item.first + 1}" + (
            f"-{item.first + item.apdu_count}" if item.apdu_count > 1 else ""
        )
        lines.append(f"#{number} {_name(item.header)} ({span}) header {item.header.hex(' ')}")
        lines.append(f"   > data {len(item.data)} B: {_tlv_summary(item.data)}")
        lines.append(
            f"   < {item.sw:04X} {sw_meaning(item.sw)}; data {len(item.response)} B"
            + (f": {_tlv_summary(item.response)}" if item.response else "")
        )
        ins = item.header[1]
        if ins == INS.SELECT:
            channel = None
        elif ins == INS.ESTABLISH and item.sw == 0x9000 and keys is not None:
            channel = SecureChannel(keys)
        elif ins in (INS.READ, INS.RECEIPT) and channel is not None:
            lines.extend(_opened(channel, item))
    return lines


def _opened(channel: SecureChannel, item: Logical) -> list[str]:
    try:
        plain = channel.open_command(item.header, item.data)
    except SmError:
        return ["   ! command does not authenticate under the given keys"]
    lines = [f"   > plaintext {plain.hex()} ({_tlv_summary(plain)})"]
    if item.sw == 0x9000:
        try:
            answer = channel.open_response(item.header, item.response)
            lines.append(f"   < plaintext {len(answer)} B: {_tlv_summary(answer)}")
        except SmError:
            lines.append("   ! response does not authenticate under the given keys")
    channel.advance()
    return lines
