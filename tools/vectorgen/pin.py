"""Personal-code vectors (VDC-PIN).

Vector files: `pin/pin_policy.json` (codes chosen at setup, with the refusing rule),
`pin/pin_counter.json` (sequences of unlock attempts with their status words) and
`pin/pin_verifier.json` (Argon2id known answers). Expected outcomes are written here by
rule, not computed by vitale_ref.pin; the builder only cross-checks each policy case
against the implementation so that a generator mistake cannot ship silently.

The blocklist itself is built by tools/vectorgen/pin_blocklist.py.
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from tools.vectorgen._wycheproof import HEX, Flag, document, schema
from vitale_ref.pin import WeakPinError, check_personal_code, structural_refusal
from vitale_ref.randomness import seeded_random

# -- policy vectors ---------------------------------------------------------------------

POLICY_NOTES = {
    "Format": Flag(
        bug_type="MALFORMED_INPUT",
        description="Not exactly six ASCII digits (length, letters, spaces, other scripts).",
        requirement="VDC-PIN-001",
    ),
    "IdenticalDigits": Flag(
        bug_type="WEAK_SECRET",
        description="One digit six times.",
        requirement="VDC-PIN-002",
    ),
    "StraightRun": Flag(
        bug_type="WEAK_SECRET",
        description="Every step +1 or every step -1, modulo 10.",
        requirement="VDC-PIN-003",
    ),
    "RepeatedBlock": Flag(
        bug_type="WEAK_SECRET",
        description="A pair written three times or a triple written twice.",
        requirement="VDC-PIN-004",
    ),
    "BirthDate": Flag(
        bug_type="WEAK_SECRET",
        description="A six-digit form of the holder's birth date (lunar dates included).",
        requirement="VDC-PIN-006",
    ),
    "Blocklisted": Flag(
        bug_type="WEAK_SECRET",
        description="A code of the shipped blocklist.",
        requirement="VDC-PIN-007",
    ),
    "RuleOrder": Flag(
        bug_type="WRONG_REASON",
        description="Refused by two rules; the first in VDC-PIN-005 order must be reported.",
        requirement="VDC-PIN-005",
    ),
    "NearMiss": Flag(
        bug_type="OVER_REFUSAL",
        description="One digit away from a refused pattern: must be accepted.",
        requirement="VDC-PIN-005",
    ),
}

_FORMAT = {
    "": "empty",
    "48071": "five digits (one short)",
    "4807150": "seven digits (one over)",
    "48071a": "a letter",
    " 48071": "a leading space",
    "480 71": "a space inside",
    "480715\n": "a trailing newline",
    "+48071": "a sign",
    "\uff14\uff18\uff10\uff17\uff11\uff15": "full-width digits",
    "\u0664\u0668\u0660\u0667\u0661\u0665": "Arabic-Indic digits",
}


def _run(start: int, step: int) -> str:
    return "".join(str((start + step * i) % 10) for i in range(6))


def _general_cases() -> list[tuple[str, str, list[str], str | None]]:
    cases: list[tuple[str, str, list[str], str | None]] = []
    cases += [(code, why, ["Format"], "VDC-PIN-001") for code, why in _FORMAT.items()]
    cases += [
        (str(d) * 6, "identical digits", ["IdenticalDigits"], "VDC-PIN-002") for d in range(10)
    ]
    for step, name in ((1, "ascending"), (-1, "descending")):
        cases += [(_run(s, step), f"{name} run", ["StraightRun"], "VDC-PIN-003") for s in range(10)]
    repeated = ("121212", "909090", "010101", "123123", "007007", "987987", "480480")
    cases += [(code, "repeated block", ["RepeatedBlock"], "VDC-PIN-004") for code in repeated]
    blocked = {
        "147258": "K: keypad columns",
        "789456": "K: keypad rows bottom up",
        "159357": "K: keypad diagonals",
        "963852": "K: reversed columns",
        "123321": "M: run and mirror",
        "147741": "M: keypad line and mirror",
        "987789": "M: descending run and mirror",
        "112233": "S: stuttered run",
        "998877": "S: stuttered descending run",
        "111222": "B: two blocks",
        "000999": "B: two blocks",
        "000001": "O: one off at the end",
        "100000": "O: one off at the start",
        "999998": "O: one off at the end",
        "135791": "P: step 2",
        "246802": "P: step 2",
        "369258": "P: step 3",
    }
    cases += [(code, why, ["Blocklisted"], "VDC-PIN-007") for code, why in blocked.items()]
    near = ("480715", "123457", "123465", "121213", "123124", "111121", "000010", "731904")
    cases += [(code, "near miss", ["NearMiss"], None) for code in near]
    cases.append(("150375", "a birth-date form, but no birth date is known", [], None))
    return cases


def _birth_cases(birth_date: str) -> list[tuple[str, str, list[str], str | None]]:
    century, year, month, day = birth_date[:2], birth_date[2:4], birth_date[4:6], birth_date[6:]
    forms = {
        day + month + year: "DDMMYY",
        month + day + year: "MMDDYY",
        year + month + day: "YYMMDD",
        day + month + century: "DDMMCC",
        month + century + year: "MMYYYY",
        century + year + month: "YYYYMM",
    }
    cases: list[tuple[str, str, list[str], str | None]] = []
    for code, form in forms.items():
        if structural_refusal(code) is None:
            flags = ["BirthDate", "RuleOrder"] if code in BLOCKED_FOR_ORDER else ["BirthDate"]
            cases.append((code, f"birth date as {form}", flags, "VDC-PIN-006"))
    return cases


BLOCKED_FOR_ORDER = frozenset({"000001", "100000"})
_BIRTH_GROUPS = {
    "19750315": ("a calendar date", ("150376", "197504", "031576")),
    "19750000": ("a lunar date: day and month unknown", ("000076", "197501")),
    "19801100": ("a lunar date: day unknown", ("001181", "110081")),
    "20010000": ("a lunar date of 2001: its DDMMYY form is also blocklisted", ("000102",)),
}


def _policy_test(
    code: str, why: str, flags: list[str], refused_by: str | None, birth_date: str | None
) -> dict[str, Any]:
    try:
        check_personal_code(code, birth_date=birth_date)
        actual = None
    except WeakPinError as error:
        actual = error.requirement
    if actual != refused_by:
        raise ValueError(f"vector {code!r} expects {refused_by}, implementation says {actual}")
    return {
        "comment": why,
        "flags": flags,
        "code": code,
        "refusedBy": refused_by or "",
        "result": "valid" if refused_by is None else "invalid",
    }


def build_policy() -> dict[str, Any]:
    groups: list[dict[str, Any]] = [
        {
            "birthDate": None,
            "tests": [_policy_test(*case, None) for case in _general_cases()],
        }
    ]
    for birth_date, (why, near) in _BIRTH_GROUPS.items():
        cases = _birth_cases(birth_date)
        cases += [(code, f"near a form of {why}", ["NearMiss"], None) for code in near]
        groups.append(
            {"birthDate": birth_date, "tests": [_policy_test(*c, birth_date) for c in cases]}
        )
    return document(
        algorithm="VDC-PIN personal-code policy",
        schema="pin_policy.schema.json",
        header=[
            "Codes a holder may try to choose. result is valid when the code must be",
            "accepted; invalid codes name in refusedBy the first refusing rule (VDC-PIN-005).",
            "birthDate is the holder's YYYYMMDD birth date (lunar dates allowed) or null.",
        ],
        notes=POLICY_NOTES,
        groups=groups,
    )


def policy_schema() -> dict[str, Any]:
    return schema(
        title="VDC-PIN policy vectors",
        group_properties={"birthDate": {"type": ["string", "null"], "pattern": "^[0-9]{8}$"}},
        test_properties={
            "code": {"type": "string"},
            "refusedBy": {"type": "string", "pattern": "^(VDC-PIN-[0-9]{3})?$"},
        },
    )


# -- try-counter vectors ----------------------------------------------------------------

COUNTER_NOTES = {
    "AtLimit": Flag(
        bug_type="EDGE_CASE",
        description="The fifth consecutive wrong code blocks (63C0), the sixth attempt is 6983.",
        requirement="VDC-PIN-012",
    ),
    "BelowLimit": Flag(
        bug_type="EDGE_CASE",
        description="Four wrong codes then the right one: unlocked, counter back to 5.",
        requirement="VDC-PIN-014",
    ),
    "BlockedNotEvaluated": Flag(
        bug_type="MISSING_CHECK",
        description="Once blocked, even the right code gets 6983.",
        requirement="VDC-PIN-012",
    ),
    "Malformed": Flag(
        bug_type="MALFORMED_INPUT",
        description="A code that is not six digits gets 6A80 and takes no try.",
        requirement="VDC-PIN-015",
    ),
    "Reset": Flag(
        bug_type="MISSING_CHECK",
        description="A success resets the counter; the next wrong code is 63C4.",
        requirement="VDC-PIN-014",
    ),
}

_RIGHT, _WRONG = "480715", "999990"
_SW = {"right": "9000", "blocked": "6983", "malformed": "6A80"}


def _attempts(codes: list[str]) -> list[dict[str, Any]]:
    tries, out = 5, []
    for code in codes:
        if not (len(code) == 6 and code.isdigit()):
            word = _SW["malformed"]
        elif tries == 0:
            word = _SW["blocked"]
        elif code == _RIGHT:
            tries, word = 5, _SW["right"]
        else:
            tries -= 1
            word = f"63C{tries:X}"
        out.append({"code": code, "statusWord": word, "triesRemaining": tries})
    return out


def build_counter() -> dict[str, Any]:
    sequences: list[tuple[str, list[str], list[str]]] = [
        ("right code", [], [_RIGHT]),
        ("one wrong code", [], [_WRONG]),
        ("four wrong then right", ["BelowLimit"], [_WRONG] * 4 + [_RIGHT]),
        ("five wrong: blocked", ["AtLimit"], [_WRONG] * 5),
        ("six wrong", ["AtLimit"], [_WRONG] * 6),
        ("five wrong then right", ["BlockedNotEvaluated"], [_WRONG] * 5 + [_RIGHT]),
        ("reset by a success", ["Reset"], [_WRONG] * 4 + [_RIGHT, _WRONG]),
        ("alternating never blocks", ["Reset"], [_WRONG, _RIGHT] * 5),
        ("malformed codes take no try", ["Malformed"], ["48071", _WRONG, "4807150", "48071a"]),
        ("malformed while blocked", ["Malformed"], [_WRONG] * 5 + ["48071"]),
    ]
    tests = [
        {"comment": c, "flags": f, "attempts": _attempts(codes), "result": "valid"}
        for c, f, codes in sequences
    ]
    return document(
        algorithm="VDC-PIN try counter",
        schema="pin_counter.schema.json",
        header=[
            "Sequences of unlock attempts on a freshly provisioned holder whose personal code",
            "is personalCode, with the status word and the tries left after each attempt.",
        ],
        notes=COUNTER_NOTES,
        groups=[{"personalCode": _RIGHT, "initialTries": 5, "tests": tests}],
    )


def counter_schema() -> dict[str, Any]:
    attempt = {
        "type": "object",
        "additionalProperties": False,
        "required": ["code", "statusWord", "triesRemaining"],
        "properties": {
            "code": {"type": "string"},
            "statusWord": {"type": "string", "pattern": "^[0-9A-F]{4}$"},
            "triesRemaining": {"type": "integer", "minimum": 0, "maximum": 5},
        },
    }
    return schema(
        title="VDC-PIN try-counter vectors",
        group_properties={
            "personalCode": {"type": "string", "pattern": "^[0-9]{6}$"},
            "initialTries": {"type": "integer"},
        },
        test_properties={"attempts": {"type": "array", "minItems": 1, "items": attempt}},
    )


# -- verifier vectors -------------------------------------------------------------------

VERIFIER_NOTES = {
    "DefaultParameters": Flag(
        bug_type="KNOWN_ANSWER",
        description="Argon2id with the documented default parameters (64 MiB, t=3, p=4).",
        requirement="VDC-PIN-010",
    ),
    "TestOnlyParameters": Flag(
        bug_type="KNOWN_ANSWER",
        description="The test-only parameter set (32 KiB, t=1, p=1); never for a real holder.",
        requirement="VDC-PIN-009",
    ),
    "WrongCode": Flag(
        bug_type="KNOWN_ANSWER",
        description="The digest of another code: the comparison must fail.",
        requirement="VDC-PIN-011",
    ),
}


def _argon2(code: str, salt: bytes, memory: int, iterations: int, lanes: int) -> bytes:
    kdf = Argon2id(salt=salt, length=32, iterations=iterations, lanes=lanes, memory_cost=memory)
    return kdf.derive(code.encode("ascii"))


def build_verifier() -> dict[str, Any]:
    groups = []
    for flag, (memory, iterations, lanes) in (
        ("DefaultParameters", (65536, 3, 4)),
        ("TestOnlyParameters", (32, 1, 1)),
    ):
        random = seeded_random(f"pin-verifier-{flag}")
        tests = []
        for code in ("480715", "731904"):
            salt = random(16)
            digest = _argon2(code, salt, memory, iterations, lanes)
            tests.append(
                _verifier_test(
                    f"code {code}", [flag], code, salt=salt, digest=digest, result="valid"
                )
            )
            other = _argon2("260817", salt, memory, iterations, lanes)
            tests.append(
                _verifier_test(
                    "another code's digest",
                    [flag, "WrongCode"],
                    code,
                    salt=salt,
                    digest=other,
                    result="invalid",
                )
            )
        groups.append(
            {"memoryKiB": memory, "iterations": iterations, "lanes": lanes, "tests": tests}
        )
    return document(
        algorithm="VDC-PIN Argon2id verifier",
        schema="pin_verifier.schema.json",
        header=[
            "Argon2id (version 0x13) over the six ASCII digits of code with salt, 32-byte",
            "output. valid: digest is the verifier of code; invalid: it is not.",
        ],
        notes=VERIFIER_NOTES,
        groups=groups,
    )


def _verifier_test(
    comment: str, flags: list[str], code: str, *, salt: bytes, digest: bytes, result: str
) -> dict[str, Any]:
    return {
        "comment": comment,
        "flags": flags,
        "code": code,
        "salt": salt.hex(),
        "digest": digest.hex(),
        "result": result,
    }


def verifier_schema() -> dict[str, Any]:
    return schema(
        title="VDC-PIN verifier vectors",
        group_properties={
            "memoryKiB": {"type": "integer"},
            "iterations": {"type": "integer"},
            "lanes": {"type": "integer"},
        },
        test_properties={"code": {"type": "string"}, "salt": HEX, "digest": HEX},
    )


FILES = {
    "pin/pin_policy.json": build_policy,
    "schemas/pin_policy.schema.json": policy_schema,
    "pin/pin_counter.json": build_counter,
    "schemas/pin_counter.schema.json": counter_schema,
    "pin/pin_verifier.json": build_verifier,
    "schemas/pin_verifier.schema.json": verifier_schema,
}
