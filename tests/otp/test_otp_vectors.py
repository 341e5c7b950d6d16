"""The OTP vector files replayed against the reference (VDC-OTP-001..014, VDC-VEC-001)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from conformance.vectors import VectorCase, iter_cases
from tools.vectorgen.otp import draw_from
from vitale_ref.otp import OtpRefusedError, OtpState, check_code, issue_code
from vitale_ref.randomness import seeded_random

SEQUENCES = list(iter_cases("otp/policy.json"))
DRAWS = list(iter_cases("otp/draws.json"))


@pytest.mark.parametrize("case", SEQUENCES, ids=lambda c: c.name)
def test_sequence(case: VectorCase) -> None:
    """Each operation gives the recorded outcome, code and MAC."""
    key = bytes.fromhex(case.group["keyHex"])
    context = bytes.fromhex(case.group["contextHex"])
    start = datetime.fromisoformat(case.group["startTime"])
    random = seeded_random(case.data["seed"])
    state = OtpState()
    for op in case.data["operations"]:
        now = start + timedelta(seconds=op["at"])
        try:
            if op["op"] == "issue":
                state, code = issue_code(state, now=now, random=random, key=key, context=context)
                assert (op["outcome"], op["code"]) == ("issued", code)
                assert op["mac"] == (state.code_mac or b"").hex()
            else:
                state, result = check_code(state, op["code"], now=now, key=key, context=context)
                assert op["outcome"] == result.value
        except OtpRefusedError as error:
            assert (op["outcome"], op["reason"]) == ("refused", error.reason.value)


@pytest.mark.parametrize("case", DRAWS, ids=lambda c: c.name)
def test_draw(case: VectorCase) -> None:
    """VDC-OTP-001: rejection sampling reads the bytes as recorded."""
    assert draw_from(bytes.fromhex(case.data["randomBytes"])) == case.data["code"]
