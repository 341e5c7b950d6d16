"""PKI vectors (VDC-PKI) from the fixed seed "vectors/pki": certification paths and
reader-authorisation extension values, each invalid case naming its requirement.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tools.vectorgen._wycheproof import HEX, document, schema
from tools.vectorgen.pki_chains import (
    CHAIN_SCHEMA,
    CHAINS,
    NOTES,
    build_chain_schema,
    build_chains,
)
from vitale_ref.pki import (
    ReaderAuthorisation,
    der,
)

AUTH = "pki/reader_authorisation.json"
AUTH_SCHEMA = "pki_reader_authorisation.schema.json"


def _authorisation(
    *, rpps: str = "19999999006", profession: str = "10", elements: Iterable[int] = (1, 4)
) -> str:
    """A ReaderAuthorisation value encoded by hand, so that it may break one rule."""
    items = der.sequence(*(der.integer(e) for e in elements))
    return der.sequence(der.numeric(rpps), der.numeric(profession), items).hex()


AUTH_ROWS: list[tuple[str, str, str, str]] = [
    # comment, extension value hex, requirement, expected error ("" when valid)
    (
        "doctor, elements 1 to 10",
        ReaderAuthorisation(
            rpps="19999999006", profession="10", allowed_elements=tuple(range(1, 11))
        )
        .encode()
        .hex(),
        "VDC-PKI-030",
        "",
    ),
    (
        "pharmacist, elements 1 and 4",
        "3019120b3139393939393939303036120232313006020101020104",
        "VDC-PKI-030",
        "",
    ),
    (
        "trailing byte",
        "3019120b3139393939393939303036120232313006020101020104" + "00",
        "VDC-PKI-030",
        "AuthorisationError",
    ),
    (
        "RPPS with a wrong Luhn key",
        "3019120b3139393939393939303037120232313006020101020104",
        "VDC-PKI-031",
        "AuthorisationError",
    ),
    (
        "profession 99",
        "3019120b3139393939393939303036120239393006020101020104",
        "VDC-PKI-032",
        "AuthorisationError",
    ),
    (
        "elements in descending order",
        "3019120b3139393939393939303036120232313006020104020101",
        "VDC-PKI-033",
        "AuthorisationError",
    ),
    (
        "element listed twice",
        "3019120b3139393939393939303036120232313006020101020101",
        "VDC-PKI-033",
        "AuthorisationError",
    ),
    (
        "element id 0",
        "3019120b3139393939393939303036120232313006020100020104",
        "VDC-PKI-033",
        "AuthorisationError",
    ),
    (
        "empty element list",
        "3013120b313939393939393930303612023231 3000".replace(" ", ""),
        "VDC-PKI-033",
        "AuthorisationError",
    ),
    (
        "long-form outer length",
        "308119120b3139393939393939303036120232313006020101020104",
        "VDC-PKI-030",
        "AuthorisationError",
    ),
    (
        "element list as a SET",
        "3019120b3139393939393939303036120232313106020101020104",
        "VDC-PKI-030",
        "AuthorisationError",
    ),
    (
        "RPPS as PrintableString",
        "3019130b3139393939393939303036120232313006020101020104",
        "VDC-PKI-030",
        "AuthorisationError",
    ),
    (
        "element list missing",
        "3011120b313939393939393930303612023231",
        "VDC-PKI-030",
        "AuthorisationError",
    ),
    *(
        (
            f"profession {code}",
            ReaderAuthorisation(rpps="19999999006", profession=code, allowed_elements=(1,))
            .encode()
            .hex(),
            "VDC-PKI-032",
            "",
        )
        for code in ("40", "50", "60", "70")
    ),
    ("profession 20", _authorisation(profession="20"), "VDC-PKI-032", "AuthorisationError"),
    ("32 elements, 1 to 32", _authorisation(elements=range(1, 33)), "VDC-PKI-033", ""),
    ("elements 1 and 127", _authorisation(elements=(1, 127)), "VDC-PKI-033", ""),
    (
        "33 elements, 1 to 33",
        _authorisation(elements=range(1, 34)),
        "VDC-PKI-033",
        "AuthorisationError",
    ),
    (
        "element id 128",
        _authorisation(elements=(1, 128)),
        "VDC-PKI-033",
        "AuthorisationError",
    ),
    ("RPPS of 10 digits", _authorisation(rpps="1999999900"), "VDC-PKI-031", "AuthorisationError"),
    (
        "RPPS of 12 digits",
        _authorisation(rpps="199999990063"),
        "VDC-PKI-031",
        "AuthorisationError",
    ),
    (
        "RPPS 10000005040, whose doubled digits include 4 and 5 (Luhn)",
        _authorisation(rpps="10000005040"),
        "VDC-PKI-031",
        "",
    ),
    (
        "RPPS 10000005041, the same with a wrong Luhn key",
        _authorisation(rpps="10000005041"),
        "VDC-PKI-031",
        "AuthorisationError",
    ),
]


def build_auth() -> dict[str, Any]:
    tests = []
    for comment, value, requirement, error in AUTH_ROWS:
        expected: dict[str, Any] = {}
        if not error:
            parsed = ReaderAuthorisation.decode(bytes.fromhex(value))
            expected = {
                "rpps": parsed.rpps,
                "profession": parsed.profession,
                "allowedElements": list(parsed.allowed_elements),
            }
        tests.append(
            {
                "comment": comment,
                "flags": ["Authorisation"] if error else [],
                "value": value,
                "requirement": requirement,
                "errorType": error,
                "expected": expected,
                "result": "invalid" if error else "valid",
            }
        )
    return document(
        algorithm="VDC-PKI reader-authorisation extension",
        schema=AUTH_SCHEMA,
        header=["DER values of the reader-authorisation extension and their decoding."],
        notes={"Authorisation": NOTES["Authorisation"]},
        groups=[{"tests": tests}],
    )


def build_auth_schema() -> dict[str, Any]:
    expected = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "rpps": {"type": "string"},
            "profession": {"type": "string"},
            "allowedElements": {"type": "array", "items": {"type": "integer"}},
        },
    }
    return schema(
        title="VDC-PKI reader-authorisation vectors",
        group_properties={},
        test_properties={
            "value": HEX,
            "requirement": {"type": "string", "pattern": "^VDC-[A-Z]+-[0-9]{3}$"},
            "errorType": {"type": "string"},
            "expected": expected,
        },
    )


FILES = {
    CHAINS: build_chains,
    f"schemas/{CHAIN_SCHEMA}": build_chain_schema,
    AUTH: build_auth,
    f"schemas/{AUTH_SCHEMA}": build_auth_schema,
}
