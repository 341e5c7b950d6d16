"""The C-APDU header fast path agrees with its documented construct format (VDC-NFC-010)."""

from __future__ import annotations

import construct as cs
from hypothesis import given
from hypothesis import strategies as st

from vitale_ref.apdu import ApduError, CommandApdu

HEADER = cs.Struct("cla" / cs.Int8ub, "ins" / cs.Int8ub, "p1" / cs.Int8ub, "p2" / cs.Int8ub)
"""The header's documented format (four unsigned bytes, ISO/IEC 7816-4 5.1): the oracle
of the direct indexing in CommandApdu."""

BYTE = st.integers(0, 0xFF)


@given(header=st.binary(min_size=4, max_size=4), body=st.binary(max_size=300))
def test_nfc_apdu_header_parse_matches_construct(header: bytes, body: bytes) -> None:
    """VDC-NFC-010: parse reads CLA, INS, P1, P2 exactly as the HEADER struct does."""
    expected = HEADER.parse(header)
    try:
        command = CommandApdu.parse(header + body)
    except ApduError:
        return  # the body's length fields were inconsistent: the header is not at stake
    assert (command.cla, command.ins, command.p1, command.p2) == (
        expected.cla,
        expected.ins,
        expected.p1,
        expected.p2,
    )


@given(
    fields=st.tuples(BYTE, BYTE, BYTE, BYTE),
    data=st.binary(max_size=255),
    extended=st.booleans(),
)
def test_nfc_apdu_header_build_matches_construct(
    fields: tuple[int, int, int, int], data: bytes, extended: bool
) -> None:
    """VDC-NFC-010: to_bytes writes the header the HEADER struct builds, then the body."""
    cla, ins, p1, p2 = fields
    command = CommandApdu(cla=cla, ins=ins, p1=p1, p2=p2, data=data, extended=extended)
    encoded = command.to_bytes()
    assert encoded[:4] == HEADER.build({"cla": cla, "ins": ins, "p1": p1, "p2": p2})
    parsed = CommandApdu.parse(encoded)
    assert (parsed.cla, parsed.ins, parsed.p1, parsed.p2, parsed.data) == (cla, ins, p1, p2, data)
