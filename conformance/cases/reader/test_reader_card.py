"""Reader profile: the card the suite plays for a reader under test reaches it over its
transport (VDC-TRN-042, 043, VDC-HARN-050).

With `--card pcsc[:READER]` or `--card nfc:PATH` the reader under test reads the suite's
card through pcscd or nfcpy; these cases check that every APDU of a read reached that
card over the transport, and none came as a `transmit` message of the driver protocol.
Without `--card` they are not applicable.
"""

from __future__ import annotations

import threading

from cryptography import x509

from conformance.adapters import IutBase
from conformance.adapters._card_reader import CardReaderIut
from conformance.cases import _material as m
from conformance.cases.reader import _holders as h
from conformance.catalogue import tc
from conformance.outcomes import NotApplicable, expect


def _read_through(iut: IutBase, binding: str) -> None:
    """A read of the honest holder through `binding`: every APDU must reach the suite's
    card on the binding's own thread (the card's), none on the suite's."""
    if not isinstance(iut, CardReaderIut) or iut.binding != binding:
        raise NotApplicable(f"the suite's card is not on {binding} (--card {binding}:...)")
    answer = iut.call("reader.setup", {"trustAnchor": m.material().root})
    root = x509.load_der_x509_certificate(bytes.fromhex(answer["readerRoot"]))
    honest = h.holder(root, "honest")
    threads: list[int] = []

    def spy(command: bytes) -> bytes:
        threads.append(threading.get_ident())
        return honest(command)

    result = iut.call("reader.read", {"requested": [1, 2], "now": m.iso(m.NOW)}, transmit=spy)
    expect(
        sorted(result["elements"]) == ["1", "2"],
        "read failed",
        got=str(result),
        expected="reader.read elements '1' and '2'",
    )
    here = threading.get_ident()
    expect(
        len(threads) >= 3 and here not in threads,
        f"the APDUs did not travel through {binding}",
        expected=f"at least 3 APDUs, all on the thread of the suite's {binding} card",
        got=f"{len(threads)} APDUs, {sum(t == here for t in threads)} on the suite's thread",
    )


@tc(
    "TC-TRN-006",
    title="The reader under test reads the suite's card through pcscd",
    purpose="With --card pcsc the suite's card is a vpcd card of its own reader, and every "
    "APDU of the read reaches it through pcscd, on the card's thread, none as a transmit "
    "message; a reader that relays its APDUs through the driver protocol fails.",
    verifies=["VDC-TRN-042", "VDC-HARN-050"],
    profile="reader",
    kind="negative",
    preconditions="--card pcsc[:READER], with the vpcd reader free",
    expected="the read returns the requested elements; every APDU arrived on the card's thread",
    operations=["reader.setup", "reader.read"],
)
def test_reader_through_pcscd(iut: IutBase) -> None:
    _read_through(iut, "pcsc")


@tc(
    "TC-TRN-011",
    title="The reader under test reads the suite's card through nfcpy",
    purpose="With --card nfc:PATH the suite's card is an ISO-DEP card emulated with nfcpy, "
    "and every APDU of the read reaches it through nfcpy, on the emulator's thread, none as "
    "a transmit message; a reader that relays its APDUs through the driver protocol fails.",
    verifies=["VDC-TRN-043", "VDC-HARN-050"],
    profile="reader",
    kind="negative",
    preconditions="--card nfc:PATH",
    expected="the read returns the requested elements; every APDU arrived on the card's thread",
    operations=["reader.setup", "reader.read"],
)
def test_reader_through_nfcpy(iut: IutBase) -> None:
    _read_through(iut, "nfc")
