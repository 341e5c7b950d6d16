"""Errors of the transport bindings (area TRN); all derive from VitaleError."""

from __future__ import annotations

from vitale_ref.errors import VitaleError


class TransportError(VitaleError):
    """A transport could not carry an exchange; the message names the cause."""


class FramingError(TransportError, ValueError):
    """The peer sent a frame the binding refuses (VDC-TRN-004, VDC-TRN-005)."""


class ServiceUnavailableError(TransportError):
    """The PC/SC service (pcscd) is not running or cannot be reached (VDC-TRN-020)."""


class ReaderNotFoundError(TransportError):
    """No reader with the requested name is known to the PC/SC service."""


class CardAbsentError(TransportError):
    """No card is present in the reader, or it left during the session (VDC-TRN-021)."""


class ApduTooLongError(TransportError, ValueError):
    """A command or response does not fit the binding's frame (VDC-TRN-022)."""


class CardTimeoutError(CardAbsentError):
    """The card did not answer a command within the transport's timeout (VDC-TRN-023)."""
