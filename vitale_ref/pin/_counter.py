"""Outcome of a personal-code verification and its ISO 7816-4 status word (VDC-PIN-015).

| outcome    | status word | meaning                                             |
| ---------- | ----------- | --------------------------------------------------- |
| UNLOCKED   | 9000        | code right; counter back to 5; presentation armed    |
| WRONG_CODE | 63Cx        | code wrong; x tries remain (63C0 after the fifth)    |
| BLOCKED    | 6983        | no try left; the code was not evaluated              |
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_TRIES = 5
"""VDC-PIN-012: consecutive wrong codes before the app is blocked."""

PRESENTATION_WINDOW = timedelta(seconds=60)
"""VDC-PIN-017: how long a successful unlock arms the NFC presentation."""


class CodeState(enum.Enum):
    """Where the holder device stands with its personal code and presentation window."""

    READY = "ready"
    """Tries left, presentation not armed: READ is answered 6982 (VDC-NFC-111)."""
    ARMED = "armed"
    """A right code less than 60 s ago: the holder presents (VDC-PIN-017)."""
    BLOCKED = "blocked"
    """No try left: no code is evaluated until re-enrolment (VDC-PIN-012)."""


CODE_TRANSITIONS: tuple[tuple[CodeState, str, CodeState], ...] = (
    (CodeState.READY, "right code (9000, counter back to 5)", CodeState.ARMED),
    (CodeState.READY, "wrong code, a try left (63Cx)", CodeState.READY),
    (CodeState.READY, "wrong code, the fifth (63C0)", CodeState.BLOCKED),
    (CodeState.ARMED, "60 s elapse", CodeState.READY),
    (CodeState.ARMED, "presentation done or app closed", CodeState.READY),
    (CodeState.ARMED, "right code (a new 60 s window)", CodeState.ARMED),
    (CodeState.ARMED, "wrong code, a try left (63Cx)", CodeState.READY),
    (CodeState.BLOCKED, "any code (6983, not evaluated)", CodeState.BLOCKED),
    (CodeState.BLOCKED, "re-enrolment", CodeState.READY),
)
"""The personal code and the presentation window as a table (VDC-PIN-012..017): the
device follows it (tests/device/test_device_code_table.py drives each row) and the
documentation draws the diagram from it."""

SW_SUCCESS = 0x9000
SW_BLOCKED = 0x6983
SW_WRONG_BASE = 0x63C0


class UnlockOutcome(enum.Enum):
    UNLOCKED = "unlocked"
    WRONG_CODE = "wrong-code"
    BLOCKED = "blocked"


@dataclass(frozen=True, kw_only=True)
class UnlockResult:
    """What an unlock attempt did; `status_word` is its ISO 7816 equivalent."""

    outcome: UnlockOutcome
    tries_remaining: int
    armed_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is UnlockOutcome.UNLOCKED

    @property
    def blocked(self) -> bool:
        return self.tries_remaining == 0

    @property
    def status_word(self) -> int:
        if self.outcome is UnlockOutcome.UNLOCKED:
            return SW_SUCCESS
        if self.outcome is UnlockOutcome.WRONG_CODE:
            return SW_WRONG_BASE | self.tries_remaining
        return SW_BLOCKED
