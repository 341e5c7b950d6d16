"""Errors of the holder app layer."""

from __future__ import annotations

from vitale_ref.errors import VitaleError


class AppError(VitaleError):
    """The holder app cannot run on this store (missing, not activated, inconsistent)."""
