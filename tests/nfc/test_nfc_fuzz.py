"""Random APDU sequences against the holder core (VDC-NFC-041, 043, VDC-SM-013, 034).

Any input gets an R-APDU, never an exception or 6F00; data leave the holder only as the
FCI, or sealed for a reader that really completed ESTABLISH SESSION, and only those
reads produce Presented events.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from vitale_ref.apdu import AID, INS, CommandApdu, ResponseApdu
from vitale_ref.holder import Presented
from vitale_ref.holder.samples import sample_world
from vitale_ref.randomness import seeded_random
from vitale_ref.reader import Handshake, handshake
from vitale_ref.sm import encode_request

WORLD = sample_world("vdc-nfc")
KNOWN_INS = [int(i) for i in INS]

header = st.builds(
    lambda cla, ins, p1, p2: bytes([cla, ins, p1, p2]),
    st.sampled_from([0x00, 0x10, 0x80, 0x90, 0x0C, 0xFF]),
    st.one_of(st.sampled_from(KNOWN_INS), st.integers(0, 255)),
    st.sampled_from([0, 4]),
    st.sampled_from([0, 0x0C]),
)
raw_command = st.one_of(
    st.binary(max_size=12),
    st.builds(lambda h, body: h + body, header, st.binary(max_size=300)),
    st.builds(
        lambda h, data, ne, ext: h + _body(data, ne, ext),
        header,
        st.binary(max_size=300),
        st.one_of(st.none(), st.integers(1, 256)),
        st.booleans(),
    ),
)
action = st.one_of(
    st.tuples(st.just("raw"), raw_command),
    st.tuples(st.just("select"), st.none()),
    st.tuples(st.just("establish"), st.sampled_from(["doctor", "nurse"])),
    st.tuples(st.just("read"), st.lists(st.integers(1, 12), min_size=1, max_size=4)),
    st.tuples(st.just("reset"), st.none()),
)


def _body(data: bytes, ne: int | None, extended: bool) -> bytes:
    command = CommandApdu(
        cla=0, ins=0, p1=0, p2=0, data=data, ne=ne, extended=extended or len(data) > 255
    )
    return command.to_bytes()[4:]


@given(st.lists(action, max_size=25), st.booleans())
def test_nfc_fuzz_random_sequences(actions: list[tuple[str, Any]], armed: bool) -> None:
    holder = WORLD.holder(seeded_random("fuzz/holder"))
    if armed:
        holder.arm(WORLD.now + timedelta(seconds=60))
    fci: bytes | None = None
    genuine: Handshake | None = None
    genuine_reads = 0
    for kind, argument in actions:
        if kind == "reset":
            holder.reset()
            fci = genuine = None
            continue
        command, offered = _command(kind, argument, fci, genuine)
        reply = ResponseApdu.parse(holder.respond(command, WORLD.now))
        assert reply.sw != 0x6F00
        if kind == "select" and reply.sw == 0x9000:
            fci, genuine = reply.data, None
            continue
        if offered is not None and reply.sw == 0x9000:
            genuine = offered
            continue
        if kind == "read" and genuine is not None:
            genuine.channel.advance()
            if reply.sw == 0x9000 or reply.sw1 == 0x61:
                genuine_reads += 1
                continue
        if kind == "raw" and reply.sw == 0x9000 and command[1] == INS.SELECT:
            fci, genuine = reply.data, None  # a raw SELECT of the AID is a selection too
            continue
        assert reply.data == b"" or command[1] == INS.GET_RESPONSE, (kind, reply)
    presented = [e for e in holder.events() if isinstance(e, Presented)]
    assert len(presented) == genuine_reads
    assert all(set(e.elements) <= set(range(1, 11)) for e in presented)


def _command(
    kind: str, argument: Any, fci: bytes | None, genuine: Handshake | None
) -> tuple[bytes, Handshake | None]:
    if kind == "raw":
        return bytes(argument), None
    if kind == "select":
        return CommandApdu(cla=0, ins=INS.SELECT, p1=4, p2=0, data=AID, ne=256).to_bytes(), None
    if kind == "establish":
        if fci is None:
            return bytes.fromhex("8086000000"), None
        hs = handshake(fci, WORLD.reader(argument), seeded_random(f"fuzz/{argument}"))
        command = CommandApdu(
            cla=0x80, ins=INS.ESTABLISH, p1=0, p2=0, data=hs.establish, extended=True
        )
        return command.to_bytes(), hs
    if genuine is None:
        return bytes.fromhex("80cb000010") + bytes(16) + b"\x00", None
    plaintext = encode_request(sorted(set(argument)))
    sealed = genuine.channel.seal_command(bytes([0x80, INS.READ, 0, 0]), plaintext)
    return CommandApdu(cla=0x80, ins=INS.READ, p1=0, p2=0, data=sealed, ne=256).to_bytes(), None
