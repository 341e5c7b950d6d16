"""Holder profile: the session state machine under a malicious reader (VDC-NFC-060..064).

Every command outside its state's row is refused with 6985 and changes nothing; after
every other refusal the holder is in exactly the state the status-word table gives:
back to IDLE after 6300 to ESTABLISH SESSION and after 6988, unchanged with the counter
advanced after a protected command refused on its content, unchanged after anything
refused before its own checks. Each case then sends the next command an honest reader
would and checks its answer, which tells the states apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from conformance.adapters import IutBase
from conformance.cases.holder._reader import SELECT, provisioned
from conformance.cases.holder._scripted import (
    ESTABLISH,
    OK,
    READ,
    RECEIPT,
    Scripted,
    apdu,
    default_receipt,
    expect_sw,
    reader_keys,
)
from conformance.catalogue import Param, tc
from conformance.outcomes import expect
from vitale_ref.apdu import encode_tlv

OPS = ["holder.setup", "holder.arm", "holder.transmit"]
STATE_REFUSED = 0x6985
Step = Callable[[Scripted], None]


def _expect_ok(reply_sw: int, data: bytes, what: str) -> None:
    expect(reply_sw == OK, what, expected="9000", got=f"{data.hex().upper()[:40]} {reply_sw:04X}")


def _read_ok(s: Scripted, counter: int | None = None) -> None:
    """A READ ELEMENTS of element 2 sealed as exchange `counter` must be answered."""
    reply = s.read([2], counter=counter)
    _expect_ok(reply.sw, reply.data, f"READ ELEMENTS (exchange {s.last_counter}) was refused")
    expect(
        s.open_reply(READ, reply) is not None,
        "the READ ELEMENTS answer is not sealed for its exchange",
        expected=f"a response sealed with counter {s.last_counter}",
        got=reply.hex()[:80],
    )


def _receipt_ok(s: Scripted) -> None:
    reply = s.receipt()
    _expect_ok(reply.sw, reply.data, f"FILE RECEIPT (exchange {s.last_counter}) was refused")


def _open_and_read(s: Scripted) -> None:
    s.open()
    _read_ok(s)


# -- every command outside its state's row ---------------------------------------------
def _idle(s: Scripted) -> None:
    """A fresh holder: nothing selected."""


def _selected(s: Scripted) -> None:
    s.select()


def _established(s: Scripted) -> None:
    s.open()


def _read_done(s: Scripted) -> None:
    s.open()
    _read_ok(s)


def _closed(s: Scripted) -> None:
    _read_done(s)
    _receipt_ok(s)


def _establish_and_read(s: Scripted) -> None:
    reply = s.establish()
    _expect_ok(reply.sw, reply.data, "the selection did not survive the refused command")
    _read_ok(s)


def _refused_command(s: Scripted, ins: int) -> bytes:
    """A command an honest reader could send, sealed for the next exchange when it can be."""
    if ins == ESTABLISH:
        return apdu(0x80, ESTABLISH, s.field() if s.fci else bytes(200), le=False)
    plaintext = s.receipt_plaintext() if ins == RECEIPT else encode_tlv(0x5C, b"\x02")
    if s.keys is None:
        return apdu(0x80, ins, bytes(48))
    return s.sealed(ins, plaintext)


_STATES: dict[str, tuple[Step, tuple[int, ...], Step]] = {
    # state: how to reach it, the commands its row lacks, what must still work after
    "idle": (_idle, (ESTABLISH, READ, RECEIPT), _open_and_read),
    "selected": (_selected, (READ, RECEIPT), _establish_and_read),
    "established": (_established, (ESTABLISH, RECEIPT), _read_ok),
    "read-done": (_read_done, (ESTABLISH, READ), _receipt_ok),
    "closed": (_closed, (ESTABLISH, READ, RECEIPT), _open_and_read),
}
_NAMES = {ESTABLISH: "establish", READ: "read", RECEIPT: "receipt"}


def _state_cells() -> Iterable[Param]:
    for state, (_, refused, _) in _STATES.items():
        for ins in refused:
            yield f"{_NAMES[ins]}-in-{state}", (state, ins)


@tc(
    "TC-NFC-020",
    title="A command outside its state's row is refused and changes nothing",
    purpose="In each state of the session table, each of ESTABLISH SESSION, READ ELEMENTS "
    "and FILE RECEIPT that the row lacks is answered 6985 with no data, even when it is "
    "well formed and sealed for the next exchange; the session then goes on as if the "
    "command had not been sent (same state, same counter).",
    verifies=["VDC-NFC-060", "VDC-NFC-043", "VDC-NFC-064", "VDC-SM-013", "VDC-SM-035"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed; the state reached with an honest reader",
    expected="6985 without data, then the honest next command of that state succeeds",
    operations=OPS,
    params=_state_cells,
)
def test_state_table(iut: IutBase, param: tuple[str, int]) -> None:
    state, ins = param
    reach, _, after = _STATES[state]
    s = Scripted(provisioned(iut))
    reach(s)
    expect_sw(s.send(_refused_command(s, ins)), STATE_REFUSED, f"{_NAMES[ins]} in state {state}")
    after(s)


# -- the state after each refusal -------------------------------------------------------
def _stranger_field(s: Scripted) -> bytes:
    from vitale_ref.pki import generate_test_pki

    stranger = generate_test_pki("conformance/stranger").readers["doctor"]
    part = s.signed_part(chain=(stranger.der,))
    return part + encode_tlv(0x9E, s.signature(part, key=stranger.private_key))


def _establish_refused(s: Scripted, data: bytes, sw: int) -> None:
    s.select()
    expect_sw(s.establish(data), sw, "ESTABLISH SESSION not refused as specified")


def _bad_signature(s: Scripted) -> None:
    part = s.signed_part()
    other = reader_keys("nurse").key
    _establish_refused(s, part + encode_tlv(0x9E, s.signature(part, key=other)), 0x6300)


def _bad_chain(s: Scripted) -> None:
    _establish_refused(s, _stranger_field(s), 0x6300)


def _malformed_establish(s: Scripted) -> None:
    _establish_refused(s, s.field() + b"\x00", 0x6A80)


def _honest_establish_refused(s: Scripted) -> None:
    """The session is over (IDLE): even an honest ESTABLISH SESSION needs a new SELECT."""
    expect_sw(s.establish(), STATE_REFUSED, "ESTABLISH SESSION accepted after the session ended")


def _tampered(ins: int) -> Step:
    def run(s: Scripted) -> None:
        if ins == RECEIPT:
            _read_done(s)
        else:
            s.open()
        command = bytearray(
            s.sealed(ins, s.receipt_plaintext() if ins == RECEIPT else b"\x5c\x01\x02")
        )
        command[7] ^= 0x01
        expect_sw(s.send(bytes(command)), 0x6988, "altered protected command not refused")
        s.counter += 1

    return run


def _after_integrity_failure(ins: int) -> Step:
    def run(s: Scripted) -> None:
        honest = s.receipt_plaintext() if ins == RECEIPT else b"\x5c\x01\x02"
        for counter in (s.counter - 1, s.counter):
            reply = s.send(s.sealed(ins, honest, counter=counter))
            expect_sw(
                reply,
                STATE_REFUSED,
                f"a protected command (exchange {counter}) was "
                "processed after an integrity failure",
            )
        _honest_establish_refused(s)

    return run


def _refused_read(plaintext: bytes, sw: int, *, reader: str = "doctor") -> Step:
    def run(s: Scripted) -> None:
        s.reader = reader_keys(reader)
        s.open()
        expect_sw(s.protected(READ, plaintext), sw, "READ ELEMENTS not refused as specified")

    return run


def _next_read_ok(s: Scripted) -> None:
    _read_ok(s)


def _same_counter_refused(s: Scripted) -> None:
    reply = s.read([2], counter=s.last_counter)
    expect_sw(reply, 0x6988, "a command sealed with an exchange counter already used was accepted")


def _unarmed_then_armed(s: Scripted) -> None:
    s.holder.arm(s.at)
    _read_ok(s)


def _refused_receipt(plaintext_of: Callable[[Scripted], bytes], sw: int) -> Step:
    def run(s: Scripted) -> None:
        _read_done(s)
        expect_sw(s.protected(RECEIPT, plaintext_of(s)), sw, "FILE RECEIPT not refused")

    return run


def _other_rpps(s: Scripted) -> bytes:
    return s.receipt_plaintext(default_receipt("19999999022"))


def _bad_receipt_signature(s: Scripted) -> bytes:
    return s.receipt_plaintext(transcript=bytes(32))


def _unprotected_refusal(command: Callable[[Scripted], bytes], sw: int) -> Step:
    """A command refused before its own checks, in an established session."""

    def run(s: Scripted) -> None:
        s.open()
        reply = s.send(command(s))
        expect(
            reply.sw == sw or (sw == 0x6C00 and reply.sw >> 8 == 0x6C),
            "command not refused as the table says",
            expected=f"{sw:04X}",
            got=reply.hex()[:80],
        )
        expect(not reply.data, "a refusal carried data", expected="no data", got=reply.hex()[:80])

    return run


def _read_with(
    p1p2: bytes = b"\0\0", *, le: bool = True, size: int = 32
) -> Callable[[Scripted], bytes]:
    return lambda s: apdu(0x80, READ, bytes(size), le=le, p1p2=p1p2)


_REFUSALS: dict[str, tuple[Step, Step, tuple[str, ...]]] = {
    # name: (the refusal in a live session, the check of the state after it, requirements)
    "6300-reader-signature": (_bad_signature, _honest_establish_refused, ("VDC-NFC-061",)),
    "6300-reader-chain": (_bad_chain, _honest_establish_refused, ("VDC-NFC-061",)),
    "6A80-establish-field": (
        _malformed_establish,
        _establish_and_read,
        ("VDC-SM-010",),
    ),
    "6988-read": (_tampered(READ), _after_integrity_failure(READ), ("VDC-SM-034",)),
    "6988-receipt": (_tampered(RECEIPT), _after_integrity_failure(RECEIPT), ("VDC-SM-034",)),
    "6A80-read-request": (_refused_read(b"\x5c\x00", 0x6A80), _next_read_ok, ("VDC-SM-032",)),
    "6A80-read-request-counter-reused": (
        _refused_read(b"\x5c\x00", 0x6A80),
        _same_counter_refused,
        ("VDC-SM-032", "VDC-SM-031"),
    ),
    "6A88-nothing-allowed": (
        _refused_read(b"\x5c\x01\x05", 0x6A88, reader="nurse"),
        _next_read_ok,
        ("VDC-SM-032", "VDC-NFC-114"),
    ),
    "6A80-receipt-rpps": (_refused_receipt(_other_rpps, 0x6A80), _receipt_ok, ("VDC-SM-041",)),
    "6300-receipt-signature": (
        _refused_receipt(_bad_receipt_signature, 0x6300),
        _receipt_ok,
        ("VDC-SM-041",),
    ),
    "6A86-read-p1p2": (_unprotected_refusal(_read_with(b"\x00\x01"), 0x6A86), _next_read_ok, ()),
    "6700-read-without-le": (_unprotected_refusal(_read_with(le=False), 0x6700), _next_read_ok, ()),
    "6A84-read-beyond-4096": (
        _unprotected_refusal(_read_with(size=4097), 0x6A84),
        _next_read_ok,
        ("VDC-NFC-051",),
    ),
    "6D00-unknown-instruction": (
        _unprotected_refusal(lambda s: bytes.fromhex("80FE000000"), 0x6D00),
        _next_read_ok,
        (),
    ),
    "6A82-select-other-aid": (
        _unprotected_refusal(lambda s: bytes.fromhex("00A4040007A000000003101000"), 0x6A82),
        _next_read_ok,
        ("VDC-NFC-063",),
    ),
    "6CXX-select-short-le": (
        _unprotected_refusal(lambda s: SELECT[:-1] + b"\x10", 0x6C00),
        _next_read_ok,
        ("VDC-NFC-053",),
    ),
}


def _refusals() -> Iterable[Param]:
    for name, (refusal, after, _) in _REFUSALS.items():
        yield name, (refusal, after)


@tc(
    "TC-NFC-021",
    title="After every refusal the session is in the state the table gives",
    purpose="A reader provokes each refusal of the status-word table in a live session; "
    "the next command tells the state apart: after 6300 to ESTABLISH SESSION and after "
    "6988 the session is over (IDLE: protected commands 6985, even ESTABLISH SESSION needs "
    "a new SELECT); after a protected command refused on its content (6A80, 6A88, 6300 to "
    "a receipt) the state stays and the counter has advanced (the next exchange number is "
    "accepted, the used one refused); after a refusal by the order of checks, by another "
    "AID or by a short Le on SELECT nothing changed.",
    verifies=[
        "VDC-NFC-061",
        "VDC-NFC-043",
        "VDC-NFC-063",
        "VDC-NFC-053",
        "VDC-NFC-114",
        "VDC-NFC-051",
        "VDC-SM-010",
        "VDC-SM-031",
        "VDC-SM-032",
        "VDC-SM-034",
        "VDC-SM-035",
        "VDC-SM-041",
    ],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed; each refusal provoked in a live session",
    expected="the refusal's status word without data, then the answer of the state the table gives",
    operations=OPS,
    params=_refusals,
)
def test_state_after_refusal(iut: IutBase, param: tuple[Step, Step]) -> None:
    refusal, after = param
    s = Scripted(provisioned(iut))
    refusal(s)
    after(s)


@tc(
    "TC-NFC-022",
    title="A READ ELEMENTS refused for presence leaves the session open and the counter advanced",
    purpose="Without armed presence READ ELEMENTS answers 6982; the session stays "
    "ESTABLISHED with the counter advanced, so once the holder unlocks, the next exchange "
    "number reads and the used one is refused.",
    verifies=["VDC-NFC-111", "VDC-SM-032", "VDC-SM-035"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned, not armed",
    expected="6982 without data; after arming, READ ELEMENTS as exchange 2 succeeds",
    operations=OPS,
)
def test_presence_refusal_keeps_session(iut: IutBase) -> None:
    s = Scripted(provisioned(iut, armed=False)).open()
    expect_sw(s.read([2]), 0x6982, "READ ELEMENTS answered without armed presence")
    _unarmed_then_armed(s)


def _reselections() -> Iterable[Param]:
    for state in ("selected", "established", "read-done", "closed"):
        yield state, state


@tc(
    "TC-NFC-035",
    title="A new SELECT in any state ends the session and starts another",
    purpose="In each state with a session, SELECT of the application answers a new FCI "
    "(a new device key); the previous session is gone (its next protected command gets "
    "6985) and the new one establishes and reads.",
    verifies=["VDC-NFC-063", "VDC-SM-003", "VDC-SM-022", "VDC-NFC-060"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed; the state reached with an honest reader",
    expected="9000 with another FCI; 6985 to the old session's command; then a full read",
    operations=OPS,
    params=_reselections,
)
def test_reselection(iut: IutBase, param: str) -> None:
    reach, _, _ = _STATES[param]
    s = Scripted(provisioned(iut))
    reach(s)
    old_fci, old_keys, old_counter = s.fci, s.keys, s.counter
    s.select()
    expect(
        s.fci != old_fci,
        "the new selection kept the device key",
        got=s.fci.hex()[:40],
        expected="a new FCI key after a new SELECT (VDC-SM-003)",
    )
    if old_keys is not None:
        s.keys = old_keys
        stale = s.send(s.sealed(READ, encode_tlv(0x5C, b"\x02"), counter=old_counter))
        expect_sw(stale, STATE_REFUSED, "the previous session survived the new SELECT")
    _establish_and_read(s)
