"""The services the enrolment service talks to, as Protocols, with simulated versions.

A deployment swaps the simulations for real adapters: the account directory, the
identity-proofing service (decisions and delays scripted here), the France Identité
provider (assertions signed with a shared test key here) and the credential issuer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from vitale_ref.enrolment._france_identite import FiIdentity, SimulatedFranceIdentite
from vitale_ref.enrolment._record import Enrolment
from vitale_ref.enrolment._rules import Account

__all__ = [
    "AccountDirectory",
    "CredentialIssuer",
    "Decision",
    "FiIdentity",
    "FranceIdentiteProvider",
    "IdentityProofing",
    "MemoryDirectory",
    "PlaceholderIssuer",
    "ScriptedDecision",
    "ScriptedProofing",
    "SimulatedFranceIdentite",
]


class AccountDirectory(Protocol):
    """Who has an online insurance account and a carte Vitale (VDC-ENR-010)."""

    def lookup(self, nir: str) -> Account | None: ...


@dataclass
class MemoryDirectory:
    """A directory of synthetic accounts keyed by canonical NIR."""

    accounts: dict[str, Account] = field(default_factory=dict)

    def lookup(self, nir: str) -> Account | None:
        return self.accounts.get(nir)


@dataclass(frozen=True, kw_only=True)
class Decision:
    """What the identity-proofing service concluded."""

    approved: bool
    reason: str = ""


class IdentityProofing(Protocol):
    """Checks the captures of the document route and decides (VDC-ENR-050)."""

    def submit(self, enrolment_id: str, now: datetime) -> None: ...

    def poll(self, enrolment_id: str, now: datetime) -> Decision | None: ...


@dataclass(frozen=True, kw_only=True)
class ScriptedDecision:
    approved: bool = True
    delay: timedelta = timedelta(minutes=5)
    reason: str = ""


@dataclass
class ScriptedProofing:
    """Answers from a script: per enrolment, or `default`, after the scripted delay."""

    default: ScriptedDecision = field(default_factory=ScriptedDecision)
    script: dict[str, ScriptedDecision] = field(default_factory=dict)
    submitted: dict[str, datetime] = field(default_factory=dict)

    def submit(self, enrolment_id: str, now: datetime) -> None:
        self.submitted.setdefault(enrolment_id, now)

    def poll(self, enrolment_id: str, now: datetime) -> Decision | None:
        since = self.submitted.get(enrolment_id)
        plan = self.script.get(enrolment_id, self.default)
        if since is None or now - since < plan.delay:
            return None
        return Decision(approved=plan.approved, reason=plan.reason)


class FranceIdentiteProvider(Protocol):
    """Verifies an assertion and returns the identity it carries (VDC-ENR-021, VDC-ENR-023)."""

    def verify(self, assertion: bytes, now: datetime) -> FiIdentity: ...


class CredentialIssuer(Protocol):
    """Issues the credential bound to the phone's key at activation (VDC-ENR-013)."""

    def issue(
        self, enrolment: Enrolment, *, account: Account, status_index: int, now: datetime
    ) -> bytes: ...


@dataclass
class PlaceholderIssuer:
    """A fast stand-in for tests: a digest of holder, key and index (not a credential)."""

    def issue(
        self, enrolment: Enrolment, *, account: Account, status_index: int, now: datetime
    ) -> bytes:
        text = f"{enrolment.nir}|{enrolment.device_public_key.hex()}|{status_index}|{now}"
        return b"VDC-PLACEHOLDER-CREDENTIAL" + hashlib.sha256(text.encode()).digest()
