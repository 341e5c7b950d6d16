"""A claimed profile is implemented whole (VDC-HARN-020), checked on every implementation.

The run verdict checks the same claims, and the operations answered `unsupported`, on
every run whatever its profile; this case gives the requirement its own verdict.
"""

from __future__ import annotations

from conformance import protocol
from conformance.adapters import IutBase
from conformance.catalogue import tc
from conformance.claims import claim_failures
from conformance.outcomes import expect


@tc(
    "TC-HARN-020",
    title="Each claimed profile lists its mandatory operations",
    purpose="An implementation claiming a profile lists every operation the suite needs "
    "to test it, so that no case of the profile is skipped as not applicable.",
    verifies=["VDC-HARN-020"],
    profile="verifier",
    kind="negative",
    expected="for each profile in hello, every mandatory operation among the operations",
)
def test_claimed_profiles_are_whole(iut: IutBase) -> None:
    hello = iut.call("hello", {"protocol": protocol.PROTOCOL})
    failures = claim_failures(hello)
    expect(
        not failures,
        "a claimed profile lacks mandatory operations",
        expected="every mandatory operation of each claimed profile",
        got="; ".join(failures),
    )
