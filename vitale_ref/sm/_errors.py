"""Errors of session establishment and secure messaging."""

from __future__ import annotations

from vitale_ref.errors import VitaleError


class SmError(VitaleError, ValueError):
    """A secure-messaging failure: bad tag, replay, reordering, or a malformed message."""


class SmIntegrityError(SmError):
    """A protected message failed authentication (VDC-SM-030): the session must end."""
