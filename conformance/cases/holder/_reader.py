"""The suite as a reader against a holder under test, built on the reference reader core."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509

from conformance.adapters import IutBase
from conformance.cases import _material as m
from conformance.outcomes import expect
from vitale_ref.randomness import seeded_random
from vitale_ref.reader import ReaderError, ReaderIdentity, ReadResult, run_read
from vitale_ref.reader.adapters import CredentialVerifier
from vitale_ref.sm import Receipt

SELECT = bytes.fromhex("00A4040007F056495441 4C4500".replace(" ", ""))
Transmit = Callable[[bytes], bytes]


@dataclass
class Holder:
    """A provisioned holder under test and what the suite learnt at setup."""

    iut: IutBase
    issuing_root: x509.Certificate
    now: datetime = m.NOW
    elements: tuple[int, ...] = ()
    """The element identifiers the holder said at set-up that its credential holds."""

    def arm(self, at: datetime | None = None) -> None:
        self.iut.call("holder.arm", {"now": m.iso(at or self.now)})

    def transmit(self, at: datetime | None = None) -> Transmit:
        return _sender(self.iut, at or self.now)

    def sw(self, command: bytes, at: datetime | None = None) -> int:
        response = self.transmit(at)(command)
        expect(
            len(response) >= 2,
            "response shorter than a status word",
            got=response.hex(),
            expected="a response of at least the two status bytes (VDC-NFC-013)",
        )
        return int.from_bytes(response[-2:], "big")

    def read(
        self,
        requested: Sequence[int],
        *,
        reader: str = "doctor",
        identity: ReaderIdentity | None = None,
        transmit: Transmit | None = None,
        extended: bool = True,
        at: datetime | None = None,
        receipt: Receipt | None = None,
        versions: Sequence[int] = (1,),
    ) -> ReadResult:
        """A read by the suite's reader; in version 1 unless `versions` says otherwise
        (the version 2 cases ask for it, chapter "Protocol version 2")."""
        entity = m.material().pki.readers[reader]
        return run_read(
            transmit or self.transmit(at),
            identity=identity or ReaderIdentity(chain=(entity.der,), key=entity.private_key),
            requested=requested,
            verifier=CredentialVerifier(self.issuing_root),
            random=seeded_random("conformance/reader"),
            now=at or self.now,
            extended=extended,
            receipt=receipt,
            versions=versions,
        )


def provisioned(
    iut: IutBase, *, armed: bool = True, reader_root: x509.Certificate | None = None
) -> Holder:
    """Set the holder up with the suite's reader root (or `reader_root`), armed at `now`."""
    root = m.der(reader_root or m.material().pki.reader_root.certificate)
    answer = iut.call("holder.setup", {"readerRoot": root})
    holder = Holder(
        iut,
        x509.load_der_x509_certificate(bytes.fromhex(answer["issuingRoot"])),
        elements=tuple(int(i) for i in answer.get("elements", ())),
    )
    if armed:
        holder.arm()
    return holder


def _sender(iut: IutBase, at: datetime) -> Transmit:
    moment = m.iso(at)

    def send(command: bytes) -> bytes:
        answer = iut.call("holder.transmit", {"apdu": command.hex(), "now": moment})
        return bytes.fromhex(answer["response"])

    return send


APDU_LEVEL = ["holder.transmit"]
"""The operations of the cases whose rules hold whatever credential the holder carries."""


def apdu_session(iut: IutBase) -> Transmit:
    """APDUs to the holder at the suite's `now`, for the APDU-level cases (APDU_LEVEL).

    A holder the suite can set up is provisioned first (unarmed); one it cannot, such as
    a phone behind a reader with no side channel, is taken as it is.
    """
    if "holder.setup" in iut.hello().operations:
        return provisioned(iut, armed=False).transmit()
    return _sender(iut, m.NOW)


def read_fails_with(holder: Holder, sw: int, requested: Sequence[int], **options: object) -> None:
    """The read must stop on status word `sw` (and so disclose nothing)."""
    try:
        result = holder.read(requested, **options)  # type: ignore[arg-type]
    except ReaderError as error:
        got = f"{error.sw:04X}" if error.sw is not None else f"no status word ({error})"
        expect(
            error.sw == sw, "read refused with the wrong status word", expected=f"{sw:04X}", got=got
        )
        return
    expect(
        False,
        "the read succeeded",
        expected=f"SW {sw:04X}",
        got=f"elements {sorted(result.elements)}",
    )


def later(seconds: float) -> datetime:
    return m.NOW + timedelta(seconds=seconds)


@dataclass(frozen=True)
class Event:
    """One event of `holder.events`, read from its JSON form (spec/harness.md) once, here.

    `elements` is sorted: VDC-NFC-130 names the disclosed elements, not an order; times
    are instants, whatever offset notation the implementation writes them with.
    """

    kind: str
    rpps: str
    time: datetime | None
    elements: tuple[int, ...] = ()
    receipt: tuple[str, str, int, datetime | None] | None = None
    """(practitioner RPPS, act, amount in cents, time of the act) of a filed receipt."""
    signed: bytes | None = None
    """The receipt's signed bytes (FILE RECEIPT plaintext) of a filed receipt."""
    session_hash: bytes | None = None


def _hex(value: object) -> bytes | None:
    try:
        return bytes.fromhex(str(value))
    except ValueError:
        return None


def _instant(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def holder_events(iut: IutBase) -> list[Event]:
    """The events the holder reported since the last call (VDC-NFC-130, VDC-NFC-131)."""
    found: list[Event] = []
    for raw in iut.call("holder.events", {})["events"]:
        receipt = raw.get("receipt")
        found.append(
            Event(
                kind=str(raw.get("type")),
                rpps=str(raw.get("readerRpps")),
                time=_instant(raw.get("at")),
                elements=tuple(sorted(int(i) for i in raw.get("elements", ()))),
                receipt=(
                    str(receipt.get("practitionerRpps")),
                    str(receipt.get("act")),
                    int(receipt.get("amountCents", -1)),
                    _instant(receipt.get("at")),
                )
                if isinstance(receipt, dict)
                else None,
                signed=_hex(raw.get("signed")) if "signed" in raw else None,
                session_hash=_hex(raw.get("sessionHash")) if "sessionHash" in raw else None,
            )
        )
    return found
