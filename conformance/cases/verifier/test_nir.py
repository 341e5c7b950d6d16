"""Verifier profile: the NIR validator (spec chapter VDC-NIR).

Inputs are synthetic; keys are computed here, independently of the reference, so that
each invalid input breaks exactly the rule its case names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from conformance.adapters import IutBase
from conformance.cases._checks import accepted, refused
from conformance.cases._vectors import vector_params, vector_requirements
from conformance.catalogue import Param, Parameter, param, tc
from conformance.outcomes import expect

OP = "nir.validate"


def key(body: str) -> str:
    """97 minus the body modulo 97, 2A read as 19 and 2B as 18."""
    digits = body[:5] + {"2A": "19", "2B": "18"}.get(body[5:7], body[5:7]) + body[7:]
    return f"{97 - int(digits) % 97:02d}"


def nir(body: str) -> str:
    return body + key(body)


def _pairs(*items: tuple[str, str]) -> Callable[[], Iterable[Param]]:
    return lambda: [(name, value) for name, value in items]


VALID = _pairs(
    ("metropolitan", nir("2950599126111")),
    ("corsica-2A", nir("185052A123456")),
    ("corsica-2B", nir("185052B123456")),
    ("corsica-20", nir("1850520123456")),
    ("overseas-971", nir("2850197112345")),
    ("abroad-europe", nir("1700399100123")),
    ("abroad-oceania", nir("1700399599123")),
    ("special-month-20", nir("2952075056001")),
    ("special-month-99", nir("2959975056001")),
    ("year-00", nir("1000175056001")),
)


@tc(
    "TC-NIR-001",
    title="Valid NIRs are accepted",
    purpose="A validator accepts every valid canonical NIR and returns it unchanged.",
    verifies=["VDC-NIR-001", "VDC-NIR-002", "VDC-NIR-008", "VDC-NIR-016"],
    profile="verifier",
    kind="positive",
    expected="result with the same 15 characters",
    operations=[OP],
    params=VALID,
)
def test_valid_nir_accepted(iut: IutBase, param: str) -> None:
    result = accepted(iut, OP, {"nir": param})
    expect(result["nir"] == param, "canonical form changed", expected=param, got=result["nir"])


def _refusals(
    case_id: str, title: str, verifies: list[str], kind: str, items: Iterable[tuple[str, str]]
) -> None:
    """Declare a case whose every input is refused with error `kind`."""
    listed = list(items)

    def check(iut: IutBase, param: str) -> None:
        refused(iut, OP, {"nir": param}, kind)

    check.__name__ = f"test_{case_id.lower().replace('-', '_')}"
    check.__qualname__ = check.__name__
    globals()[check.__name__] = tc(
        case_id,
        title=title,
        purpose=f"A validator refuses these inputs with error kind {kind}.",
        verifies=verifies,
        profile="verifier",
        kind="negative",
        expected=f"error {kind}",
        operations=[OP],
        params=_pairs(*listed),
    )(check)


_refusals(
    "TC-NIR-002",
    "Wrong length is a length error",
    ["VDC-NIR-001"],
    "length",
    [("empty", ""), ("13", "2950599126111"), ("14", "29505991261111"), ("16", "2" * 16)],
)
_refusals(
    "TC-NIR-003",
    "Oversized input is refused before any character is read",
    ["VDC-NIR-004"],
    "length",
    [("33-digits", "1" * 33), ("40-letters", "x" * 40), ("4k-spaces", " " * 4096)],
)
_refusals(
    "TC-NIR-004",
    "Letters outside 2A/2B are refused",
    ["VDC-NIR-002"],
    "format",
    [
        ("letter-C", "185052C12345633"),
        ("A-elsewhere", "1850A2012345633"),
        ("B-after-1", "185051B12345633"),
        ("x-at-end", "29505991261111x"),
    ],
)
_refusals(
    "TC-NIR-005",
    "Non-canonical spellings are refused, not normalised",
    ["VDC-NIR-003"],
    "format",
    [
        ("spaces", "2 95 05 99 126 111 13"),
        ("dots", "2.95.05.99.126.111.13"),
        ("leading-space", " 295059912611113"),
        ("lower-case-a", "185052a12345633"),
        ("full-width-digit", "\uff12" + "95059912611113"),
    ],
)
_refusals(
    "TC-NIR-006",
    "The first failing check in the fixed order is reported",
    ["VDC-NIR-005"],
    "format",
    [
        ("separator-and-short", "2 95059912611"),
        ("letter-and-long", "29505991261111x2"),
        ("separator-and-bad-sex", "9 95059912611113"),
    ],
)
_refusals(
    "TC-NIR-007",
    "Unused sex digits are refused",
    ["VDC-NIR-006"],
    "component:sex",
    [(f"sex-{d}", nir(d + "950599126111")) for d in "0569"],
)
_refusals(
    "TC-NIR-008",
    "Provisional numbers are refused",
    ["VDC-NIR-007"],
    "component:sex",
    [(f"sex-{d}", nir(d + "950599126111")) for d in "3478"],
)
_refusals(
    "TC-NIR-009",
    "Unused months are refused",
    ["VDC-NIR-009"],
    "component:month",
    [(f"month-{m}", nir(f"295{m}99126111")) for m in ("00", "13", "19", "43", "49")],
)
_refusals(
    "TC-NIR-010",
    "Unused departments are refused",
    ["VDC-NIR-010"],
    "component:department",
    [("department-00", nir("2950500126111")), ("department-96", nir("2950596126111"))],
)
_refusals(
    "TC-NIR-011",
    "Metropolitan commune 000 is refused",
    ["VDC-NIR-011"],
    "component:commune",
    [("commune-000", nir("2950575000111")), ("corsica-000", nir("185052A000456"))],
)
_refusals(
    "TC-NIR-012",
    "Overseas commune 00 is refused",
    ["VDC-NIR-012"],
    "component:commune",
    [("971-00", nir("2850197100345")), ("988-00", nir("2850198800345"))],
)
_refusals(
    "TC-NIR-013",
    "Country codes outside 100-599 are refused",
    ["VDC-NIR-013"],
    "component:country",
    [(f"country-{c}", nir(f"1700399{c}123")) for c in ("000", "099", "600", "999")],
)
_refusals(
    "TC-NIR-014",
    "Order number 000 is refused",
    ["VDC-NIR-014"],
    "component:order",
    [("order-000", nir("2950599126000"))],
)
_refusals(
    "TC-NIR-015",
    "Keys outside 01-97 are a component error",
    ["VDC-NIR-015"],
    "component:key",
    [(f"key-{k}", f"2950599126111{k}") for k in ("00", "98", "99")],
)


def _wrong_keys() -> Iterable[Param]:
    for name, body in (("metropolitan", "2950599126111"), ("corsica-2A", "185052A123456")):
        good = int(key(body))
        yield f"{name}-off-by-one", body + f"{good % 97 + 1:02d}"
    # 2A read as 20 (a common mistake) gives a key the rule refuses.
    yield "corsica-2A-as-20", "185052A123456" + key("1850520123456")
    yield "corsica-2B-as-2A", "185052B123456" + key("185052A123456")


@tc(
    "TC-NIR-016",
    title="A wrong key is a checksum error",
    purpose="The key is 97 minus the body mod 97 with 2A as 19 and 2B as 18.",
    verifies=["VDC-NIR-016"],
    profile="verifier",
    kind="negative",
    expected="error checksum",
    operations=[OP],
    params=_wrong_keys,
)
def test_wrong_key_refused(iut: IutBase, param: str) -> None:
    refused(iut, OP, {"nir": param}, "checksum")


def _messages() -> Iterable[Param]:
    return [
        ("length", "2950599126111"),
        ("format", "2 95 05 99 126 111 13"),
        ("component", nir("2950099126111")),
        ("checksum", "295059912611114"),
        ("control-chars", "29505\n9912611113"),
    ]


@tc(
    "TC-NIR-017",
    title="Refusals carry a bounded one-line reason that does not echo the input",
    purpose="Error messages are one line of printable ASCII, bounded, without the input.",
    verifies=["VDC-NIR-017"],
    profile="verifier",
    kind="negative",
    expected="an error whose message is 1..200 printable ASCII characters, input not copied",
    operations=[OP],
    params=_messages,
)
def test_error_message_is_bounded(iut: IutBase, param: str) -> None:
    from conformance.adapters import OperationError

    try:
        result = iut.call(OP, {"nir": param})
    except OperationError as error:
        message = error.message
        printable = all(" " <= char <= "~" for char in message)
        expect(
            0 < len(message) <= 200 and printable,
            "the reason is not one bounded line of printable ASCII",
            expected="1..200 printable ASCII characters",
            got=repr(message[:300]),
        )
        expect(
            param.strip() not in message or len(param.strip()) < 6,
            "the reason copies the input",
            expected="no copy of the input",
            got=repr(message),
        )
        return
    expect(False, "invalid input accepted", expected="an error", got=str(result))


VECTORS = "nir/nir_test.json"
_KINDS = {"InvalidLength": "length", "InvalidFormat": "format", "InvalidChecksum": "checksum"}


@tc(
    "TC-NIR-018",
    title="The NIR vector file: valid numbers accepted, invalid refused with their kind",
    purpose="Every vector of vectors/nir/nir_test.json gets the result and error it states.",
    verifies=vector_requirements(VECTORS, "VDC-NIR-001", "VDC-NIR-016"),
    profile="verifier",
    kind="negative",
    preconditions="vectors/nir/nir_test.json is present",
    expected="valid vectors accepted unchanged; invalid ones refused with the stated kind",
    operations=[OP],
    params=vector_params(VECTORS),
)
def test_nir_vectors(iut: IutBase, param: object) -> None:
    from conformance.vectors import VectorCase

    assert isinstance(param, VectorCase)
    data = param.data
    if param.result == "valid":
        result = accepted(iut, OP, {"nir": data["nir"]})
        expect(
            result["nir"] == data["canonical"],
            "canonical form",
            got=result["nir"],
            expected="nir equal to the vector's canonical form",
        )
        return
    kind = _KINDS.get(data["error"], f"component:{data['component']}")
    refused(iut, OP, {"nir": data["nir"]}, kind)


def _body_with_remainder(remainder: int) -> str:
    """A valid body (metropolitan, Paris) whose value mod 97 is `remainder`."""
    for order in range(1, 1000):
        body = f"2950575056{order:03d}"
        if int(body) % 97 == remainder:
            return body
    raise AssertionError(f"no order number gives the remainder {remainder}")


def _edges() -> Iterable[Parameter]:
    """(name, (input, error kind or None for accepted), requirement) for every range."""
    for month in ("01", "12", "20", "42", "50", "99"):
        yield param(f"month-{month}", (nir(f"295{month}75056001"), None), "VDC-NIR-009")
    for month in ("00", "13", "19", "43", "49"):
        yield param(
            f"month-{month}", (nir(f"295{month}75056001"), "component:month"), "VDC-NIR-009"
        )
    for department in ("01", "95", "2A", "2B"):
        yield param(
            f"department-{department}", (nir(f"29505{department}056001"), None), "VDC-NIR-010"
        )
    for department in ("00", "96"):
        wanted = "component:department"
        yield param(
            f"department-{department}", (nir(f"29505{department}056001"), wanted), "VDC-NIR-010"
        )
    for commune in ("001", "999"):
        yield param(f"commune-{commune}", (nir(f"2950575{commune}001"), None), "VDC-NIR-011")
    for commune in ("01", "99"):
        yield param(
            f"overseas-commune-{commune}", (nir(f"29505974{commune}001"), None), "VDC-NIR-012"
        )
    for country in ("100", "599"):
        yield param(f"country-{country}", (nir(f"2950599{country}001"), None), "VDC-NIR-013")
    for country in ("099", "600"):
        wanted = "component:country"
        yield param(f"country-{country}", (nir(f"2950599{country}001"), wanted), "VDC-NIR-013")
    for order in ("001", "999"):
        yield param(f"order-{order}", (nir(f"2950575056{order}"), None), "VDC-NIR-014")
    yield param("key-97", (nir(_body_with_remainder(0)), None), "VDC-NIR-015", "VDC-NIR-016")
    yield param("key-01", (nir(_body_with_remainder(96)), None), "VDC-NIR-015", "VDC-NIR-016")
    for sex in ("1", "2"):
        yield param(f"sex-{sex}", (nir(f"{sex}950575056001"), None), "VDC-NIR-006")
    # The input bound: 32 characters are read (the first, a letter, is a format error),
    # 33 are refused by their length alone.
    for size, wanted in ((31, "format"), (32, "format"), (33, "length")):
        yield param(f"{size}-letters", ("x" * size, wanted), "VDC-NIR-004", "VDC-NIR-005")
        yield param(f"{size}-spaces", (" " * size, wanted), "VDC-NIR-004", "VDC-NIR-005")
    for size in (14, 16):
        yield param(f"{size}-digits", ("2" * size, "length"), "VDC-NIR-001")


@tc(
    "TC-NIR-019",
    title="Every range of the NIR below, at and above its edges",
    purpose="Months 01, 12, 20, 42, 50 and 99, departments 01, 95, 2A and 2B, communes 001 "
    "and 999 (01 and 99 overseas), countries 100 and 599, order numbers 001 and 999, keys "
    "01 and 97 and sex digits 1 and 2 are accepted; the values just outside are refused "
    "with the component they break; 31 and 32 characters are read, 33 refused unread.",
    verifies=[
        "VDC-NIR-001",
        "VDC-NIR-004",
        "VDC-NIR-005",
        "VDC-NIR-006",
        "VDC-NIR-009",
        "VDC-NIR-010",
        "VDC-NIR-011",
        "VDC-NIR-012",
        "VDC-NIR-013",
        "VDC-NIR-014",
        "VDC-NIR-015",
        "VDC-NIR-016",
    ],
    profile="verifier",
    kind="boundary",
    expected="values at the edges accepted unchanged; values beyond refused with their kind",
    operations=[OP],
    params=_edges,
)
def test_range_edges(iut: IutBase, param: tuple[str, str | None]) -> None:
    number, kind = param
    if kind is not None:
        refused(iut, OP, {"nir": number}, kind)
        return
    result = accepted(iut, OP, {"nir": number})
    expect(result["nir"] == number, "canonical form changed", expected=number, got=result["nir"])
