"""E-mailed code policy cases (VDC-OTP): operation sequences at each limit and one past.

A case is a list of operations on a fresh `OtpState` (`issue` or `check` at a number of
seconds after the start) with the outcome the reference gives: the issued code and its
MAC, a check result, or a refusal reason. Codes come from `seeded_random(seed)`; the
MAC key and context are in the group. Draw cases pin the rejection sampling of codes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tools.vectorgen._wycheproof import HEX, Flag, document, schema
from vitale_ref.otp import OtpRefusedError, OtpState, check_code, draw_code, issue_code
from vitale_ref.randomness import seeded_random

KEY = b"synthetic OTP service key for vectors"
CONTEXT = b"enr-synthetic"
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
H = 3600
WRONG = "@wrong"
RIGHT = "@right"

NOTES = {
    "Validity": Flag(
        bug_type="EDGE_CASE", description="10-minute validity", requirement="VDC-OTP-009"
    ),
    "TriesPerCode": Flag(
        bug_type="EDGE_CASE", description="3 wrong tries void a code", requirement="VDC-OTP-014"
    ),
    "Quota": Flag(
        bug_type="EDGE_CASE", description="5 codes per rolling 24 h", requirement="VDC-OTP-006"
    ),
    "Lock": Flag(
        bug_type="EDGE_CASE",
        description="10 consecutive failures lock for 24 h",
        requirement="VDC-OTP-010",
    ),
    "LockEnd": Flag(
        bug_type="EDGE_CASE",
        description="the lock ends and the run restarts",
        requirement="VDC-OTP-011",
    ),
    "NoReset": Flag(
        bug_type="MISSING_CHECK",
        description="a new code does not reset the failure run",
        requirement="VDC-OTP-012",
    ),
    "SingleUse": Flag(
        bug_type="MISSING_CHECK", description="an accepted code is spent", requirement="VDC-OTP-003"
    ),
    "Voided": Flag(
        bug_type="MISSING_CHECK",
        description="a new code voids the previous one",
        requirement="VDC-OTP-004",
    ),
    "Malformed": Flag(
        bug_type="MALFORMED_INPUT", description="not exactly 6 digits", requirement="VDC-OTP-002"
    ),
    "Draw": Flag(
        bug_type="BIASED_RANDOM",
        description="uniform code by rejection sampling",
        requirement="VDC-OTP-001",
    ),
}


def _issue(at: int) -> tuple[int, str, str]:
    return (at, "issue", "")


def _check(at: int, code: str = WRONG) -> tuple[int, str, str]:
    return (at, "check", code)


def _wrong_run(at: int, count: int) -> list[tuple[int, str, str]]:
    return [_check(at + i) for i in range(count)]


CASES: tuple[tuple[str, str, list[str], list[tuple[int, str, str]]], ...] = (
    (
        "accept",
        "the right code is accepted",
        ["SingleUse"],
        [_issue(0), _check(30, RIGHT), _check(31, RIGHT)],
    ),
    (
        "validity-at-limit",
        "accepted at exactly 600 s",
        ["Validity"],
        [_issue(0), _check(600, RIGHT)],
    ),
    (
        "validity-past",
        "refused at 601 s, not counted",
        ["Validity"],
        [_issue(0), _check(601, RIGHT), _check(601)],
    ),
    (
        "tries-limit",
        "the third wrong try voids the code",
        ["TriesPerCode"],
        [_issue(0), *_wrong_run(1, 3), _check(5, RIGHT)],
    ),
    (
        "tries-below",
        "two wrong tries, then the right code",
        ["TriesPerCode"],
        [_issue(0), *_wrong_run(1, 2), _check(5, RIGHT)],
    ),
    (
        "new-code-voids",
        "a new code voids the previous",
        ["Voided"],
        [_issue(0), _issue(10), _check(20, "@previous")],
    ),
    (
        "quota-limit",
        "the fifth code in 24 h is issued, the sixth refused",
        ["Quota"],
        [_issue(i * 60) for i in range(6)],
    ),
    (
        "quota-window",
        "a code issued exactly 24 h earlier no longer counts",
        ["Quota"],
        [*(_issue(i) for i in range(5)), _issue(24 * H - 1), _issue(24 * H)],
    ),
    (
        "lock-below",
        "nine consecutive failures do not lock",
        ["Lock", "NoReset"],
        [
            _issue(0),
            *_wrong_run(1, 3),
            _issue(10),
            *_wrong_run(11, 3),
            _issue(20),
            *_wrong_run(21, 3),
            _issue(30),
            _check(31, RIGHT),
        ],
    ),
    (
        "lock-at-limit",
        "the tenth consecutive failure locks",
        ["Lock", "NoReset"],
        [
            _issue(0),
            *_wrong_run(1, 3),
            _issue(10),
            *_wrong_run(11, 3),
            _issue(20),
            *_wrong_run(21, 3),
            _issue(30),
            _check(31),
            _check(32, RIGHT),
            _issue(33),
        ],
    ),
    (
        "lock-end",
        "the lock ends after exactly 24 h and the run restarts",
        ["LockEnd"],
        [
            _issue(0),
            *_wrong_run(1, 3),
            _issue(10),
            *_wrong_run(11, 3),
            _issue(20),
            *_wrong_run(21, 3),
            _issue(30),
            _check(31),
            _issue(31 + 24 * H - 1),
            _issue(31 + 24 * H),
            _check(32 + 24 * H),
        ],
    ),
    (
        "malformed",
        "codes that are not 6 ASCII digits",
        ["Malformed"],
        [
            _issue(0),
            _check(1, "12345"),
            _check(2, "1234567"),
            _check(3, "12a456"),
            _check(4, ""),
            _check(5, "١٢٣٤٥٦"),
            _check(6, RIGHT),
        ],
    ),
)


def _run(name: str, operations: list[tuple[int, str, str]]) -> list[dict[str, Any]]:
    random = seeded_random(f"vdc-otp/{name}")
    state = OtpState()
    codes: list[str] = []
    out = []
    for at, op, given in operations:
        now = START + timedelta(seconds=at)
        entry: dict[str, Any] = {"at": at, "op": op}
        try:
            if op == "issue":
                state, code = issue_code(state, now=now, random=random, key=KEY, context=CONTEXT)
                codes.append(code)
                entry |= {"outcome": "issued", "code": code, "mac": (state.code_mac or b"").hex()}
            else:
                code = {
                    RIGHT: codes[-1] if codes else "000000",
                    WRONG: "999999" if codes and codes[-1] != "999999" else "999998",
                    "@previous": codes[-2] if len(codes) > 1 else "000000",
                }.get(given, given)
                state, result = check_code(state, code, now=now, key=KEY, context=CONTEXT)
                entry |= {"code": code, "outcome": result.value}
        except OtpRefusedError as error:
            entry |= {"outcome": "refused", "reason": error.reason.value}
            if op == "check":
                entry["code"] = code
        out.append(entry)
    return out


DRAWS = (
    ("zero", "00000000", "000000"),
    ("largest-kept", "fff13d7f", "999999"),
    ("rejected-then-used", "ffffffff0001e240", "123456"),
    ("limit-rejected", "fff13d800001e241", "123457"),
)


_HEADER_GROUP = {"keyHex": KEY.hex(), "contextHex": CONTEXT.hex(), "startTime": START.isoformat()}


def build_policy() -> dict[str, Any]:
    sequences = [
        {
            "comment": f"{name}: {comment}",
            "flags": flags,
            "seed": f"vdc-otp/{name}",
            "operations": _run(name, ops),
            "result": "valid",
        }
        for name, comment, flags, ops in CASES
    ]
    return document(
        algorithm="VDC-OTP e-mailed code",
        schema="otp_policy.schema.json",
        header=[
            "Operations on a fresh code state at a number of seconds after the start, with",
            "the outcome: issued (code and HMAC-SHA256 MAC), accepted, wrong,",
            "wrong-code-voided, wrong-locked, or refused with a reason. Codes are drawn from",
            "seeded_random(seed).",
        ],
        notes={k: v for k, v in NOTES.items() if k != "Draw"},
        groups=[{**_HEADER_GROUP, "tests": sequences}],
    )


def build_draws() -> dict[str, Any]:
    draws = []
    for name, source, code in DRAWS:
        if draw_from(bytes.fromhex(source)) != code:
            raise AssertionError(f"draw vector {name} disagrees with the reference")
        draws.append(
            {
                "comment": f"draw {name}",
                "flags": ["Draw"],
                "randomBytes": source,
                "code": code,
                "result": "valid",
            }
        )
    return document(
        algorithm="VDC-OTP code draw",
        schema="otp_draws.schema.json",
        header=[
            "Random bytes read as 32-bit big-endian values; a value of 4294000000 or more is",
            "rejected and the next 4 bytes are read; the code is the value modulo 10^6.",
        ],
        notes={"Draw": NOTES["Draw"]},
        groups=[{"tests": draws}],
    )


def draw_from(data: bytes) -> str:
    """The code drawn from exactly these random bytes (VDC-OTP-001)."""
    box = [data]

    def source(count: int) -> bytes:
        taken, box[0] = box[0][:count], box[0][count:]
        return taken

    return draw_code(source)


_OPERATION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["at", "op", "outcome"],
    "properties": {
        "at": {"type": "integer", "minimum": 0},
        "op": {"enum": ["issue", "check"]},
        "outcome": {
            "enum": ["issued", "accepted", "wrong", "wrong-code-voided", "wrong-locked", "refused"]
        },
        "code": {"type": "string"},
        "mac": HEX,
        "reason": {"type": "string"},
    },
}


def build_schema() -> dict[str, Any]:
    return schema(
        title="VDC e-mailed code policy cases",
        group_properties={
            "keyHex": HEX,
            "contextHex": HEX,
            "startTime": {"type": "string"},
        },
        test_properties={
            "seed": {"type": "string"},
            "operations": {"type": "array", "items": _OPERATION, "minItems": 1},
        },
    )


def build_draws_schema() -> dict[str, Any]:
    return schema(
        title="VDC e-mailed code draws",
        group_properties={},
        test_properties={
            "randomBytes": HEX,
            "code": {"type": "string", "pattern": "^[0-9]{6}$"},
        },
    )


FILES = {
    "otp/policy.json": build_policy,
    "otp/draws.json": build_draws,
    "schemas/otp_policy.schema.json": build_schema,
    "schemas/otp_draws.schema.json": build_draws_schema,
}
