"""Holder profile: the personal code, its policy and its try counter (spec chapter VDC-PIN)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from conformance.adapters import IutBase
from conformance.cases import _material as m
from conformance.cases._checks import accepted, refused
from conformance.cases._vectors import vector_params, vector_requirements
from conformance.catalogue import Param, tc
from conformance.outcomes import expect

CHECK = "pin.check"
BIRTH = "19850521"  # synthetic holder's birth date for the birth-date rule
GOOD_CODE = "480715"


def _policy_case(
    case_id: str, title: str, verifies: list[str], kind: str, codes: Iterable[str]
) -> None:
    listed = [(code, code) for code in codes]

    def check(iut: IutBase, param: str) -> None:
        refused(iut, CHECK, {"code": param, "birthDate": BIRTH}, kind)

    check.__name__ = f"test_{case_id.lower().replace('-', '_')}"
    check.__qualname__ = check.__name__
    globals()[check.__name__] = tc(
        case_id,
        title=title,
        purpose=f"The choice policy refuses these codes ({kind}).",
        verifies=verifies,
        profile="holder",
        kind="negative",
        expected=f"error {kind}",
        operations=[CHECK],
        params=lambda: listed,
    )(check)


def _acceptable() -> Iterable[Param]:
    return [(code, code) for code in (GOOD_CODE, "271828", "903617", "158462")]


@tc(
    "TC-PIN-001",
    title="Acceptable personal codes are accepted",
    purpose="Six ASCII digits that no rule refuses may be chosen.",
    verifies=["VDC-PIN-001", "VDC-PIN-005"],
    profile="holder",
    kind="positive",
    expected="accepted",
    operations=[CHECK],
    params=_acceptable,
)
def test_acceptable_codes(iut: IutBase, param: str) -> None:
    accepted(iut, CHECK, {"code": param, "birthDate": BIRTH})


_policy_case(
    "TC-PIN-002",
    "Codes that are not six ASCII digits",
    ["VDC-PIN-001"],
    "format",
    ["48071", "4807155", "48a715", "\uff14\uff18\uff10\uff17\uff11\uff15", " 48071", ""],
)
_policy_case("TC-PIN-003", "Identical digits", ["VDC-PIN-002"], "weak", ["000000", "777777"])
_policy_case("TC-PIN-004", "Straight runs", ["VDC-PIN-003"], "weak", ["123456", "654321", "345678"])
_policy_case(
    "TC-PIN-005", "Repeated pairs or triples", ["VDC-PIN-004"], "weak", ["121212", "123123"]
)
_policy_case(
    "TC-PIN-006",
    "The holder's birth date",
    ["VDC-PIN-006"],
    "weak",
    ["210585", "052185", "850521", "210519", "051985", "198505"],
)
_policy_case(
    "TC-PIN-007",
    "Commonly chosen codes of the blocklist",
    ["VDC-PIN-007"],
    "weak",
    ["000001", "001122", "024680", "036925"],
)


def _provisioned(iut: IutBase) -> None:
    accepted(iut, "pin.provision", {"code": GOOD_CODE, "now": m.iso(m.NOW)})


def _unlock(iut: IutBase, code: str, seconds: int = 0) -> dict[str, object]:
    moment = m.iso(m.NOW + timedelta(seconds=seconds))
    return accepted(iut, "pin.unlock", {"code": code, "now": moment})


UNLOCK = ["pin.provision", "pin.unlock"]


@tc(
    "TC-PIN-008",
    title="Five consecutive wrong codes block the app",
    purpose="Each wrong code costs a try (63C4 .. 63C0); then 6983 and even the right "
    "code is not evaluated.",
    verifies=["VDC-PIN-012", "VDC-PIN-015", "VDC-PIN-013"],
    profile="holder",
    kind="negative",
    preconditions="a provisioned device with code 480715",
    expected="63C4, 63C3, 63C2, 63C1, 63C0, then 6983 for the right code",
    operations=UNLOCK,
)
def test_five_wrong_codes_block(iut: IutBase) -> None:
    _provisioned(iut)
    words = [str(_unlock(iut, "999999", n)["statusWord"]) for n in range(5)]
    expected = ["63C4", "63C3", "63C2", "63C1", "63C0"]
    expect(words == expected, "wrong try counter", expected=str(expected), got=str(words))
    after = _unlock(iut, GOOD_CODE, 10)
    expect(
        after["statusWord"] == "6983" and after["outcome"] == "blocked",
        "a blocked app evaluated the code",
        expected="6983 blocked",
        got=f"{after['statusWord']} {after['outcome']}",
    )


@tc(
    "TC-PIN-009",
    title="Only a success restores the counter",
    purpose="After wrong codes, the right code gives 9000 and five tries again.",
    verifies=["VDC-PIN-014", "VDC-PIN-015"],
    profile="holder",
    kind="positive",
    preconditions="a provisioned device with code 480715",
    expected="63C4, 63C3, 9000 with 5 tries, then 63C4",
    operations=UNLOCK,
)
def test_success_restores_counter(iut: IutBase) -> None:
    _provisioned(iut)
    words = [
        str(_unlock(iut, code, n)["statusWord"])
        for n, code in enumerate(["999999", "999998", GOOD_CODE, "999997"])
    ]
    expected = ["63C4", "63C3", "9000", "63C4"]
    expect(
        words == expected,
        "counter not restored by the success",
        expected=str(expected),
        got=str(words),
    )


@tc(
    "TC-PIN-010",
    title="A successful unlock arms the presentation for 60 seconds",
    purpose="Armed strictly before T+60 s, not at T+60 s, not after a wrong code.",
    verifies=["VDC-PIN-017"],
    profile="holder",
    kind="boundary",
    preconditions="a provisioned device unlocked at T",
    expected="armed at T+59 s, not armed at T+60 s",
    operations=[*UNLOCK, "pin.armed"],
)
def test_presentation_window(iut: IutBase) -> None:
    _provisioned(iut)
    _unlock(iut, GOOD_CODE)
    seen = [
        iut.call("pin.armed", {"now": m.iso(m.NOW + timedelta(seconds=s))})["armed"]
        for s in (0, 59, 60, 61)
    ]
    expect(
        seen == [True, True, False, False],
        "wrong presentation window",
        expected="[True, True, False, False] at 0, 59, 60, 61 s",
        got=str(seen),
    )


POLICY_VECTORS = "pin/pin_policy.json"
VERIFIER_VECTORS = "pin/pin_verifier.json"


@tc(
    "TC-PIN-011",
    title="The personal-code policy vector file",
    purpose="Each code of vectors/pin/pin_policy.json is accepted or refused as stated.",
    verifies=vector_requirements(POLICY_VECTORS, "VDC-PIN-001"),
    profile="holder",
    kind="negative",
    preconditions="vectors/pin/pin_policy.json is present",
    expected="valid codes accepted; VDC-PIN-001 refusals are format errors, others weak",
    operations=[CHECK],
    params=vector_params(POLICY_VECTORS),
)
def test_policy_vectors(iut: IutBase, param: Any) -> None:
    params: dict[str, Any] = {"code": param.data["code"]}
    if param.group.get("birthDate"):
        params["birthDate"] = param.group["birthDate"]
    if param.result == "valid":
        accepted(iut, CHECK, params)
        return
    kind = "format" if param.data["refusedBy"] == "VDC-PIN-001" else "weak"
    refused(iut, CHECK, params, kind)


@tc(
    "TC-PIN-012",
    title="The verifier is Argon2id over the code with the holder's salt",
    purpose="For each vector of vectors/pin/pin_verifier.json the digest of the code "
    "with the salt and parameters equals the stated digest exactly when it is valid.",
    verifies=vector_requirements(VERIFIER_VECTORS, "VDC-PIN-009", "VDC-PIN-010"),
    profile="holder",
    kind="negative",
    preconditions="vectors/pin/pin_verifier.json is present",
    expected="digest equal for valid vectors, different for invalid ones",
    operations=["pin.verifier"],
    params=vector_params(VERIFIER_VECTORS),
)
def test_verifier_vectors(iut: IutBase, param: Any) -> None:
    group, data = param.group, param.data
    result = accepted(
        iut,
        "pin.verifier",
        {
            "code": data["code"],
            "salt": data["salt"],
            "memoryKiB": group["memoryKiB"],
            "iterations": group["iterations"],
            "lanes": group["lanes"],
        },
    )
    same = str(result["digest"]).lower() == data["digest"].lower()
    expect(
        same == (param.result == "valid"),
        "digest does not match the vector",
        expected=("equal to " if param.result == "valid" else "different from ") + data["digest"],
        got=str(result["digest"]),
    )


@tc(
    "TC-PIN-013",
    title="The code is entered twice at setup",
    purpose="A confirmation that differs from the first entry is refused; an equal one is "
    "accepted.",
    verifies=["VDC-PIN-008"],
    profile="holder",
    kind="negative",
    expected="error mismatch for 480716 after 480715; accepted when both are 480715",
    operations=[CHECK],
)
def test_entered_twice(iut: IutBase) -> None:
    refused(iut, CHECK, {"code": GOOD_CODE, "confirmation": "480716"}, "mismatch")
    accepted(iut, CHECK, {"code": GOOD_CODE, "confirmation": GOOD_CODE})


@tc(
    "TC-PIN-014",
    title="Re-enrolment replaces the holder and its code",
    purpose="After a second provisioning only the new code unlocks, with a full counter.",
    verifies=["VDC-PIN-020"],
    profile="holder",
    kind="negative",
    preconditions="a device provisioned with 480715, then with 271828",
    expected="480715 is a wrong code (63C4); 271828 unlocks (9000)",
    operations=UNLOCK,
)
def test_reenrolment_replaces(iut: IutBase) -> None:
    _provisioned(iut)
    _unlock(iut, "999999")
    accepted(iut, "pin.provision", {"code": "271828", "now": m.iso(m.NOW)})
    words = [
        str(_unlock(iut, code, n)["statusWord"])
        for n, code in enumerate([GOOD_CODE, "271828"], start=1)
    ]
    expect(
        words == ["63C4", "9000"],
        "the old holder survived the re-enrolment",
        expected="['63C4', '9000']",
        got=str(words),
    )


_SALT = bytes(range(16))


def _verifier_parameters() -> Iterable[Param]:
    # (memory KiB, passes, lanes, accepted): each bound of VDC-PIN-010 at and beyond its edge.
    rows = [
        ("one-lane", 8, 1, 1, True),
        ("sixteen-lanes", 128, 1, 16, True),
        ("no-lane", 8, 1, 0, False),
        ("seventeen-lanes", 136, 1, 17, False),
        ("8-KiB-per-lane", 16, 1, 2, True),
        ("under-8-KiB-per-lane", 15, 1, 2, False),
        ("one-pass", 8, 1, 1, True),
        ("64-passes", 8, 64, 1, True),
        ("no-pass", 8, 0, 1, False),
        ("65-passes", 8, 65, 1, False),
        ("over-1-GiB", 2**20 + 1, 1, 1, False),
    ]
    return [(name, (memory, passes, lanes, ok)) for name, memory, passes, lanes, ok in rows]


@tc(
    "TC-PIN-022",
    title="Argon2id parameters at the edges of the accepted ranges",
    purpose="1 and 16 lanes, 8 KiB per lane, 1 and 64 passes give the Argon2id digest of "
    "the code (computed by the suite); 0 or 17 lanes, less than 8 KiB per lane, 0 or 65 "
    "passes and more than 1 GiB are refused, the last without allocating it.",
    verifies=["VDC-PIN-010", "VDC-PIN-009"],
    profile="holder",
    kind="boundary",
    expected="the digest at the edges; error bad_request beyond them",
    operations=["pin.verifier"],
    params=_verifier_parameters,
)
def test_verifier_parameter_edges(iut: IutBase, param: tuple[int, int, int, bool]) -> None:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    memory, passes, lanes, ok = param
    params = {
        "code": GOOD_CODE,
        "salt": _SALT.hex().upper(),
        "memoryKiB": memory,
        "iterations": passes,
        "lanes": lanes,
    }
    if not ok:
        refused(iut, "pin.verifier", params, "bad_request")
        return
    digest = Argon2id(
        salt=_SALT, length=32, iterations=passes, lanes=lanes, memory_cost=memory
    ).derive(GOOD_CODE.encode())
    got = str(accepted(iut, "pin.verifier", params)["digest"]).upper()
    expect(got == digest.hex().upper(), "wrong Argon2id digest", expected=digest.hex(), got=got)
