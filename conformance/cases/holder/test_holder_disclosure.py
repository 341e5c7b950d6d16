"""Holder profile: what a reader may obtain, when, and what the holder reports of it
(VDC-NFC-110..114, VDC-NFC-130, VDC-PKI-033).

Readers with different authorisations ask for more than they may: the holder discloses
exactly the intersection of the request, the reader's allowed elements and what it
holds, refuses with 6A88 when that is empty, checks presence after the request and
before the rights, and reports a presentation only when one happened.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from typing import Any

from conformance.adapters import IutBase
from conformance.cases import _material as m
from conformance.cases.holder import _reader_pki as pki
from conformance.cases.holder._reader import Event, holder_events, provisioned
from conformance.cases.holder._scripted import (
    OK,
    READ,
    ReaderKeys,
    Scripted,
    expect_sw,
    reader_keys,
)
from conformance.catalogue import Param, tc
from conformance.outcomes import expect
from vitale_ref.apdu import encode_tlv
from vitale_ref.credential import decode_presentation
from vitale_ref.sm import decode_read_response

OPS = ["holder.setup", "holder.arm", "holder.transmit", "holder.events"]
ALL = tuple(range(1, 11))


def _custom(name: str, allowed: Sequence[int]) -> Callable[[], ReaderKeys]:
    return lambda: pki.reader(name, authorisation=pki.authorisation(allowed))


def _test_pki(name: str) -> Callable[[], ReaderKeys]:
    return lambda: reader_keys(name)


def _allowed(name: str) -> tuple[int, ...]:
    from vitale_ref.pki import reader_authorisation

    entity = m.material().pki.readers[name]
    return reader_authorisation(entity.certificate).allowed_elements


def _rights() -> Iterable[Param]:
    for name in ("doctor", "pharmacist", "nurse"):
        allowed = _allowed(name)
        yield f"{name}-asks-everything", (_test_pki(name), ALL, allowed)
        forbidden = tuple(i for i in ALL if i not in allowed)
        if forbidden:
            yield f"{name}-asks-only-forbidden", (_test_pki(name), forbidden, allowed)
    yield "gapped-2-and-9-asks-everything", (_custom("gapped", (2, 9)), ALL, (2, 9))
    yield "gapped-2-and-9-asks-3-to-8", (_custom("gapped", (2, 9)), (3, 4, 5, 6, 7, 8), (2, 9))
    yield "unknown-element-only", (_custom("unknown-only", (100,)), ALL, (100,))
    yield "allowed-1-and-127-asks-127-and-1", (_custom("edges", (1, 127)), (127, 1), (1, 127))
    yield "allowed-32-elements", (_custom("thirty-two", range(1, 33)), (10, 5, 1), range(1, 33))


def _disclosed(s: Scripted, reply: Any) -> list[int]:
    plaintext = s.open_reply(READ, reply)
    expect(
        plaintext is not None,
        "the answer to READ ELEMENTS is not sealed for it",
        expected="a READ ELEMENTS response sealed with K_dr that opens",
    )
    assert plaintext is not None
    presentation, _ = decode_read_response(plaintext)
    return [int(d.element_id) for d in decode_presentation(presentation).disclosed]


def _events(iut: IutBase) -> list[Event]:
    return holder_events(iut)


@tc(
    "TC-NFC-024",
    title="A reader obtains exactly what it asked for, may read and the holder holds",
    purpose="Readers allowed everything, a subset, a subset with gaps, only an unknown "
    "element, 1 and 127, or 32 elements ask for all or for what they may not read: the "
    "presentation holds exactly the intersection of request, authorisation and "
    "credential, in ascending order, and the Presented event lists the same; an empty "
    "intersection gets 6A88 with no data and no event.",
    verifies=["VDC-NFC-110", "VDC-NFC-114", "VDC-PKI-033", "VDC-NFC-130", "VDC-CRED-060"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed",
    expected="the intersection, or 6A88 without data when it is empty",
    operations=OPS,
    params=_rights,
)
def test_reader_rights(
    iut: IutBase, param: tuple[Callable[[], ReaderKeys], Sequence[int], Sequence[int]]
) -> None:
    keys, requested, allowed = param
    holder = provisioned(iut)
    s = Scripted(holder, reader=keys()).open()
    _events(iut)
    wanted = sorted(set(requested) & set(allowed) & set(holder.elements))
    reply = s.read(requested)
    events = _events(iut)
    if not wanted:
        expect_sw(reply, 0x6A88, "nothing may be disclosed, yet the read was not refused")
        expect(events == [], "a refused read was reported", expected="[]", got=str(events))
        return
    expect(reply.sw == OK, "the read was refused", expected="9000", got=reply.hex()[:40])
    got = _disclosed(s, reply)
    expect(got == wanted, "other elements disclosed", expected=str(wanted), got=str(got))
    listed = [list(e.elements) for e in events if e.kind == "Presented"]
    expect(listed == [wanted], "the Presented event", expected=str([wanted]), got=str(events))


def _presence_orders() -> Iterable[Param]:
    yield "malformed-request-unarmed", ("doctor", encode_tlv(0x5C, b""), 0x6A80)
    yield "duplicate-request-unarmed", ("doctor", encode_tlv(0x5C, b"\x01\x01"), 0x6A80)
    yield "nothing-allowed-unarmed", ("nurse", encode_tlv(0x5C, b"\x05"), 0x6982)
    yield "unknown-element-unarmed", ("doctor", encode_tlv(0x5C, b"\x7f"), 0x6982)


@tc(
    "TC-NFC-030",
    title="Presence is checked after the request and before the reader's rights",
    purpose="Without armed presence, a malformed request still gets 6A80, and a "
    "well-formed one gets 6982 even when nothing it names may be disclosed (never 6A88).",
    verifies=["VDC-NFC-111", "VDC-NFC-023", "VDC-NFC-114"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned, not armed, session established",
    expected="6A80 for a malformed request, 6982 for a well-formed one, without data",
    operations=OPS,
    params=_presence_orders,
)
def test_presence_order(iut: IutBase, param: tuple[str, bytes, int]) -> None:
    reader, plaintext, sw = param
    s = Scripted(provisioned(iut, armed=False), reader=reader_keys(reader)).open()
    expect_sw(s.protected(READ, plaintext), sw, "answered by another check than the first")


def _late_read(s: Scripted) -> None:
    reply = s.read([2, 1], at=m.NOW + timedelta(seconds=7))
    expect(reply.sw == OK, "the read failed", expected="9000", got=reply.hex()[:40])


def _reported() -> Iterable[Param]:
    later = m.NOW + timedelta(seconds=7)
    yield (
        "read-at-now-plus-7s",
        (
            _late_read,
            [Event(kind="Presented", rpps="19999999006", time=later, elements=(1, 2))],
        ),
    )
    yield "refused-6982", (lambda s: s.read([2], at=m.NOW + timedelta(seconds=60)), [])
    yield "refused-6A80", (lambda s: s.protected(READ, encode_tlv(0x5C, b"")), [])
    yield "refused-6A88", (lambda s: s.read([127]), [])
    yield "refused-6988", (lambda s: s.send(s.sealed(READ, b"\x5c\x01\x02", counter=2)), [])


@tc(
    "TC-NFC-031",
    title="The holder reports a presentation exactly when one happened",
    purpose="A read at now + 7 s produces one Presented event naming the reader, the "
    "disclosed elements in ascending order and that instant; a READ ELEMENTS refused for "
    "presence, for its request, for the rights or for its protection produces none.",
    verifies=["VDC-NFC-130", "VDC-HIST-001"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed at now, session established at now",
    expected="exactly the listed events",
    operations=OPS,
    params=_reported,
)
def test_reported(iut: IutBase, param: tuple[Callable[[Scripted], object], list[Any]]) -> None:
    act, wanted = param
    s = Scripted(provisioned(iut)).open()
    _events(iut)
    act(s)
    events = _events(iut)
    expect(events == wanted, "the events reported", expected=str(wanted), got=str(events))


@tc(
    "TC-NFC-034",
    title="The device signature is made with the key the presented credential binds",
    purpose="For a read of every element, the device signature over the session verifies "
    "with the device key of the credential presented in the same answer, and the "
    "credential verifies under the holder's issuing root.",
    verifies=["VDC-NFC-120", "VDC-SM-050", "VDC-CRED-013"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed",
    expected="the signature verifies with the credential's device key",
    operations=OPS,
)
def test_binding(iut: IutBase) -> None:
    from vitale_ref.credential import verify_presentation
    from vitale_ref.sm import LABEL_DEVICE_AUTH, device_auth_message, verify

    holder = provisioned(iut)
    s = Scripted(holder).open()
    request = encode_tlv(0x5C, bytes(ALL))
    reply = s.protected(READ, request)
    plaintext = s.open_reply(READ, reply)
    expect(plaintext is not None, "the read failed", expected="9000", got=reply.hex()[:40])
    assert plaintext is not None
    presentation, signature = decode_read_response(plaintext)
    verified = verify_presentation(presentation, trust_anchor=holder.issuing_root, now=m.NOW)
    message = device_auth_message(s.transcript, request, presentation)
    expect(
        verify(verified.device_public_key, signature, LABEL_DEVICE_AUTH, message),
        "the device signature does not verify with the credential's device key",
        expected="a signature by the bound key over the session",
        got=signature.hex()[:40],
    )
