"""What a transition asks the outside world to do; the service carries these out.

The machine is sans-I/O: it returns outputs, and the service writes them (outbox rows,
capture rows, credential and status rows) in the same transaction as the new state.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Output:
    """Base of every output."""


@dataclass(frozen=True, kw_only=True)
class Mail(Output):
    """An e-mail to the address of the insurance account (VDC-ENR-031, VDC-ENR-051)."""

    to: str
    kind: str
    subject: str
    body: str


@dataclass(frozen=True, kw_only=True)
class CaptureStored(Output):
    """Keep this capture until the decision (VDC-ENR-070)."""

    kind: str
    media: bytes


@dataclass(frozen=True, kw_only=True)
class CapturesDeleted(Output):
    """Delete every capture of the enrolment now (VDC-ENR-070)."""


@dataclass(frozen=True, kw_only=True)
class VerificationRequested(Output):
    """Hand the captures to the identity-proofing service (VDC-ENR-050)."""


@dataclass(frozen=True, kw_only=True)
class CardActivated(Output):
    """Issue the credential for this phone and retire the person's previous card (VDC-ENR-013)."""


@dataclass(frozen=True, kw_only=True)
class CredentialRevoked(Output):
    """Mark this enrolment's credential revoked in the status list (VDC-ENR-013)."""
