"""The holder core against a reader: states, presence, disclosure, chaining, errors.

Verifies VDC-NFC-041, 043, 050..054, 060..064, 110..114, 130, 131, 200..203 and
VDC-SM-012, 034, 041, 042, 051.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from tools.vectorgen.nfc_script import Script
from vitale_ref.apdu import AID, INS, MAX_COMMAND_DATA
from vitale_ref.holder import HolderCore, Presented, ReceiptFiled, State
from vitale_ref.holder.adapters import PkiReaderAuthority
from vitale_ref.holder.samples import SampleWorld
from vitale_ref.link import InMemoryLink
from vitale_ref.randomness import p256_private_key, seeded_random
from vitale_ref.reader import ReaderError, ReadResult, run_read, signed_receipt
from vitale_ref.sm import Receipt, encode_request

TYPICAL = list(range(1, 11))


def _read(
    world: SampleWorld,
    holder: HolderCore,
    *,
    reader: str = "doctor",
    extended: bool = True,
    requested: Sequence[int] = TYPICAL,
    receipt: bool = True,
    now: datetime | None = None,
) -> tuple[InMemoryLink, ReadResult]:
    link = InMemoryLink(holder, now or world.now)
    bill = Receipt(time=world.now, rpps=world.rpps(reader), act="G", amount_cents=3000)
    result = run_read(
        link.transmit,
        identity=world.reader(reader),
        requested=requested,
        verifier=world.verifier,
        random=seeded_random("test/reader"),
        now=now or world.now,
        receipt=bill if receipt else None,
        extended=extended,
    )
    return link, result


def _armed(world: SampleWorld) -> HolderCore:
    holder = world.holder(seeded_random("test/holder"))
    holder.arm(world.now + timedelta(seconds=60))
    return holder


def test_nfc_full_read_in_four_pairs(world: SampleWorld) -> None:
    """VDC-NFC-200, VDC-NFC-130, VDC-NFC-131, VDC-SM-042: four pairs, events, CLOSED."""
    holder = _armed(world)
    link, result = _read(world, holder)
    assert len(link.exchanges) == 4
    assert [e.response[-2:].hex() for e in link.exchanges] == ["9000"] * 4
    assert holder.state is State.CLOSED
    events = holder.events()
    assert [type(e) for e in events] == [Presented, ReceiptFiled]
    presented = events[0]
    assert isinstance(presented, Presented)
    assert presented.reader_rpps == world.rpps("doctor")
    assert presented.elements == tuple(sorted(world.credential.available()))
    assert result.receipt_acknowledged is True
    assert set(result.elements) == world.credential.available()
    assert holder.events() == []


def test_nfc_short_apdus_chain_and_get_response(world: SampleWorld) -> None:
    """VDC-NFC-201, VDC-NFC-050, VDC-NFC-052: the same read with short APDUs only."""
    link, result = _read(world, _armed(world), extended=False)
    headers = [e.command[:2].hex() for e in link.exchanges]
    assert headers.count("9086") >= 2  # ESTABLISH sent as a chain
    assert all(len(e.command) <= 261 for e in link.exchanges)
    assert set(result.elements) == world.credential.available()


@pytest.mark.parametrize("offset", [None, 0, 1])
def test_nfc_presence_window(world: SampleWorld, offset: int | None) -> None:
    """VDC-NFC-111: not armed, or now at the deadline: 6982; before it: data."""
    holder = world.holder(seeded_random("test/holder"))
    if offset is not None:
        holder.arm(world.now + timedelta(seconds=offset))
    if offset == 1:
        _read(world, holder, receipt=False)
        assert holder.state is State.READ_DONE
        return
    with pytest.raises(ReaderError, match="READ answered 6982") as error:
        _read(world, holder)
    assert error.value.sw == 0x6982
    assert holder.state is State.ESTABLISHED
    assert holder.events() == []


def test_nfc_presence_from_callable(world: SampleWorld) -> None:
    """VDC-NFC-113: presence may come from a function the app provides."""
    deadline: list[datetime | None] = [None]
    holder = HolderCore(
        credential=world.credential,
        readers=PkiReaderAuthority(world.pki.reader_root.certificate),
        random=seeded_random("test/holder"),
        presence_until=lambda: deadline[0],
    )
    assert not holder.armed(world.now)
    deadline[0] = world.now + timedelta(seconds=60)
    assert holder.armed(world.now + timedelta(seconds=59))
    assert not holder.armed(world.now + timedelta(seconds=60))


def test_nfc_intersection_of_request_and_certificate(script: Script) -> None:
    """VDC-NFC-110, VDC-NFC-114: the nurse gets only its allowed elements; none: 6A88."""
    hs = script.establish("nurse")
    reply = script.read(hs, [1, 5, 6, 7])
    assert reply.sw == 0x9000
    assert script.holder.events()[0] == Presented(
        reader_rpps=script.world.rpps("nurse"),
        elements=tuple(i for i in (1, 7) if i in script.world.credential.available()),
        time=script.now,
    )
    hs = script.establish("nurse", suffix="/2")
    reply = script.read(hs, [5, 6])
    assert (reply.sw, reply.data) == (0x6A88, b"")
    assert script.holder.state is State.ESTABLISHED


def test_nfc_untrusted_reader_ends_session(script: Script) -> None:
    """VDC-SM-012, VDC-NFC-061: a chain from another root is 6300 and back to IDLE."""
    from vitale_ref.pki import generate_test_pki
    from vitale_ref.reader import ReaderIdentity

    other = generate_test_pki("test/other").readers["doctor"]
    script.establish(identity=ReaderIdentity(chain=(other.der,), key=other.private_key))
    assert script.exchanges[-1]["response"] == "6300"
    assert script.holder.state is State.IDLE


def test_nfc_tampering_ends_session_and_discloses_nothing(script: Script) -> None:
    """VDC-SM-034, VDC-SM-035: a flipped tag bit is 6988 with no data; the session is gone."""
    hs = script.establish()
    sealed = bytearray(script.sealed(hs, INS.READ, encode_request([1])))
    sealed[-1] ^= 0x80
    reply = script.apdu(0x80, INS.READ, bytes(sealed), ne=256)
    assert (reply.sw, reply.data) == (0x6988, b"")
    assert script.holder.state is State.IDLE
    assert script.read(hs, [1]).sw == 0x6985
    assert script.holder.events() == []


def test_nfc_state_table_refuses_out_of_order(script: Script) -> None:
    """VDC-NFC-060, VDC-NFC-064: commands outside their state are 6985 and change nothing."""
    for ins in (INS.ESTABLISH, INS.READ, INS.RECEIPT):
        assert script.apdu(0x80, ins, bytes(20), ne=256).sw == 0x6985
    assert script.holder.state.value == "idle"
    hs = script.establish()
    assert script.apdu(0x80, INS.ESTABLISH, hs.establish).sw == 0x6985
    assert script.apdu(0x80, INS.RECEIPT, bytes(20), ne=256).sw == 0x6985
    assert script.holder.state is State.ESTABLISHED
    assert script.read(hs, [1]).sw == 0x9000
    assert script.read(hs, [1]).sw == 0x6985  # one read per session
    assert script.holder.state.value == "read-done"


def test_nfc_select_rules(script: Script) -> None:
    """VDC-NFC-053, VDC-NFC-063: short Le gives 6CXX and no key; another AID keeps the session."""
    fci = script.select()
    reply = script.apdu(0x00, INS.SELECT, AID, p1=4, ne=len(fci) - 1)
    assert reply.sw == 0x6C00 | len(fci)
    hs = script.establish()
    assert script.select(bytes.fromhex("A0000000031010")) == b""
    assert script.exchanges[-1]["response"] == "6a82"
    assert script.read(hs, [1]).sw == 0x9000


def test_nfc_chaining_limits(script: Script) -> None:
    """VDC-NFC-050, VDC-NFC-051, VDC-NFC-054: buffer bound, broken chains, chaining refused."""
    script.select()
    for _ in range(MAX_COMMAND_DATA // 256):
        assert script.apdu(0x90, INS.ESTABLISH, bytes(256 - 1)).sw == 0x9000
    assert script.apdu(0x90, INS.ESTABLISH, bytes(255)).sw == 0x6A84
    assert script.apdu(0x90, INS.ESTABLISH, bytes(10)).sw == 0x9000
    assert script.apdu(0x80, INS.READ, bytes(10), ne=256).sw == 0x6883
    assert script.apdu(0x10, INS.SELECT, AID, p1=4, ne=256).sw == 0x6884
    assert script.apdu(0x10, INS.GET_RESPONSE, ne=256).sw == 0x6884
    big = bytes(MAX_COMMAND_DATA + 1)
    assert script.apdu(0x80, INS.ESTABLISH, big, extended=True).sw == 0x6A84
    assert script.holder.state is State.SELECTED


def test_nfc_get_response_rules(world: SampleWorld, script: Script) -> None:
    """VDC-NFC-052, VDC-NFC-043: 61XX parts; another command drops what is pending."""
    assert script.apdu(0x00, INS.GET_RESPONSE, ne=256).sw == 0x6985
    script.select(ne=256)
    reply = script.apdu(0x00, INS.SELECT, AID, p1=4, ne=256)
    fci = reply.data
    script.apdu(0x00, INS.SELECT, AID, p1=4, ne=256)
    assert len(fci) > 16
    # READ with Ne = 16 forces GET RESPONSE; a SELECT in between drops the rest.
    hs = script.establish()
    sealed = script.sealed(hs, INS.READ, encode_request([1, 2]))
    first = script.apdu(0x80, INS.READ, sealed, ne=16)
    assert first.sw1 == 0x61 and len(first.data) == 16
    second = script.apdu(0x00, INS.GET_RESPONSE, ne=16)
    assert second.sw1 in (0x61, 0x90) and len(second.data) == 16
    script.select()
    assert script.apdu(0x00, INS.GET_RESPONSE, ne=256).sw == 0x6985


def test_nfc_reset(script: Script) -> None:
    """VDC-NFC-062: reset returns to IDLE; arming survives."""
    hs = script.establish()
    script.holder.reset()
    assert script.holder.state is State.IDLE
    assert script.read(hs, [1]).sw == 0x6985
    assert script.holder.armed(script.now)


def test_nfc_receipt_checks(script: Script) -> None:
    """VDC-SM-041, VDC-SM-042: bad signature 6300, other RPPS 6A80, valid one acknowledged."""
    world = script.world
    hs = script.establish()
    assert script.read(hs, [1]).sw == 0x9000
    script.holder.events()
    bill = Receipt(time=world.now, rpps=world.rpps(), act="G", amount_cents=3000)
    forged = signed_receipt(hs, world.reader("pharmacist"), bill)
    reply = script.apdu(0x80, INS.RECEIPT, script.sealed(hs, INS.RECEIPT, forged), ne=256)
    hs.channel.advance()
    assert (reply.sw, script.holder.state) == (0x6300, State.READ_DONE)
    other = Receipt(time=world.now, rpps=world.rpps("nurse"), act="G", amount_cents=1)
    wrong = signed_receipt(hs, world.reader(), other)
    reply = script.apdu(0x80, INS.RECEIPT, script.sealed(hs, INS.RECEIPT, wrong), ne=256)
    hs.channel.advance()
    assert reply.sw == 0x6A80
    assert script.holder.events() == []
    good = signed_receipt(hs, world.reader(), bill)
    reply = script.apdu(0x80, INS.RECEIPT, script.sealed(hs, INS.RECEIPT, good), ne=256)
    assert reply.sw == 0x9000 and len(reply.data) == 16
    assert hs.channel.open_response(bytes([0x80, INS.RECEIPT, 0, 0]), reply.data) == b""
    (event,) = script.holder.events()
    assert isinstance(event, ReceiptFiled) and event.receipt == bill
    assert script.holder.state is State.CLOSED


class _Oversharing:
    """A dishonest credential source that discloses more than asked."""

    def __init__(self, world: SampleWorld, key: ec.EllipticCurvePrivateKey | None = None) -> None:
        self._inner = world.credential
        self._key = key

    @property
    def device_key(self) -> ec.EllipticCurvePrivateKey:
        return self._key or self._inner.device_key

    def available(self) -> frozenset[int]:
        return self._inner.available()

    def presentation(self, element_ids: Sequence[int]) -> bytes:
        ids = list(element_ids) if self._key else sorted(self._inner.available())
        return self._inner.presentation(ids)


@pytest.mark.parametrize(
    ("wrong_key", "message"),
    [
        (False, r"holder disclosed elements not requested: \[2\]"),
        (True, "device signature over the session transcript is invalid"),
    ],
)
def test_nfc_reader_rejects_dishonest_holder(
    world: SampleWorld, wrong_key: bool, message: str
) -> None:
    """VDC-NFC-202, VDC-SM-051: excess disclosure or a signature by another key is refused."""
    key = p256_private_key(seeded_random("test/not-bound")) if wrong_key else None
    holder = HolderCore(
        credential=_Oversharing(world, key),
        readers=PkiReaderAuthority(world.pki.reader_root.certificate),
        random=seeded_random("test/holder"),
    )
    holder.arm(world.now + timedelta(seconds=60))
    available = sorted(world.credential.available())
    with pytest.raises(ReaderError, match=message):
        _read(world, holder, requested=[i for i in available if i != 2], receipt=False)


class _Broken:
    device_key = p256_private_key(seeded_random("test/broken"))

    def available(self) -> frozenset[int]:
        raise RuntimeError("storage unavailable")

    def presentation(self, element_ids: Sequence[int]) -> bytes:
        raise RuntimeError("unreachable")


def test_nfc_internal_error_fails_closed(world: SampleWorld, script: Script) -> None:
    """VDC-NFC-041: an exception inside is 6F00 and IDLE, never an escape."""
    holder = HolderCore(
        credential=_Broken(),
        readers=PkiReaderAuthority(world.pki.reader_root.certificate),
        random=seeded_random("test/holder"),
    )
    holder.arm(world.now + timedelta(seconds=60))
    script.holder = holder
    hs = script.establish()
    assert script.read(hs, [1]).sw == 0x6F00
    assert holder.state is State.IDLE


def test_nfc_oversized_inputs(script: Script) -> None:
    """VDC-NFC-051, VDC-NFC-010: a 64 KB extended APDU is 6A84; 70 KB of bytes is 6700."""
    script.select()
    huge = bytes([0x80, INS.ESTABLISH, 0, 0, 0]) + (65535).to_bytes(2, "big") + bytes(65535)
    assert script.send(huge).sw == 0x6A84
    assert script.send(bytes([0x80, INS.ESTABLISH, 0, 0]) + bytes(70_000)).sw == 0x6700
    assert script.holder.state is State.SELECTED
