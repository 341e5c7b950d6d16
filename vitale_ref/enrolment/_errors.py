"""The refusals of the enrolment service: one error type, one documented reason each.

A refused event raises `EnrolmentRefusedError`; the enrolment is then exactly as it was
(VDC-ENR-003). The reason is machine-readable; the message is one line for a person.
"""

from __future__ import annotations

import enum

from vitale_ref.errors import VitaleError


class Reason(enum.StrEnum):
    """Every reason an event can be refused for (the specification lists each one)."""

    EVENT_OUT_OF_ORDER = "event-out-of-order"
    NIR_INVALID = "nir-invalid"
    NO_INSURANCE_ACCOUNT = "no-insurance-account"
    NO_CARTE_VITALE = "no-carte-vitale"
    UNDER_MINIMUM_AGE = "under-minimum-age"
    OS_NOT_SUPPORTED = "os-not-supported"
    ENROLMENT_IN_PROGRESS = "enrolment-in-progress"
    ROUTE_NOT_OPEN = "route-not-open"
    DOCUMENT_NOT_ACCEPTED = "document-not-accepted"
    DEPARTMENT_NOT_OPEN = "department-not-open"
    ASSERTION_INVALID = "assertion-invalid"
    IDENTITY_MISMATCH = "identity-mismatch"
    CARD_NOT_MODERN = "card-not-modern"
    CODE_MALFORMED = "code-malformed"
    NO_ACTIVE_CODE = "no-active-code"
    CODE_EXPIRED = "code-expired"
    CODE_QUOTA_EXCEEDED = "code-quota-exceeded"
    LOCKED = "locked"
    CAPTURE_SIDES_MISSING = "capture-sides-missing"
    UNKNOWN_ENROLMENT = "unknown-enrolment"


class EnrolmentError(VitaleError):
    """Base of the enrolment errors."""


class EnrolmentRefusedError(EnrolmentError, ValueError):
    """An event refused for `reason`; nothing was changed or written."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message


class InvalidEventError(EnrolmentError, ValueError):
    """An event whose fields are malformed (raised when the event is constructed)."""
