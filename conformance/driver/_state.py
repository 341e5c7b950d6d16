"""Shared types of the driver's operation handlers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class DriverError(Exception):
    """The operation ended in a typed error of the implementation (error kind on the wire)."""

    def __init__(self, kind: str, message: str = "") -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message


class Unsupported(Exception):  # noqa: N818 (a verdict signal, not an error)
    """The implementation does not offer this operation."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class DriverState:
    """What survives between operations until the next `reset`."""

    objects: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[DriverState, dict[str, Any], Callable[[bytes], bytes] | None], dict[str, Any]]
