"""Holder profile: APDU-level rules that need a sequence of commands (spec chapter VDC-NFC)."""

from __future__ import annotations

from collections.abc import Iterable

from conformance.adapters import IutBase
from conformance.cases.holder._reader import APDU_LEVEL, SELECT, apdu_session, provisioned
from conformance.catalogue import Param, tc
from conformance.outcomes import expect

Step = tuple[bytes, str]  # command, expected status word ("6Cxx": only SW1 is fixed)


def _part(size: int) -> bytes:
    return bytes.fromhex("90860000") + bytes([size]) + bytes(size)


def _sequences() -> Iterable[Param]:
    select_short_le = SELECT[:-1] + b"\x01"
    yield "wrong-le-on-select", [(select_short_le, "6Cxx")]
    yield "interrupted-chain", [(SELECT, "9000"), (_part(1), "9000"), (SELECT, "6883")]
    yield "chaining-on-select", [(b"\x10" + SELECT[1:], "6884")]
    yield (
        "chained-data-beyond-4096",
        [(SELECT, "9000")] + [(_part(255), "9000")] * 16 + [(_part(255), "6A84")],
    )


@tc(
    "TC-NFC-009",
    title="Chaining, buffer bound and wrong Le follow the status-word table",
    purpose="An interrupted chain answers 6883, chaining where it is not allowed 6884, "
    "chained data beyond 4096 bytes 6A84, a SELECT with too short an Le 6CXX.",
    verifies=["VDC-NFC-050", "VDC-NFC-051", "VDC-NFC-053", "VDC-NFC-054", "VDC-SM-035"],
    profile="holder",
    kind="negative",
    preconditions="application selectable; provisioned when the holder can be set up",
    expected="each command answers the listed status word with no data",
    operations=APDU_LEVEL,
    params=_sequences,
)
def test_sequences(iut: IutBase, param: list[Step]) -> None:
    send = apdu_session(iut)
    for number, (command, wanted) in enumerate(param, start=1):
        response = send(command)
        got = response[-2:].hex().upper()
        fixed = wanted.replace("xx", "")
        data_allowed = wanted == "9000" and command[1] == 0xA4
        expect(
            got.startswith(fixed) and (data_allowed or len(response) == 2),
            f"command {number} answered out of the table",
            expected=f"{wanted} without data" if not data_allowed else wanted,
            got=response.hex().upper()[:80],
        )


@tc(
    "TC-NFC-014",
    title="A new selection starts a new session with a new key",
    purpose="Each SELECT gives a fresh device ephemeral key and drops the previous session.",
    verifies=["VDC-NFC-063", "VDC-SM-003"],
    profile="holder",
    kind="positive",
    preconditions="application selectable; provisioned when the holder can be set up",
    expected="two SELECT answers 9000 with different FCI",
    operations=APDU_LEVEL,
)
def test_new_selection(iut: IutBase) -> None:
    send = apdu_session(iut)
    first, second = send(SELECT), send(SELECT)
    expect(
        first[-2:] == second[-2:] == b"\x90\x00",
        "SELECT failed",
        expected="9000 twice",
        got=f"{first[-2:].hex()} {second[-2:].hex()}",
    )
    expect(
        first != second,
        "the same ephemeral key was served twice",
        expected="different FCI",
        got=first.hex().upper()[:80],
    )


def _establish_variants() -> Iterable[Param]:
    import dataclasses

    from conformance.cases import _material as m
    from vitale_ref.apdu import PROTOCOL_VERSIONS
    from vitale_ref.randomness import p256_private_key, seeded_random
    from vitale_ref.sm import Establish, encode_point

    point = encode_point(p256_private_key(seeded_random("conformance/establish")).public_key())
    doctor = m.material().pki.readers["doctor"]
    base = Establish(
        version=PROTOCOL_VERSIONS[0], reader_key=point, chain=(doctor.der,), signature=bytes(64)
    )
    yield "not-tlv", (b"\x01\x02\x03", ("6A80",))
    yield "trailing-byte", (base.encode() + b"\x00", ("6A80",))
    compressed = dataclasses.replace(base, reader_key=b"\x02" + point[1:33])
    yield "compressed-point", (compressed.encode(), ("6A80",))
    off_curve = dataclasses.replace(base, reader_key=b"\x04" + bytes(64))
    yield "point-off-curve", (off_curve.encode(), ("6A80",))
    r_zero = dataclasses.replace(base, signature=bytes(63) + b"\x01")
    yield "signature-r-zero", (r_zero.encode(), ("6300",))
    short_signature = dataclasses.replace(base, signature=bytes(62) + b"\x01")
    yield "signature-63-bytes", (short_signature.encode(), ("6A80",))
    # VDC-SM-014: r = s = 0 is a well-formed signature that does not verify.
    yield "signature-zero", (base.encode(), ("6300",))
    not_certificate = dataclasses.replace(base, chain=(b"\x30\x03\x02\x01\x00",))
    yield "chain-entry-not-a-certificate", (not_certificate.encode(), ("6300",))
    not_sequence = dataclasses.replace(base, chain=(b"\x04\x03\x02\x01\x00",))
    yield "chain-entry-not-a-sequence", (not_sequence.encode(), ("6A80",))
    unoffered = dataclasses.replace(base, version=0x7F)
    yield "version-not-offered", (unoffered.encode(), ("6A81",))  # VDC-NFC-072


@tc(
    "TC-SM-007",
    title="Malformed session establishment data is refused",
    purpose="ESTABLISH SESSION data that is not strict BER-TLV, a reader key that is not "
    "an uncompressed P-256 point, or a signature that is not a valid 64-byte r || s is "
    "refused before any key is derived.",
    verifies=["VDC-NFC-030", "VDC-SM-002", "VDC-SM-004", "VDC-SM-013", "VDC-SM-014"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned, application selected",
    expected="6A80 for malformed data, points, a 63-byte signature and a chain entry of "
    "another tag; 6A81 for a version not offered (VDC-NFC-072); 6300 for r = 0 (and "
    "s = 0) and a chain entry that is no certificate",
    operations=["holder.setup", "holder.transmit"],
    params=_establish_variants,
)
def test_malformed_establish(iut: IutBase, param: tuple[bytes, tuple[str, ...]]) -> None:
    data, allowed = param
    send = provisioned(iut, armed=False).transmit()
    send(SELECT)
    command = bytes([0x80, 0x86, 0, 0, 0]) + len(data).to_bytes(2, "big") + data
    response = send(command).hex().upper()
    expect(
        response in allowed,
        "ESTABLISH SESSION response status word differs from VDC-SM-014's order of checks",
        expected=" or ".join(allowed),
        got=response[:80],
    )


@tc(
    "TC-NFC-016",
    title="Field loss returns the holder to IDLE, presence stays armed",
    purpose="After the field drops mid-session the session is gone (READ answers 6985); "
    "a new read succeeds without a new unlock.",
    verifies=["VDC-NFC-062"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed, session established",
    expected="6985 after field loss; then a complete read",
    operations=["holder.setup", "holder.arm", "holder.transmit", "holder.field_off"],
)
def test_field_loss(iut: IutBase) -> None:
    from vitale_ref.reader import ReaderError

    holder = provisioned(iut)
    send = holder.transmit()

    def spy(command: bytes) -> bytes:
        if command[1] == 0xCB:  # the field drops as READ is sent
            iut.call("holder.field_off", {})
        return send(command)

    try:
        holder.read([2], transmit=spy)
    except ReaderError as error:
        expect(
            error.sw == 0x6985,
            "READ after field loss not refused by state",
            expected="6985",
            got=str(error),
        )
    else:
        expect(False, "the session survived the field loss", expected="6985", got="9000")
    try:
        holder.read([2])
    except ReaderError as error:
        expect(False, "presence was lost with the field", expected="a read", got=str(error))
