"""Hostile length fields cannot make a decoder allocate (VDC-NFC-902).

Each test decodes an input whose length fields announce far more than is present (an
extended Lc of 65535, a DER length of 2 GiB, a vpcd prefix of 65535, a command chain
that never ends, an answer line that never ends) and measures with tracemalloc the peak
of Python allocations during the decode. The bound is fixed: 1 MiB beyond the input
the decoder was actually given (for a stream, beyond the longest message it accepts).
"""

from __future__ import annotations

import subprocess
import sys
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest

from conformance.adapters.stdio import MAX_LINE, StdioIut
from vitale_ref.apdu import AID, INS, ApduError, CommandApdu, TlvError, parse_tlvs
from vitale_ref.credential import (
    CredentialEncodingError,
    decode_credential,
    decode_presentation,
    decode_status_list,
)
from vitale_ref.credential._errors import CredentialError
from vitale_ref.holder.samples import sample_world
from vitale_ref.pki.der import DerError, decode_one
from vitale_ref.randomness import seeded_random
from vitale_ref.transport import FramingError, VpcdDecoder

MIB = 1 << 20
BOUND = MIB
"""Allowed peak of Python allocations beyond the input itself."""


@contextmanager
def peak() -> Iterator[list[int]]:
    """Yields a list that holds, after the block, the peak traced bytes of the block."""
    result: list[int] = []
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    try:
        yield result
    finally:
        result.append(tracemalloc.get_traced_memory()[1] - base)
        tracemalloc.stop()


def _decode_peak(decode: Callable[[bytes], object], data: bytes) -> tuple[int, str]:
    """Peak allocation of `decode(data)` and the name of the error it raised."""
    with peak() as measured:
        try:
            decode(data)
            raised = "none"
        except (ApduError, TlvError, DerError, CredentialError) as error:
            raised = type(error).__name__
    return measured[0], raised


GIB2 = "30847fffffff"  # a DER SEQUENCE announcing 2 147 483 647 bytes
APDU, TLV = CommandApdu.parse, parse_tlvs
ENCODING = "CredentialEncodingError"
HOSTILE = [
    ("extended Lc 65535, 3 bytes present", APDU, "8086000000ffff010203", "ApduError"),
    ("extended Lc 65535 and Le, no data", APDU, "80cb000000ffff0000", "ApduError"),
    ("short Lc 255, 1 byte present", APDU, "00a40400ff01", "ApduError"),
    ("BER-TLV length 65535, 2 bytes present", TLV, "5382ffff0102", "TlvError"),
    ("BER-TLV 3-byte length", TLV, "53830fffff", "TlvError"),
    ("DER SEQUENCE of 2 GiB", decode_one, GIB2 + "00" * 16, "DerError"),
    ("credential of 2 GiB", decode_credential, GIB2 + "00" * 16, ENCODING),
    ("presentation of 2 GiB", decode_presentation, GIB2, ENCODING),
    ("status list of 2 GiB", decode_status_list, GIB2, "StatusListError"),
    ("2 GiB inside a small SEQUENCE", decode_credential, "3007" + GIB2 + "00", ENCODING),
]


@pytest.mark.parametrize(
    ("decode", "data", "error"),
    [pytest.param(d, bytes.fromhex(x), e, id=name) for name, d, x, e in HOSTILE],
)
def test_robustness_length_fields(
    decode: Callable[[bytes], object], data: bytes, error: str
) -> None:
    """VDC-NFC-902, VDC-NFC-900, VDC-CRED-900: refused with the typed error, peak < 1 MiB."""
    used, raised = _decode_peak(decode, data)
    assert raised == error
    assert used < BOUND, f"peak {used} bytes"


def test_robustness_huge_input_is_refused_before_it_is_read() -> None:
    """VDC-NFC-902: a 64 MiB credential input is refused by size, no copy of it is made."""
    data = b"\x30\x84\x04\x00\x00\x00" + bytes(64 * MIB)
    used, raised = _decode_peak(decode_credential, data)
    assert raised == CredentialEncodingError.__name__
    assert used < BOUND, f"peak {used} bytes"


def test_robustness_vpcd_prefix_buffers_only_what_arrived() -> None:
    """VDC-NFC-902 (VDC-TRN-004): a 65535-byte prefix with 100 bytes buffers 102 bytes."""
    decoder = VpcdDecoder()
    with peak() as measured:
        assert decoder.feed(b"\xff\xff" + bytes(100)) == []
    assert decoder.pending == 102
    assert measured[0] < BOUND
    bounded = VpcdDecoder(max_payload=4096)
    with peak() as measured, pytest.raises(FramingError, match="exceeds the limit 4096"):
        bounded.feed(b"\xff\xff")
    assert measured[0] < BOUND


def test_robustness_endless_command_chain() -> None:
    """VDC-NFC-902: 2000 chained ESTABLISH parts (510 kB) never grow the holder's buffer.

    Once the chain would pass 4096 bytes the holder answers 6A84 and drops it; the next
    part starts a new chain. The peak stays under the bound for the whole stream.
    """
    world = sample_world()
    holder = world.holder(seeded_random("robustness/chain"))
    holder.arm(world.now + timedelta(seconds=60))
    select = CommandApdu(cla=0, ins=INS.SELECT, p1=4, p2=0, data=AID, ne=256)
    assert holder.respond(select.to_bytes(), world.now)[-2:] == b"\x90\x00"
    part = CommandApdu(cla=0x90, ins=INS.ESTABLISH, p1=0, p2=0, data=bytes(255)).to_bytes()
    answers: set[bytes] = set()
    with peak() as measured:
        for _ in range(2000):
            answers.add(holder.respond(part, world.now))
    assert answers == {b"\x90\x00", b"\x6a\x84"}
    assert measured[0] < BOUND, f"peak {measured[0]} bytes"


def test_robustness_endless_answer_line() -> None:
    """VDC-HARN-901, VDC-HARN-900: an implementation writes 32 MiB without a newline.

    The suite's reader thread takes at most MAX_LINE bytes per read; what it may hold at
    once must stay within one line plus the bound, however much the implementation
    writes (regression of finding harn-suite-pump-unbounded: the thread used to read
    ahead and queue every chunk of the line).
    """
    writer = "import sys; sys.stdout.buffer.write(b'x' * (32 << 20))"
    process = subprocess.Popen([sys.executable, "-c", writer], stdout=subprocess.PIPE)
    assert process.stdout is not None
    iut = StdioIut("vdc-placeholder")
    pump = threading.Thread(target=iut._pump, args=(process.stdout,), daemon=True)
    pump.start()
    pump.join(10)  # ends at end of output, or stays blocked on a bounded queue
    held = sum(len(line) for line in list(iut._lines.queue) if line)
    process.kill()
    process.wait(5)
    assert held <= MAX_LINE + BOUND, f"{held >> 20} MiB queued for one answer line"
