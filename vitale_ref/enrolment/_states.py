"""States and routes of an enrolment (VDC-ENR-001)."""

from __future__ import annotations

import enum


class State(enum.StrEnum):
    """Where an enrolment stands; START is the pseudo-state before it exists."""

    START = "START"
    ROUTE_CHOICE = "ROUTE_CHOICE"
    FI_ASSERTION = "FI_ASSERTION"
    CODE_SENT = "CODE_SENT"
    LOCKED = "LOCKED"
    DOCUMENT_CAPTURE = "DOCUMENT_CAPTURE"
    FACE_CAPTURE = "FACE_CAPTURE"
    PIN_SETUP = "PIN_SETUP"
    VERIFICATION_PENDING = "VERIFICATION_PENDING"
    APPROVED = "APPROVED"
    ACTIVE = "ACTIVE"
    REPLACED = "REPLACED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"
    ABANDONED = "ABANDONED"
    CANCELLED = "CANCELLED"


TERMINAL = frozenset(
    {
        State.REPLACED,
        State.REJECTED,
        State.EXPIRED,
        State.ABANDONED,
        State.CANCELLED,
    }
)
"""States no event leaves (ACTIVE is left only when a newer card replaces it)."""

IN_PROGRESS = frozenset(State) - TERMINAL - {State.START, State.ACTIVE}
"""States during which a second enrolment for the same person is refused (VDC-ENR-012)."""


class Route(enum.StrEnum):
    """The two enrolment routes (VDC-ENR-002)."""

    FRANCE_IDENTITE = "france-identite"
    DOCUMENT = "document"
