"""How the reader cases drive a reader under test against a played holder.

`setup()` gives the reader the suite's issuing root (and a status list when asked);
`read()` runs `reader.read` with the played holder as the card; `rejected()` runs a read
that must be refused and checks what a rejecting reader must and must not do: report
the error `rejected`, send nothing after the answer it rejected (VDC-NFC-205), and so
never a FILE RECEIPT.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import Any

from cryptography import x509

from conformance.adapters import IutBase, OperationError
from conformance.cases import _material as m
from conformance.cases.reader._played import GET_RESPONSE, RECEIPT, Played, Tweak
from conformance.outcomes import expect
from vitale_ref.credential import samples
from vitale_ref.pki import generate_test_pki

OPS = ["reader.setup", "reader.read"]
REQUESTED = (1, 2, 4)
RECEIPT_ASKED = {"act": "GS", "amountCents": 2650}


def setup(iut: IutBase, *, status_list: bytes | None = None) -> x509.Certificate:
    """`reader.setup` with the suite's issuing root; returns the reader root it answers."""
    params: dict[str, Any] = {"trustAnchor": m.material().root}
    if status_list is not None:
        params["statusList"] = status_list.hex().upper()
    answer = iut.call("reader.setup", params)
    return x509.load_der_x509_certificate(bytes.fromhex(answer["readerRoot"]))


def read(
    iut: IutBase,
    holder: Played,
    *,
    now: datetime = m.NOW,
    requested: Iterable[int] = REQUESTED,
    receipt: bool = False,
) -> dict[str, Any]:
    params: dict[str, Any] = {"requested": list(requested), "now": m.iso(now)}
    if receipt:
        params["receipt"] = {**RECEIPT_ASKED, "at": m.iso(now)}
    return iut.call("reader.read", params, transmit=holder)


def played(sample: samples.SampleCredential | None = None, tweak: Tweak | None = None) -> Played:
    """A played holder presenting `sample` (the typical credential by default)."""
    chosen = sample or m.material().typical
    return Played(chosen.issued, chosen.device_key, tweak or Tweak())


def rejected(
    iut: IutBase,
    holder: Played,
    why: str,
    *,
    last: int | None = None,
    now: datetime = m.NOW,
    requested: Iterable[int] = REQUESTED,
) -> None:
    """The read must end in `rejected`, with nothing sent after the command `last`
    (the instruction whose answer the reader had to reject) and no receipt."""
    try:
        result = read(iut, holder, now=now, requested=requested, receipt=True)
    except OperationError as error:
        expect(error.kind == "rejected", "wrong error kind", expected="rejected", got=error.kind)
    else:
        expect(
            False,
            f"the reader accepted {why}",
            expected="error rejected",
            got=f"elements {sorted(result.get('elements', {}))}",
        )
    sent = holder.instructions
    expect(
        RECEIPT not in sent,
        f"the reader sent FILE RECEIPT after rejecting {why}",
        expected="no FILE RECEIPT",
        got=_names(sent),
    )
    if last is not None:
        tail = [ins for ins in sent if ins != GET_RESPONSE][-1:]
        expect(
            tail == [last],
            f"the reader went on after rejecting {why}",
            expected=f"nothing sent after {last:02X}",
            got=_names(sent),
        )


def _names(instructions: list[int]) -> str:
    return " ".join(f"{ins:02X}" for ins in instructions) or "nothing"


@cache
def issued(name: str, *, other_issuer: bool = False, **options: Any) -> samples.SampleCredential:
    """A synthetic credential of the suite's issuer (or of an issuer under another root),
    reproducible from its name; `options` go to `samples.issue_sample`."""
    pki = generate_test_pki(f"{m.SEED}/other") if other_issuer else m.material().pki
    return samples.issue_sample(
        samples.typical_holder(), f"{m.SEED}/reader/{name}", pki=pki, **options
    )


@cache
def issued_single() -> samples.SampleCredential:
    """A single insured's credential (elements 1 to 8) of the suite's issuer."""
    return samples.issue_sample(
        samples.single_insured(), f"{m.SEED}/reader/single", pki=m.material().pki, index=6
    )
