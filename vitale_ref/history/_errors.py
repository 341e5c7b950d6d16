"""Errors of the history area (VDC-HIST)."""

from __future__ import annotations

from vitale_ref.errors import VitaleError


class HistoryError(VitaleError, ValueError):
    """A history entry or a time given to the history is malformed."""
