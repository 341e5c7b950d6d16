"""Reader profile: the suite plays the holder, honest or not, against a reader under test."""

from __future__ import annotations

from typing import Any

from cryptography import x509

from conformance.adapters import IutBase, OperationError
from conformance.adapters._card_judge import MAX_GET_RESPONSE
from conformance.cases import _material as m
from conformance.cases.reader import _holders as h
from conformance.catalogue import tc
from conformance.outcomes import expect

OPS = ["reader.setup", "reader.read"]
REQUESTED = [1, 2, 4]


def _setup(iut: IutBase, *, status: bool = False) -> x509.Certificate:
    params: dict[str, Any] = {"trustAnchor": m.material().root}
    if status:
        params["statusList"] = m.material().status_list.hex().upper()
    answer = iut.call("reader.setup", params)
    return x509.load_der_x509_certificate(bytes.fromhex(answer["readerRoot"]))


def _read(iut: IutBase, transmit: h.Transmit, requested: list[int] | None = None) -> Any:
    params = {"requested": requested or REQUESTED, "now": m.iso(m.NOW)}
    return iut.call("reader.read", params, transmit=transmit)


def _rejects(iut: IutBase, transmit: h.Transmit, why: str) -> list[bytes]:
    """The read must end in the error `rejected`; returns the commands the reader sent."""
    sent: list[bytes] = []

    def spy(command: bytes) -> bytes:
        sent.append(command)
        return transmit(command)

    try:
        result = _read(iut, spy)
    except OperationError as error:
        expect(error.kind == "rejected", "wrong error kind", expected="rejected", got=error.kind)
        return sent
    expect(
        False,
        f"the reader accepted {why}",
        expected="error rejected",
        got=f"elements {sorted(result['elements'])}",
    )
    return sent


@tc(
    "TC-NFC-010",
    title="A reader completes an authenticated read of an honest holder",
    purpose="The reader selects, authenticates, reads and returns the requested elements "
    "in at most four exchanges.",
    verifies=["VDC-NFC-200", "VDC-SM-051", "VDC-SM-003"],
    profile="reader",
    kind="positive",
    preconditions="the reader trusts the suite's issuing root",
    expected="elements {1, 2, 4}; at most 4 command/response pairs with extended APDUs",
    operations=OPS,
)
def test_honest_holder(iut: IutBase) -> None:
    root = _setup(iut)
    log: list[tuple[bytes, bytes]] = []
    result = _read(iut, h.recorder(h.holder(root, "honest"), log))
    got = sorted(int(k) for k in result["elements"])
    expect(got == REQUESTED, "wrong elements returned", expected=str(REQUESTED), got=str(got))
    expect(len(log) <= 4, "more than four exchanges", expected="<= 4", got=str(len(log)))


def _rejection_case(
    case_id: str, title: str, verifies: list[str], kind: str, *, status: bool = False
) -> None:
    def check(iut: IutBase) -> None:
        root = _setup(iut, status=status)
        _rejects(iut, h.holder(root, kind), f"a {kind} holder")

    check.__name__ = f"test_{case_id.lower().replace('-', '_')}"
    check.__qualname__ = check.__name__
    globals()[check.__name__] = tc(
        case_id,
        title=title,
        purpose=f"{title}: the reader must refuse the read.",
        verifies=verifies,
        profile="reader",
        kind="negative",
        preconditions="the reader trusts the suite's issuing root",
        expected="error rejected",
        operations=OPS,
    )(check)


_rejection_case("TC-NFC-011", "The holder discloses more than requested", ["VDC-NFC-202"], "excess")
_rejection_case(
    "TC-SM-003",
    "The device signature is by another key",
    ["VDC-SM-051", "VDC-CRED-046"],
    "wrong-device-key",
)
_rejection_case(
    "TC-CRED-012", "A disclosed element was tampered with", ["VDC-CRED-045"], "tampered"
)
_rejection_case("TC-CRED-013", "The credential has expired", ["VDC-CRED-043"], "expired")
_rejection_case(
    "TC-CRED-014", "The credential is revoked", ["VDC-CRED-053"], "revoked", status=True
)


@tc(
    "TC-NFC-012",
    title="A reader stops at the first error status word",
    purpose="When the holder refuses READ ELEMENTS (6982, not armed) the reader reports "
    "the failure and sends nothing more.",
    verifies=["VDC-NFC-203"],
    profile="reader",
    kind="negative",
    preconditions="the holder is not armed",
    expected="error rejected, READ ELEMENTS is the last command sent",
    operations=OPS,
)
def test_stops_on_error(iut: IutBase) -> None:
    root = _setup(iut)
    sent = _rejects(iut, h.holder(root, "honest", armed=False), "a holder that refused")
    expect(
        bool(sent) and sent[-1][1] == 0xCB,
        "the reader went on after the error",
        expected="last command READ ELEMENTS (INS CB)",
        got=" ".join(c[:2].hex().upper() for c in sent),
    )


@tc(
    "TC-NFC-013",
    title="A reader bounds its work on endless responses",
    purpose="A holder that announces more data forever (61FF) is given up on, with an "
    "error, after at most 200 GET RESPONSE commands (the SELECT and any other command "
    "are not counted).",
    verifies=["VDC-NFC-052", "VDC-NFC-203"],
    profile="reader",
    kind="boundary",
    preconditions="none",
    expected="error rejected after at most 200 GET RESPONSE commands",
    operations=OPS,
)
def test_endless_more_data(iut: IutBase) -> None:
    _setup(iut)
    sent = _rejects(iut, h.endless_more_data, "an endless response")
    # INS C0 is GET RESPONSE (ISO 7816-4); the CLA's chaining and SM bits do not matter.
    get_responses = sum(1 for command in sent if len(command) >= 2 and command[1] == 0xC0)
    expect(
        get_responses <= MAX_GET_RESPONSE,
        "unbounded GET RESPONSE loop",
        expected=f"<= {MAX_GET_RESPONSE} GET RESPONSE commands",
        got=f"{get_responses} GET RESPONSE commands ({len(sent)} commands in all)",
    )


@tc(
    "TC-SM-004",
    title="A replayed session is refused",
    purpose="Answers recorded from an earlier read do not verify in a new session, "
    "because the reader uses a fresh ephemeral key.",
    verifies=["VDC-SM-003", "VDC-SM-031", "VDC-SM-051"],
    profile="reader",
    kind="negative",
    preconditions="one honest read recorded",
    expected="the honest read succeeds; the replay ends in error rejected",
    operations=OPS,
)
def test_replay(iut: IutBase) -> None:
    root = _setup(iut)
    log: list[tuple[bytes, bytes]] = []
    _read(iut, h.recorder(h.holder(root, "honest"), log))
    _rejects(iut, h.replayer(log), "a replayed session")
