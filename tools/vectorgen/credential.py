"""Credential presentation vectors (VDC-CRED), from the fixed seed "vectors/credential".

Valid profiles (single insured, family with minors, lunar birth date, maximal lengths,
partial and empty disclosure, a status list that revokes other indices) and invalid
cases built by `credential_cases_*`, each naming the requirement it violates and the
error class the reference raises. Every person is synthetic.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tools.vectorgen._wycheproof import HEX, document, schema
from tools.vectorgen.credential_case import EXTRA_FLAGS, Case, notes
from tools.vectorgen.credential_cases_edges import (
    beyond_cases,
    edge_cases,
    late_beyond,
    late_edges,
)
from tools.vectorgen.credential_cases_encoding import encoding_cases
from tools.vectorgen.credential_cases_trust import status_list, trust_cases
from tools.vectorgen.credential_cases_values import value_cases
from tools.vectorgen.credential_forge import (
    MAX_PRESENTATION,
    SEED,
    cert_der,
    pki,
    single,
    sized_presentation,
    typical,
)
from vitale_ref.credential import (
    ElementId,
    build_presentation,
    decode_presentation,
    elements_to_json,
    samples,
)
from vitale_ref.pki import TEST_NOW

PATH = "credential/presentations.json"
SCHEMA = "credential_presentation.schema.json"


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _valid(
    comment: str,
    data: bytes,
    *,
    flags: tuple[str, ...] = (),
    status: bytes = b"",
    requested: tuple[int, ...] = (),
    now: datetime = TEST_NOW,
    requirement: str = "VDC-CRED-045",
) -> dict[str, Any]:
    disclosed = {e.element_id: e.value for e in decode_presentation(data).disclosed}
    return {
        "comment": comment,
        "flags": list(flags),
        "presentation": data.hex(),
        "now": _when(now),
        "requested": list(requested),
        "statusList": status.hex(),
        "requirement": requirement,
        "errorType": "",
        "expected": elements_to_json(disclosed),
        "result": "valid",
    }


def _valid_cases() -> list[dict[str, Any]]:
    root = pki()
    lunar = samples.issue_sample(samples.lunar_holder(), SEED, pki=root, index=7)
    maximal = samples.issue_sample(samples.maximal_holder(), SEED, pki=root, index=8)
    second = samples.issue_sample(samples.typical_holder(), f"{SEED}/second", pki=root, index=9)
    typ = typical().issued
    return [
        _valid("single insured, every element", single().issued.full_presentation()),
        _valid(
            "insured with two minors and a complementary cover, every element",
            typ.full_presentation(),
        ),
        _valid(
            "typical credential, NIR and names only",
            build_presentation(typ, [1, 2, 3]),
            requested=(1, 2, 3),
            requirement="VDC-CRED-060",
        ),
        _valid(
            "typical credential, nothing disclosed",
            build_presentation(typ, []),
            requirement="VDC-CRED-060",
        ),
        _valid(
            "lunar birth dates (19520000, 20100340)",
            lunar.issued.full_presentation(),
            flags=("LunarDate",),
            requirement="VDC-CRED-022",
        ),
        _valid(
            "every field and list at its maximal length",
            maximal.issued.full_presentation(),
            flags=("MaximalLengths",),
            requirement="VDC-CRED-031",
        ),
        _valid(
            "status list revoking indices 4 and 6, credential index 5",
            typ.full_presentation(),
            status=status_list(),
            requirement="VDC-CRED-053",
        ),
        _valid(
            "verified exactly at validUntil",
            build_presentation(typ, [ElementId.RIGHTS]),
            now=samples.VALID_UNTIL,
            requirement="VDC-CRED-043",
        ),
        _valid(
            "verified exactly at validFrom",
            build_presentation(typ, [ElementId.MINORS]),
            now=samples.VALID_FROM,
            requirement="VDC-CRED-043",
        ),
        _valid(
            "credential from another holder seed, minors only",
            build_presentation(second.issued, [ElementId.MINORS]),
            requirement="VDC-CRED-045",
        ),
    ]


def _late_cases() -> list[dict[str, Any]]:
    valid = [
        _valid(
            edge.comment,
            edge.presentation,
            flags=("EdgeValue",),
            status=edge.status_list,
            now=edge.now,
            requirement=edge.requirement,
        )
        for edge in late_edges()
    ]
    return valid + [_invalid(case) for case in late_beyond()]


def _edge_cases() -> list[dict[str, Any]]:
    return [
        _valid(
            edge.comment,
            edge.presentation,
            flags=("EdgeValue",),
            status=edge.status_list,
            now=edge.now,
            requirement=edge.requirement,
        )
        for edge in edge_cases()
    ]


def _size_cases() -> list[dict[str, Any]]:
    """VDC-CRED-030's bound from the valid side: a genuine presentation of 32768 bytes
    (the invalid one of 32769 bytes is the TooLarge vector)."""
    return [
        _valid(
            "a presentation of exactly 32768 bytes, the largest accepted",
            sized_presentation(MAX_PRESENTATION),
            flags=("SizeLimit",),
            requirement="VDC-CRED-030",
        )
    ]


def _invalid(case: Case) -> dict[str, Any]:
    return {
        "comment": case.comment,
        "flags": [case.flag, *EXTRA_FLAGS.get(case.comment, ())],
        "presentation": case.presentation.hex(),
        "now": _when(case.now),
        "requested": list(case.requested),
        "statusList": case.status_list.hex(),
        "requirement": case.requirement,
        "errorType": case.error.__name__,
        "expected": {},
        "result": "invalid",
    }


def build() -> dict[str, Any]:
    anchor = cert_der(pki().issuing_root.certificate).hex()
    group = {"trustAnchor": anchor, "pkiSeed": SEED}
    return document(
        algorithm="VDC-CRED presentation verification",
        schema=SCHEMA,
        header=[
            "Presentations of synthetic credentials, verified against trustAnchor at now.",
            "requested lists the element ids the reader asked for; statusList is empty when",
            "no revocation check is made; an empty requested list requests nothing.",
            "errorType is the error name of the credential chapter's error table.",
        ],
        notes=notes(),
        groups=[
            {**group, "tests": _valid_cases()},
            {**group, "tests": [_invalid(c) for c in encoding_cases() + value_cases()]},
            {**group, "tests": [_invalid(c) for c in trust_cases()]},
            {**group, "tests": _edge_cases()},
            {**group, "tests": [_invalid(c) for c in beyond_cases()]},
            {**group, "tests": _late_cases()},
            {**group, "tests": _size_cases()},
        ],
    )


def _closed(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": sorted(properties),
        "properties": properties,
    }


def _elements_schema() -> dict[str, Any]:
    text = {"type": "string"}
    number = {"type": "integer"}
    period = _closed({"start": text, "end": text})
    minor = _closed(
        {
            "nir": text,
            "family_name": text,
            "given_names": text,
            "birth_date": text,
            "birth_rank": number,
            "quality": number,
        }
    )
    properties = {
        "nir": text,
        "family_name": text,
        "given_names": text,
        "birth_date": text,
        "birth_rank": number,
        "quality": number,
        "affiliation": _closed({"regime": text, "caisse": text, "centre": text}),
        "rights": {"type": "array", "items": period},
        "complementary": {
            "type": "array",
            "items": _closed({"organisation": text, "period": period}),
        },
        "minors": {"type": "array", "items": minor},
    }
    return {"type": "object", "additionalProperties": False, "properties": properties}


def build_schema() -> dict[str, Any]:
    return schema(
        title="VDC-CRED presentation vectors",
        group_properties={"trustAnchor": HEX, "pkiSeed": {"type": "string"}},
        test_properties={
            "presentation": HEX,
            "now": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$"},
            "requested": {"type": "array", "items": {"type": "integer"}},
            "statusList": HEX,
            "requirement": {"type": "string", "pattern": "^VDC-[A-Z]+-[0-9]{3}$"},
            "errorType": {"type": "string"},
            "expected": _elements_schema(),
        },
    )


FILES = {PATH: build, f"schemas/{SCHEMA}": build_schema}
