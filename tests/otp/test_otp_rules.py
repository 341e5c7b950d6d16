"""The e-mailed code rules at each limit and one past (VDC-OTP-001..014)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from vitale_ref.otp import (
    OtpReason,
    OtpRefusedError,
    OtpResult,
    OtpState,
    _code,
    check_code,
    code_mac,
    draw_code,
    issue_code,
)
from vitale_ref.randomness import seeded_random

KEY = b"synthetic test key"
CTX = b"enr-test"
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _issue(state: OtpState, at: float, seed: str = "otp-test") -> tuple[OtpState, str]:
    return issue_code(
        state,
        now=T0 + timedelta(seconds=at),
        random=seeded_random(f"{seed}/{at}"),
        key=KEY,
        context=CTX,
    )


def _check(state: OtpState, code: str, at: float) -> tuple[OtpState, OtpResult]:
    return check_code(state, code, now=T0 + timedelta(seconds=at), key=KEY, context=CTX)


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "000001"


def _refused(reason: OtpReason, call: object, *args: object) -> None:
    with pytest.raises(OtpRefusedError) as caught:
        call(*args)  # type: ignore[operator]
    assert caught.value.reason is reason


def test_code_is_six_digits_from_the_source() -> None:
    """VDC-OTP-001: six decimal digits, rejection sampling over 32-bit values."""
    codes = {draw_code(seeded_random(f"draw/{i}")) for i in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) > 190
    feed = iter([bytes.fromhex("fff13d80"), bytes.fromhex("0001e240")])
    assert draw_code(lambda n: next(feed)) == "123456"
    feed2 = iter([bytes.fromhex("fff13d7f")])
    assert draw_code(lambda n: next(feed2)) == "999999"


def test_validity_exactly_600_seconds_and_one_past() -> None:
    """VDC-OTP-009: accepted at 600 s; refused at 601 s without counting a failure."""
    state, code = _issue(OtpState(), 0)
    assert _check(state, code, 600)[1] is OtpResult.ACCEPTED
    with pytest.raises(OtpRefusedError) as caught:
        _check(state, code, 601)
    assert caught.value.reason is OtpReason.CODE_EXPIRED
    assert str(caught.value) == "code-expired: the code is older than 10 minutes"
    assert state.consecutive_failures == 0


def test_three_tries_per_code() -> None:
    """VDC-OTP-014: the second wrong try leaves the code live; the third voids it."""
    state, code = _issue(OtpState(), 0)
    state, result = _check(state, _wrong(code), 1)
    state, result = _check(state, _wrong(code), 2)
    assert result is OtpResult.WRONG and state.tries_left == 1 and state.has_live_code
    state, result = _check(state, _wrong(code), 3)
    assert result is OtpResult.WRONG_CODE_VOIDED and not state.has_live_code
    _refused(OtpReason.NO_ACTIVE_CODE, _check, state, code, 4)


def test_single_use() -> None:
    """VDC-OTP-003: an accepted code cannot be used again."""
    state, code = _issue(OtpState(), 0)
    state, result = _check(state, code, 1)
    assert result is OtpResult.ACCEPTED
    _refused(OtpReason.NO_ACTIVE_CODE, _check, state, code, 2)


def test_new_code_voids_previous() -> None:
    """VDC-OTP-004: after a new code, the previous one is a wrong code."""
    state, first = _issue(OtpState(), 0, "a")
    state, second = _issue(state, 10, "b")
    assert first != second
    assert _check(state, first, 20)[1] is OtpResult.WRONG
    assert _check(state, second, 20)[1] is OtpResult.ACCEPTED


def test_five_codes_per_24_hours_and_the_sixth() -> None:
    """VDC-OTP-006: the fifth code is issued, the sixth refused; 24 h later it counts no more."""
    state = OtpState()
    for i in range(5):
        state, _ = _issue(state, i)
    with pytest.raises(OtpRefusedError) as caught:
        _issue(state, 24 * 3600 - 1)
    assert caught.value.reason is OtpReason.QUOTA_EXCEEDED
    assert str(caught.value) == "code-quota-exceeded: 5 codes already sent in the last 24 h"
    state, _ = _issue(state, 24 * 3600)
    assert len(state.issued) == 5


def _fail(state: OtpState, count: int, at: float) -> tuple[OtpState, OtpResult]:
    result = OtpResult.WRONG
    for i in range(count):
        if not state.has_live_code:
            state, _ = _issue(state, at + i, f"refill/{i}")
        state, result = _check(state, "999999" if i % 2 else "999998", at + i + 0.5)
    return state, result


def test_nine_failures_do_not_lock_and_new_codes_do_not_reset() -> None:
    """VDC-OTP-010, VDC-OTP-012: nine failures over four codes, still unlocked, run kept."""
    state, last = _fail(OtpState(), 9, 0)
    assert last is OtpResult.WRONG_CODE_VOIDED
    assert state.consecutive_failures == 9 and state.locked_until is None
    state, _ = _issue(state, 100)
    assert state.consecutive_failures == 9


def test_tenth_failure_locks_for_24_hours() -> None:
    """VDC-OTP-010: the tenth consecutive failure locks; both operations refused until 24 h."""
    state, result = _fail(OtpState(), 10, 0)
    assert result is OtpResult.WRONG_LOCKED
    assert state.locked_until == T0 + timedelta(seconds=9.5, hours=24)
    end = 9.5 + 24 * 3600
    _refused(OtpReason.LOCKED, _issue, state, end - 1)
    _refused(OtpReason.LOCKED, _check, state, "123456", end - 1)
    state, _ = _issue(state, end)
    assert state.consecutive_failures == 0 and state.locked_until is None  # VDC-OTP-011


def test_success_ends_the_failure_run() -> None:
    """VDC-OTP-012: only an accepted code resets the run."""
    state, _ = _fail(OtpState(), 2, 0)
    state, code = _issue(state, 10)
    state, _ = _check(state, code, 11)
    assert state.consecutive_failures == 0


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "12a456", "١٢٣٤٥٦", " 12345"])
def test_malformed_codes_are_refused_uncounted(bad: str) -> None:
    """VDC-OTP-002: not exactly 6 ASCII digits: refused, no failure counted."""
    state, _ = _issue(OtpState(), 0)
    with pytest.raises(OtpRefusedError) as caught:
        _check(state, bad, 1)
    assert caught.value.reason is OtpReason.CODE_MALFORMED
    assert str(caught.value) == "code-malformed: a code is exactly 6 digits"


def test_only_a_keyed_hash_is_stored() -> None:
    """VDC-OTP-007: the state holds HMAC-SHA256(key, context, code), never the code."""
    state, code = _issue(OtpState(), 0)
    assert state.code_mac == code_mac(KEY, CTX, code)
    assert state.code_mac != code_mac(b"other key", CTX, code)
    assert state.code_mac != code_mac(KEY, b"enr-other", code)
    text = repr(state) + json.dumps(str(state.__dict__))
    assert code not in text and code.encode().hex() not in text


def test_comparison_goes_through_compare_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    """VDC-OTP-008: the decision is the constant-time primitive's, called with both MACs."""
    calls: list[tuple[bytes, bytes]] = []

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return False

    state, code = _issue(OtpState(), 0)
    monkeypatch.setattr(_code, "_constant_time_equal", spy)
    _, result = _check(state, code, 1)
    assert calls == [(code_mac(KEY, CTX, code), state.code_mac)]
    assert result is OtpResult.WRONG  # the right code is refused when the primitive says so
