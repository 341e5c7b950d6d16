"""The e-mailed one-time code as a pure state value (VDC-OTP-001..012).

`issue_code` and `check_code` take an `OtpState` plus `now` and return the next state;
they never mutate, never read a clock, and draw randomness only from the injected
source, so the enrolment service can persist the state in the same transaction as the
step that changed it. The code itself is never stored: only HMAC-SHA256 under a
service key, bound to a context (the enrolment identifier).
"""

from __future__ import annotations

import enum
import hashlib
import hmac
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from vitale_ref.errors import VitaleError
from vitale_ref.randomness import RandomSource

_DOMAIN = b"VDC-OTP-v1\x00"
# Module-level alias so a test can verify that every comparison goes through the
# constant-time primitive (VDC-OTP-008) by inspecting the calls.
_constant_time_equal = hmac.compare_digest


@dataclass(frozen=True, kw_only=True)
class OtpPolicy:
    """The numbers of VDC-OTP (defaults from the specification)."""

    digits: int = 6
    validity: timedelta = timedelta(minutes=10)
    tries_per_code: int = 3
    codes_per_window: int = 5
    window: timedelta = timedelta(hours=24)
    lock_after: int = 10
    lock_duration: timedelta = timedelta(hours=24)


DEFAULT_POLICY = OtpPolicy()


class OtpReason(enum.StrEnum):
    """Why a code operation was refused; the state is then unchanged."""

    CODE_MALFORMED = "code-malformed"
    NO_ACTIVE_CODE = "no-active-code"
    CODE_EXPIRED = "code-expired"
    QUOTA_EXCEEDED = "code-quota-exceeded"
    LOCKED = "locked"


class OtpRefusedError(VitaleError, ValueError):
    """A code operation refused for a documented reason (VDC-OTP-*)."""

    def __init__(self, reason: OtpReason, message: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message


class OtpResult(enum.StrEnum):
    """Outcome of checking a well-formed code against the live one."""

    ACCEPTED = "accepted"
    WRONG = "wrong"
    WRONG_CODE_VOIDED = "wrong-code-voided"
    WRONG_LOCKED = "wrong-locked"


@dataclass(frozen=True, kw_only=True)
class OtpState:
    """Everything the service keeps about codes for one enrolment."""

    code_mac: bytes | None = None
    issued_at: datetime | None = None
    tries_left: int = 0
    issued: tuple[datetime, ...] = ()
    consecutive_failures: int = 0
    locked_until: datetime | None = None

    @property
    def has_live_code(self) -> bool:
        return self.code_mac is not None


def code_mac(key: bytes, context: bytes, code: str) -> bytes:
    """VDC-OTP-007: the keyed hash that is stored instead of the code."""
    message = _DOMAIN + len(context).to_bytes(2, "big") + context + code.encode("ascii")
    return hmac.new(key, message, hashlib.sha256).digest()


def draw_code(random: RandomSource, digits: int = 6) -> str:
    """VDC-OTP-001: a uniform decimal code from the CSPRNG (rejection sampling, no bias)."""
    modulus = 10**digits
    limit = (2**32 // modulus) * modulus
    while True:
        value = int.from_bytes(random(4), "big")
        if value < limit:
            return f"{value % modulus:0{digits}d}"


def _check_lock(state: OtpState, now: datetime) -> OtpState:
    if state.locked_until is None:
        return state
    if now < state.locked_until:
        raise OtpRefusedError(
            OtpReason.LOCKED, f"too many wrong codes, locked until {state.locked_until.isoformat()}"
        )
    # VDC-OTP-011: the lock ends after its duration and the failure run starts again.
    return replace(state, locked_until=None, consecutive_failures=0)


def issue_code(
    state: OtpState,
    *,
    now: datetime,
    random: RandomSource,
    key: bytes,
    context: bytes,
    policy: OtpPolicy = DEFAULT_POLICY,
) -> tuple[OtpState, str]:
    """A new code (returned once, for the e-mail) and the state that keeps only its MAC.

    Refused while locked (VDC-OTP-010) or when `codes_per_window` codes were issued in
    the last `window` (VDC-OTP-006). The new code voids the previous one (VDC-OTP-004);
    the failure run is kept (VDC-OTP-012).
    """
    state = _check_lock(state, now)
    recent = tuple(t for t in state.issued if now - t < policy.window)
    if len(recent) >= policy.codes_per_window:
        raise OtpRefusedError(
            OtpReason.QUOTA_EXCEEDED,
            f"{policy.codes_per_window} codes already sent in the last "
            f"{int(policy.window.total_seconds() // 3600)} h",
        )
    code = draw_code(random, policy.digits)
    new_state = replace(
        state,
        code_mac=code_mac(key, context, code),
        issued_at=now,
        tries_left=policy.tries_per_code,
        issued=(*recent, now),
    )
    return new_state, code


def validate_code_format(code: str, digits: int = 6) -> str:
    """The submitted code as typed: exactly `digits` ASCII digits (VDC-OTP-002)."""
    if len(code) != digits or not (code.isascii() and code.isdigit()):
        raise OtpRefusedError(OtpReason.CODE_MALFORMED, f"a code is exactly {digits} digits")
    return code


def check_code(
    state: OtpState,
    code: str,
    *,
    now: datetime,
    key: bytes,
    context: bytes,
    policy: OtpPolicy = DEFAULT_POLICY,
) -> tuple[OtpState, OtpResult]:
    """Check a submitted code; refusals leave the state as it was (raised before any change)."""
    validate_code_format(code, policy.digits)
    state = _check_lock(state, now)
    if state.code_mac is None or state.issued_at is None:
        raise OtpRefusedError(OtpReason.NO_ACTIVE_CODE, "no code is waiting: ask for a new one")
    if now - state.issued_at > policy.validity:
        raise OtpRefusedError(OtpReason.CODE_EXPIRED, "the code is older than 10 minutes")
    if _constant_time_equal(code_mac(key, context, code), state.code_mac):
        # VDC-OTP-003: single use; a success ends the failure run.
        accepted = replace(
            state, code_mac=None, issued_at=None, tries_left=0, consecutive_failures=0
        )
        return accepted, OtpResult.ACCEPTED
    failures = state.consecutive_failures + 1
    tries_left = state.tries_left - 1
    if failures >= policy.lock_after:
        locked = replace(
            state,
            code_mac=None,
            issued_at=None,
            tries_left=0,
            consecutive_failures=failures,
            locked_until=now + policy.lock_duration,
        )
        return locked, OtpResult.WRONG_LOCKED
    if tries_left <= 0:
        voided = replace(
            state, code_mac=None, issued_at=None, tries_left=0, consecutive_failures=failures
        )
        return voided, OtpResult.WRONG_CODE_VOIDED
    return replace(state, tries_left=tries_left, consecutive_failures=failures), OtpResult.WRONG
