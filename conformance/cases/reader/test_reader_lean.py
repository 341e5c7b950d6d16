"""Reader profile: protocol version 2 (chapter "Protocol version 2").

The suite plays a holder that offers versions 01 and 02. A reader that chooses version 2
must fetch the document-signer chain it lacks with GET SIGNER CHAIN and verify the
presentation it puts back together as any presentation: a chain that does not lead to
its issuing root is refused whichever way it travelled.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from cryptography import x509

from conformance.adapters import IutBase, OperationError
from conformance.cases import _material as m
from conformance.cases.reader import _holders as h
from conformance.cases.reader._reading import issued
from conformance.catalogue import tc
from conformance.outcomes import NotApplicable, expect
from vitale_ref.holder import HolderCore
from vitale_ref.holder.adapters import IssuedCredentialSource, PkiReaderAuthority
from vitale_ref.randomness import seeded_random

OPS = ["reader.setup", "reader.read"]
REQUESTED = [1, 2, 4]
ESTABLISH, GET_SIGNER_CHAIN, RECEIPT = 0x86, 0xCA, 0xDB


def _setup(iut: IutBase) -> x509.Certificate:
    answer = iut.call("reader.setup", {"trustAnchor": m.material().root})
    return x509.load_der_x509_certificate(bytes.fromhex(answer["readerRoot"]))


def _lean_holder(root: x509.Certificate, *, other_issuer: bool = False) -> h.Transmit:
    """A reference holder offering 01 02, with the typical credential or one of an
    issuer under another root."""
    if other_issuer:
        sample = issued("lean-other-issuer", other_issuer=True)
        source = IssuedCredentialSource(sample.issued, sample.device_key)
    else:
        typical = m.material().typical
        source = IssuedCredentialSource(typical.issued, typical.device_key)
    core = HolderCore(
        credential=source,
        readers=PkiReaderAuthority(root),
        random=seeded_random(f"{m.SEED}/lean-holder"),
        versions=(1, 2),
    )
    core.arm(m.NOW + timedelta(seconds=60))
    return lambda command: core.respond(command, m.NOW)


def _version(log: list[tuple[bytes, bytes]]) -> int | None:
    """The version byte of the first ESTABLISH SESSION the reader sent (extended or short)."""
    for command, _ in log:
        if len(command) > 7 and command[1] == ESTABLISH:
            body = command[7:] if command[4] == 0 else command[5:]
            if body[:2] == b"\x80\x01":
                return body[2]
    return None


def _read(iut: IutBase, transmit: h.Transmit) -> Any:
    params = {"requested": REQUESTED, "now": m.iso(m.NOW)}
    return iut.call("reader.read", params, transmit=transmit)


@tc(
    "TC-NFC-172",
    title="A version 2 reader gets the signer chain it lacks and reads",
    purpose="Against a holder offering 01 02, a reader that chooses version 2 and does "
    "not hold the issuer's signer chain sends GET SIGNER CHAIN after READ ELEMENTS, "
    "verifies the presentation put back together and returns the elements; a reader of "
    "version 1 only is not concerned.",
    verifies=["VDC-NFC-073", "VDC-CRED-071", "VDC-NFC-071"],
    profile="reader",
    kind="positive",
    preconditions="the reader trusts the suite's issuing root and holds no signer chain",
    expected="elements {1, 2, 4}; GET SIGNER CHAIN after READ ELEMENTS, before any receipt",
    operations=OPS,
)
def test_lean_read(iut: IutBase) -> None:
    root = _setup(iut)
    log: list[tuple[bytes, bytes]] = []
    result = _read(iut, h.recorder(_lean_holder(root), log))
    version = _version(log)
    expect(
        version in (1, 2),
        "the reader chose a version the holder did not offer",
        expected="01 or 02 (VDC-NFC-071)",
        got=str(version),
    )
    if version == 1:
        raise NotApplicable("the reader speaks version 1 (VDC-NFC-071 allows it)")
    got = sorted(int(k) for k in result["elements"])
    expect(got == REQUESTED, "wrong elements returned", expected=str(REQUESTED), got=str(got))
    sent = [command[1] for command, _ in log]
    if GET_SIGNER_CHAIN in sent and RECEIPT in sent:
        expect(
            sent.index(GET_SIGNER_CHAIN) < sent.index(RECEIPT),
            "GET SIGNER CHAIN after FILE RECEIPT",
            expected="GET SIGNER CHAIN between READ ELEMENTS and FILE RECEIPT (VDC-NFC-073)",
            got=" ".join(f"{ins:02X}" for ins in sent),
        )


@tc(
    "TC-CRED-170",
    title="A signer chain that does not lead to the issuing root is refused, fetched or not",
    purpose="The holder offers 01 02 and presents a credential of an issuer under another "
    "root: a version 2 reader gets its chain by GET SIGNER CHAIN and must refuse it as a "
    "version 1 reader refuses the chain inside the presentation (VDC-CRED-041).",
    verifies=["VDC-CRED-071", "VDC-CRED-041"],
    profile="reader",
    kind="negative",
    preconditions="the reader trusts the suite's issuing root",
    expected="error rejected, no FILE RECEIPT",
    operations=OPS,
)
def test_lean_foreign_signer(iut: IutBase) -> None:
    root = _setup(iut)
    log: list[tuple[bytes, bytes]] = []
    try:
        result = _read(iut, h.recorder(_lean_holder(root, other_issuer=True), log))
    except OperationError as error:
        expect(error.kind == "rejected", "wrong error kind", expected="rejected", got=error.kind)
    else:
        expect(
            False,
            "the reader accepted a credential whose signer chain leads to another root",
            expected="error rejected",
            got=f"elements {sorted(result['elements'])}",
        )
    expect(
        all(command[1] != RECEIPT for command, _ in log),
        "FILE RECEIPT after a rejected read",
        expected="nothing after the rejected answer (VDC-NFC-205)",
        got=" ".join(f"{command[1]:02X}" for command, _ in log),
    )
