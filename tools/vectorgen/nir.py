"""NIR vectors (VDC-NIR): synthetic numbers for every rule of spec/nir.md.

The expected outcome of each case is written here by hand, and the keys are computed
by this module's own arithmetic, not by vitale_ref.nir, so the vectors check the
implementation instead of repeating it. Every number is synthetic: built to exercise a
rule, not taken from anyone. The key-97 and key-01 bodies are found by a deterministic
search over the order number.
"""

from __future__ import annotations

from typing import Any

from tools.vectorgen._wycheproof import Flag, document, schema

PATH = "nir/nir_test.json"
SCHEMA = "nir_test.schema.json"

ERRORS = ("InvalidFormat", "InvalidLength", "InvalidComponent", "InvalidChecksum")
COMPONENTS = ("sex", "month", "department", "commune", "country", "order", "key")

NOTES = {
    "Length": Flag(
        bug_type="LengthNotChecked",
        description="The input does not have 15 characters.",
        requirement="VDC-NIR-001",
    ),
    "MissingKey": Flag(
        bug_type="LengthNotChecked",
        description="A 13-character body without its 2-digit key.",
        requirement="VDC-NIR-001",
    ),
    "InputBound": Flag(
        bug_type="UnboundedInput",
        description="Input longer than 32 characters, refused by length before any "
        "character is examined.",
        requirement="VDC-NIR-004",
    ),
    "Alphabet": Flag(
        bug_type="AlphabetNotChecked",
        description="A character that is neither an ASCII digit nor the A/B of 2A/2B.",
        requirement="VDC-NIR-002",
    ),
    "MisplacedLetter": Flag(
        bug_type="AlphabetNotChecked",
        description="A or B anywhere else than after the 2 of the Corsican departments.",
        requirement="VDC-NIR-002",
    ),
    "Separator": Flag(
        bug_type="SilentNormalisation",
        description="Spaces, dots, hyphens or whitespace: human entry, not the canonical form.",
        requirement="VDC-NIR-003",
    ),
    "LowerCase": Flag(
        bug_type="SilentNormalisation",
        description="Lower-case 2a or 2b instead of the canonical 2A or 2B.",
        requirement="VDC-NIR-003",
    ),
    "NonAsciiDigit": Flag(
        bug_type="SilentNormalisation",
        description="A Unicode digit outside 0-9 (full-width, Arabic-Indic).",
        requirement="VDC-NIR-003",
    ),
    "SexCode": Flag(
        bug_type="ComponentNotChecked",
        description="Sex digit other than 1 and 2 and the provisional 3, 4, 7, 8.",
        requirement="VDC-NIR-006",
    ),
    "ProvisionalNumber": Flag(
        bug_type="ComponentNotChecked",
        description="Sex digit 3, 4, 7 or 8: a provisional number, never in a credential.",
        requirement="VDC-NIR-007",
    ),
    "Year": Flag(
        bug_type="OverStrict",
        description="Year 00 or 99: every two-digit year is valid.",
        requirement="VDC-NIR-008",
    ),
    "Month": Flag(
        bug_type="ComponentNotChecked",
        description="Month at the edge of 01-12 or in an unused range.",
        requirement="VDC-NIR-009",
    ),
    "SpecialMonth": Flag(
        bug_type="OverStrict",
        description="Special months 20-42 and 50-99, which are valid.",
        requirement="VDC-NIR-009",
    ),
    "Department": Flag(
        bug_type="ComponentNotChecked",
        description="Department at the edge of 01-95, or the unused 00 and 96.",
        requirement="VDC-NIR-010",
    ),
    "Corsica1976": Flag(
        bug_type="OverStrict",
        description="Department 20, Corsica before its division, which stays valid.",
        requirement="VDC-NIR-010",
    ),
    "Commune": Flag(
        bug_type="ComponentNotChecked",
        description="Metropolitan commune 001, 999 or the unused 000.",
        requirement="VDC-NIR-011",
    ),
    "Overseas": Flag(
        bug_type="ComponentNotChecked",
        description="Overseas code 97x/98x with a 2-digit commune.",
        requirement="VDC-NIR-012",
    ),
    "BornAbroad": Flag(
        bug_type="ComponentNotChecked",
        description="Department 99 followed by a country code 100-599.",
        requirement="VDC-NIR-013",
    ),
    "OrderNumber": Flag(
        bug_type="ComponentNotChecked",
        description="Order number 001, 999 or the unused 000.",
        requirement="VDC-NIR-014",
    ),
    "KeyRange": Flag(
        bug_type="ComponentNotChecked",
        description="Key 00, 98 or 99, which no body produces.",
        requirement="VDC-NIR-015",
    ),
    "Corsica": Flag(
        bug_type="WrongKeyComputation",
        description="Departments 2A and 2B, read as 19 and 18 by the key.",
        requirement="VDC-NIR-016",
    ),
    "KeyBoundary": Flag(
        bug_type="WrongKeyComputation",
        description="Key 97 (body multiple of 97) or 01 (remainder 96).",
        requirement="VDC-NIR-016",
    ),
    "Checksum": Flag(
        bug_type="WrongKeyComputation",
        description="A key that does not match the body.",
        requirement="VDC-NIR-016",
    ),
}


def remainder(body: str) -> int:
    """Positions 1-13 as a number modulo 97, 2A read as 19 and 2B as 18."""
    place = {"2A": "19", "2B": "18"}.get(body[5:7], body[5:7])
    return int(body[:5] + place + body[7:13]) % 97


def key(body: str) -> str:
    return f"{97 - remainder(body):02d}"


def with_key(body: str) -> str:
    assert len(body) == 13, body
    return body + key(body)


def _search(prefix: str, wanted: int) -> str:
    """The first order number 001-999 after `prefix` that gives the wanted remainder."""
    for order in range(1, 1000):
        body = f"{prefix}{order:03d}"
        if remainder(body) == wanted:
            return body
    raise AssertionError(f"no order number gives remainder {wanted} after {prefix}")


def _grouped(nir: str) -> str:
    return " ".join((nir[0], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13], nir[13:]))


def _valid(comment: str, flags: list[str], body: str) -> dict[str, Any]:
    nir = with_key(body)
    return {
        "comment": f"synthetic: {comment}",
        "flags": flags,
        "nir": nir,
        "canonical": nir,
        "formatted": _grouped(nir),
        "error": None,
        "component": None,
        "result": "valid",
    }


def _invalid(
    comment: str, flags: list[str], nir: str, error: str, component: str | None = None
) -> dict[str, Any]:
    assert error in ERRORS and (component is None) == (error != "InvalidComponent")
    return {
        "comment": f"synthetic: {comment}",
        "flags": flags,
        "nir": nir,
        "canonical": None,
        "formatted": None,
        "error": error,
        "component": component,
        "result": "invalid",
    }


def _component(comment: str, flags: list[str], body: str, component: str) -> dict[str, Any]:
    # The key is right, so only the component rule refuses the number (python-stdnum
    # accepts it, except for the key range).
    return _invalid(comment, flags, with_key(body), "InvalidComponent", component)


def _valid_cases() -> list[dict[str, Any]]:
    prefix = "1850578006"
    return [
        _valid("man born in metropolitan department 78", [], "1850578006084"),
        _valid("woman born abroad, country 126 (Europe)", ["BornAbroad"], "2950599126111"),
        _valid("Corsica, department 2A read as 19", ["Corsica"], "185052A123456"),
        _valid("Corsica, department 2B read as 18", ["Corsica"], "185052B123456"),
        _valid("department 20, Corsica before 1976", ["Corsica1976"], "1600420123451"),
        _valid("overseas 971, commune 05", ["Overseas"], "1900997105001"),
        _valid("overseas 974, commune 11", ["Overseas"], "2031097411123"),
        _valid("overseas 976, commune 17", ["Overseas"], "1121197617045"),
        _valid("overseas 987, commune 35", ["Overseas"], "2770398735210"),
        _valid("overseas 972, lowest commune 01", ["Overseas"], "2450197201010"),
        _valid(
            "overseas 988, highest commune 99, order 999",
            ["Overseas", "OrderNumber"],
            "1660698899999",
        ),
        _valid("born abroad, lowest country code 100", ["BornAbroad"], "1800199100001"),
        _valid("born abroad, country 216 (Asia)", ["BornAbroad"], "2920299216777"),
        _valid("born abroad, country 350 (Africa)", ["BornAbroad"], "1010399350123"),
        _valid("born abroad, country 404 (America)", ["BornAbroad"], "2990599404044"),
        _valid("born abroad, highest country code 599", ["BornAbroad"], "1740899599300"),
        _valid("year 00, month 01, order 001", ["Year", "Month"], "2000101001001"),
        _valid("year 99, month 12", ["Year", "Month"], "1991275056321"),
        _valid("special month 20", ["SpecialMonth"], "1452033001002"),
        _valid("special month 42", ["SpecialMonth"], "2454233002003"),
        _valid("special month 50", ["SpecialMonth"], "1705069123045"),
        _valid("special month 99", ["SpecialMonth"], "2709969123046"),
        _valid("department 01, commune 001", ["Department", "Commune"], "1850101001017"),
        _valid("department 95, commune 999", ["Department", "Commune"], "2850595999017"),
        _valid("key 97: the body is a multiple of 97", ["KeyBoundary"], _search(prefix, 0)),
        _valid("key 01: the body leaves 96", ["KeyBoundary"], _search(prefix, 96)),
    ]


def _component_cases() -> list[dict[str, Any]]:
    cases = [
        _component(f"unused sex digit {d}", ["SexCode"], f"{d}850578006084", "sex") for d in "0569"
    ]
    cases += [
        _component(f"provisional number, sex {d}", ["ProvisionalNumber"], f"{d}850578006084", "sex")
        for d in "3478"
    ]
    cases += [
        _component(f"unused month {m}", ["Month"], f"185{m}78006084", "month")
        for m in ("00", "13", "19", "43", "49")
    ]
    cases += [
        _component("unused department 00", ["Department"], "1850500006084", "department"),
        _component("unused department 96", ["Department"], "1850596006084", "department"),
        _component("metropolitan commune 000", ["Commune"], "1850575000084", "commune"),
        _component("Corsican commune 000", ["Commune", "Corsica"], "185052A000084", "commune"),
        _component("overseas commune 00", ["Overseas"], "1850597100084", "commune"),
        _component("country code 000", ["BornAbroad"], "1850599000084", "country"),
        _component("country code 099", ["BornAbroad"], "1850599099084", "country"),
        _component("country code 600", ["BornAbroad"], "1850599600084", "country"),
        _component("country code 999", ["BornAbroad"], "1850599999084", "country"),
        _component("order number 000", ["OrderNumber"], "1850578006000", "order"),
    ]
    cases += [
        _invalid(
            f"key {k} is out of range", ["KeyRange"], f"1850578006084{k}", "InvalidComponent", "key"
        )
        for k in ("00", "98", "99")
    ]
    return cases


def _format_cases() -> list[dict[str, Any]]:
    nir = with_key("1850578006084")
    corsica = with_key("185052A123456")
    grouped = _grouped(nir)
    fmt = "InvalidFormat"
    return [
        _invalid("grouped with spaces", ["Separator"], grouped, fmt),
        _invalid("grouped with dots", ["Separator"], grouped.replace(" ", "."), fmt),
        _invalid("grouped with hyphens", ["Separator"], grouped.replace(" ", "-"), fmt),
        _invalid("leading space", ["Separator"], " " + nir, fmt),
        _invalid("trailing line feed", ["Separator"], nir + "\n", fmt),
        _invalid("no-break space inside", ["Separator"], nir[:7] + "\u00a0" + nir[7:], fmt),
        _invalid("lower-case 2a", ["LowerCase"], corsica.replace("A", "a"), fmt),
        _invalid("lower-case 2b", ["LowerCase"], with_key("185052B123456").replace("B", "b"), fmt),
        _invalid("full-width digit one", ["NonAsciiDigit"], "\uff11" + nir[1:], fmt),
        _invalid("Arabic-Indic digit five", ["NonAsciiDigit"], nir[:3] + "\u0665" + nir[4:], fmt),
        _invalid("an emoji alone", ["Alphabet"], "\U0001f600", fmt),
        _invalid("letter X in the order number", ["Alphabet"], nir[:11] + "X" + nir[12:], fmt),
        _invalid("lower-case x", ["Alphabet"], nir[:11] + "x" + nir[12:], fmt),
        _invalid("NUL character", ["Alphabet"], nir[:5] + "\u0000" + nir[6:], fmt),
        _invalid("department 2C", ["Alphabet"], corsica.replace("A", "C"), fmt),
        _invalid("department 3A", ["MisplacedLetter"], corsica.replace("2A", "3A"), fmt),
        _invalid("department A2", ["MisplacedLetter"], corsica.replace("2A", "A2"), fmt),
        _invalid("letter B as sex", ["MisplacedLetter"], "B" + nir[1:], fmt),
        _invalid("letter A in the key", ["MisplacedLetter"], nir[:14] + "A", fmt),
    ]


def _length_cases() -> list[dict[str, Any]]:
    nir = with_key("1850578006084")
    length = "InvalidLength"
    return [
        _invalid("empty string", ["Length"], "", length),
        _invalid("13 digits, the key is missing", ["MissingKey"], nir[:13], length),
        _invalid("14 digits", ["Length"], nir[:14], length),
        _invalid("16 digits", ["Length"], nir + "0", length),
        _invalid("a single digit", ["Length"], "1", length),
        _invalid("32 digits, at the input bound", ["Length"], (nir * 3)[:32], length),
        _invalid("33 digits, over the input bound", ["InputBound"], (nir * 3)[:33], length),
        _invalid("33 emoji, refused by length first", ["InputBound"], "\U0001f600" * 33, length),
        _invalid("1000 letters", ["InputBound"], "x" * 1000, length),
        _invalid(
            "each character followed by two spaces, 43 characters",
            ["InputBound", "Separator"],
            "  ".join(nir),
            length,
        ),
    ]


def _checksum_cases() -> list[dict[str, Any]]:
    body = "1850578006084"
    right = int(key(body))
    corsica_a = "185052A123456"
    as_20 = f"{97 - int('1850520123456') % 97:02d}"
    mod_only = f"{remainder(body):02d}"
    cases = [
        ("key one too high", ["Checksum"], f"{body}{right + 1:02d}"),
        ("key one too low", ["Checksum"], f"{body}{right - 1:02d}"),
        ("two body digits swapped", ["Checksum"], f"1850578006048{right:02d}"),
        ("2A with the key of department 20", ["Checksum", "Corsica"], corsica_a + as_20),
        ("2B with the key of 2A", ["Checksum", "Corsica"], "185052B123456" + key(corsica_a)),
        ("key computed as the remainder, not 97 minus it", ["Checksum"], body + mod_only),
    ]
    for comment, _flags, nir in cases:
        assert nir[13:] != key(nir[:13]) and 1 <= int(nir[13:]) <= 97, comment
    return [_invalid(c, f, n, "InvalidChecksum") for c, f, n in cases]


def build() -> dict[str, Any]:
    groups = [
        ("Registered NIRs accepted in a credential", _valid_cases()),
        ("A component outside the values of VDC-NIR-006 to VDC-NIR-015", _component_cases()),
        ("Characters outside the alphabet or the canonical form", _format_cases()),
        ("Lengths other than 15 and the input bound", _length_cases()),
        ("Keys that do not match the body", _checksum_cases()),
    ]
    return document(
        algorithm="NIR",
        schema=SCHEMA,
        header=[
            "Validation of the French social-security number (NIR), spec/nir.md.",
            "Every number is synthetic. `nir` is the input; a valid case gives its",
            "canonical and display forms, an invalid one the error kind and, for a",
            "component error, the component. Each flag names the rule it exercises.",
        ],
        notes=NOTES,
        groups=[
            {"type": "NirTest", "description": description, "tests": tests}
            for description, tests in groups
        ],
    )


def build_schema() -> dict[str, Any]:
    nullable = {"type": ["string", "null"]}
    return schema(
        title="NIR validation vectors",
        group_properties={"type": {"const": "NirTest"}, "description": {"type": "string"}},
        test_properties={
            "nir": {"type": "string"},
            "canonical": nullable,
            "formatted": nullable,
            "error": {"enum": [None, *ERRORS]},
            "component": {"enum": [None, *COMPONENTS]},
        },
    )


FILES = {PATH: build, f"schemas/{SCHEMA}": build_schema}
