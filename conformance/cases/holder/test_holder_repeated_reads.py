"""Holder profile: a holder answers read after read, each with what that read asked
(VDC-NFC-110).

A phone is read many times a day by readers asking different elements. Whatever a
holder keeps from one read to the next (sessions, encoded disclosures), every read
discloses exactly the elements it requested: ten reads in a row, each asking another
set, each get that set and nothing else.
"""

from __future__ import annotations

from itertools import combinations

from conformance.adapters import IutBase
from conformance.cases.holder._reader import provisioned
from conformance.catalogue import tc
from conformance.outcomes import expect

SETUP = ["holder.setup", "holder.arm", "holder.transmit"]
READS = 10


@tc(
    "TC-NFC-103",
    title="Ten reads in a row, each for another set of elements, disclose each set exactly",
    purpose="One armed holder is read ten times by the suite's doctor reader, each read "
    "asking a different set of the elements its credential holds (single elements, then "
    "pairs). Every read verifies and discloses exactly its own set: nothing kept from an "
    "earlier read changes what a later one receives.",
    verifies=["VDC-NFC-110", "VDC-NFC-020"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed; its credential holds at least 4 elements",
    expected="read n discloses exactly set n, for the ten sets",
    operations=SETUP,
)
def test_reads_in_a_row(iut: IutBase) -> None:
    holder = provisioned(iut)
    held = sorted(holder.elements)[:5]
    expect(
        len(held) >= 4,
        "too few elements to vary the requests",
        expected="at least 4 element identifiers at set-up",
        got=str(held),
    )
    sets = [(i,) for i in held] + list(combinations(held, 2))
    for number, requested in enumerate(sets[:READS], start=1):
        holder.arm()
        got = sorted(holder.read(requested).elements)
        expect(
            got == list(requested),
            f"read {number} of {READS} disclosed other elements than it asked",
            expected=str(list(requested)),
            got=str(got),
        )
