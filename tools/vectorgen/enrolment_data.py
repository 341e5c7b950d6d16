"""The data an enrolment service under test needs (VDC-ENR-014, VDC-ENR-023, VDC-HARN-011).

- enrolment/accounts.json: the synthetic account directory, with start attempts on the
  days and systems where the eligibility checks change their answer;
- enrolment/eligibility.json: the dated policy, with the rules in force on the days
  around every date it holds;
- enrolment/france_identite.json: the France Identité test key and assertions at,
  below and above each of its limits.

Expected outcomes are those of the reference service; the policy and accounts are the
reference's own data, so the files change when, and only when, that data changes.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tools.vectorgen._wycheproof import Flag, document, schema
from vitale_ref.enrolment import (
    EligibilityPolicy,
    EnrolmentRefusedError,
    Route,
    StartEnrolment,
    samples,
)
from vitale_ref.enrolment._france_identite import TEST_KEY, FiIdentity
from vitale_ref.randomness import seeded_random

_ACCOUNT = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "nir",
        "birthDate",
        "email",
        "department",
        "hasCarteVitale",
        "familyName",
        "givenNames",
    ],
    "properties": {
        "nir": {"type": "string", "description": "canonical NIR, the directory's key"},
        "birthDate": {"type": "string", "description": "YYYY-MM-DD"},
        "email": {"type": "string", "description": "the address codes and decisions go to"},
        "department": {"type": "string", "description": "department code of the account"},
        "hasCarteVitale": {"type": "boolean", "description": "whether a card exists"},
        "familyName": {"type": "string", "description": "synthetic: EXEMPLE"},
        "givenNames": {"type": "string", "description": "given names"},
    },
}


def _account_json(account: Any) -> dict[str, Any]:
    return {
        "nir": account.nir,
        "birthDate": account.birth_date.isoformat(),
        "email": account.email,
        "department": account.department,
        "hasCarteVitale": account.has_carte_vitale,
        "familyName": account.family_name,
        "givenNames": account.given_names,
    }


# --- accounts --------------------------------------------------------------------------

ACCOUNT_NOTES = {
    "Eligible": Flag(
        bug_type="FUNCTIONALITY",
        description="the start is accepted",
        requirement="VDC-ENR-010",
    ),
    "Refused": Flag(
        bug_type="MISSING_CHECK",
        description="the start is refused with the first failing eligibility check",
        requirement="VDC-ENR-010",
    ),
    "AgeEdge": Flag(
        bug_type="EDGE_CASE",
        description="the day before and the day of the minimum-age birthday",
        requirement="VDC-ENR-011",
    ),
    "SystemEdge": Flag(
        bug_type="EDGE_CASE",
        description="the oldest system a route accepts, and one version older",
        requirement="VDC-ENR-011",
    ),
}
_T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
_LOU_16 = datetime(2028, 6, 30, 9, 0, tzinfo=UTC)
_ATTEMPTS: tuple[tuple[str, str, str, int, datetime, list[str]], ...] = (
    ("CAMILLE", "290017505612320", "android", 14, _T0, []),
    ("DOMINIQUE", "185062304506751", "ios", 17, _T0, []),
    ("SACHA", "178016938100416", "android", 8, _T0, ["SystemEdge"]),
    ("SACHA", "178016938100416", "android", 7, _T0, ["SystemEdge"]),
    ("SACHA", "178016938100416", "ios", 15, _T0, ["SystemEdge"]),
    ("SACHA", "178016938100416", "ios", 14, _T0, ["SystemEdge"]),
    ("ALEX", "192029935201178", "android", 14, _T0, []),
    ("LOU", "212066912308971", "android", 14, _T0, []),
    ("LOU", "212066912308971", "android", 14, _LOU_16 - timedelta(days=1), ["AgeEdge"]),
    ("LOU", "212066912308971", "android", 14, _LOU_16, ["AgeEdge"]),
    ("no account", "178016938100515", "android", 14, _T0, []),
    ("bad key", "290017505612300", "android", 14, _T0, []),
    ("separators", "2 90 01 75 056 123 20", "android", 14, _T0, []),
)


def _attempt(label: str, nir: str, system: str, version: int, now: datetime) -> dict[str, Any]:
    service = samples.make_service(seed=f"vdc-accounts/{label}")
    key = samples.device_public_key(seeded_random(f"vdc-accounts/{label}/{version}"))
    event = StartEnrolment(nir=nir, device_os=system, os_version=version, device_public_key=key)
    try:
        service.start(event, now=now)
    except EnrolmentRefusedError as error:
        return {"refused": error.reason.value}
    return {"refused": None}


def build_accounts() -> dict[str, Any]:
    tests = []
    for label, nir, system, version, now, flags in _ATTEMPTS:
        outcome = _attempt(label, nir, system, version, now)
        refused = outcome["refused"]
        tests.append(
            {
                "comment": f"{label}: {system} {version} on {now.date()}"
                + (f", refused {refused}" if refused else ", accepted"),
                "flags": [*flags, "Refused" if refused else "Eligible"],
                "nir": nir,
                "deviceOs": system,
                "osVersion": version,
                "now": now.isoformat().replace("+00:00", "Z"),
                "refused": refused,
                "result": "invalid" if refused else "valid",
            }
        )
    return document(
        algorithm="VDC-ENR synthetic account directory",
        schema="enrolment_accounts.schema.json",
        header=[
            "The accounts an enrolment service under test knows (VDC-ENR-014), then",
            "StartEnrolment attempts with the first eligibility refusal (VDC-ENR-010), or",
            "null when the start is accepted. Every person is synthetic (family name EXEMPLE).",
        ],
        notes=ACCOUNT_NOTES,
        groups=[
            {
                "accounts": [_account_json(a) for a in samples.ACCOUNTS],
                "tests": tests,
            }
        ],
    )


def build_accounts_schema() -> dict[str, Any]:
    return schema(
        title="VDC enrolment accounts",
        group_properties={"accounts": {"type": "array", "items": _ACCOUNT}},
        test_properties={
            "nir": {"type": "string"},
            "deviceOs": {"enum": ["android", "ios"]},
            "osVersion": {"type": "integer"},
            "now": {"type": "string"},
            "refused": {"type": ["string", "null"]},
        },
    )


# --- eligibility policy ----------------------------------------------------------------

POLICY_NOTES = {
    "Rollout": Flag(
        bug_type="EDGE_CASE",
        description="the day before and the day a dated rule takes effect",
        requirement="VDC-ENR-011",
    ),
}
_DAYS = (
    date(2021, 12, 31),
    date(2022, 1, 1),
    date(2023, 5, 31),
    date(2023, 6, 1),
    date(2024, 2, 29),
    date(2024, 3, 1),
    date(2024, 8, 31),
    date(2024, 9, 1),
    date(2025, 6, 29),
    date(2025, 6, 30),
    date(2026, 1, 5),
)


def _rules(policy: EligibilityPolicy, day: date) -> dict[str, Any]:
    rules = policy.on(day)
    return {
        "minimumAge": rules.minimum_age,
        "routesOpen": sorted(route.value for route in rules.routes_open),
        "documents": {
            route.value: sorted(d.id for d in rules.documents_for(route)) for route in Route
        },
        "departmentsOpen": "all" if rules.departments is None else sorted(rules.departments),
        "osMinimum": {route.value: minimum for route, minimum in sorted(rules.os_minimum.items())},
    }


def build_eligibility() -> dict[str, Any]:
    policy = EligibilityPolicy.load_default()
    tests = [
        {
            "comment": f"the rules in force on {day}",
            "flags": ["Rollout"],
            "day": day.isoformat(),
            "rules": _rules(policy, day),
            "result": "valid",
        }
        for day in _DAYS
    ]
    return document(
        algorithm="VDC-ENR eligibility policy",
        schema="enrolment_eligibility.schema.json",
        header=[
            "The dated eligibility policy of the model (VDC-ENR-011, VDC-ENR-014), in the",
            "form of the enrolment chapter, then the rules in force on the days around each",
            "date it holds. The dates and the roll-out are illustrative.",
        ],
        notes=POLICY_NOTES,
        groups=[{"policy": _policy_data(policy), "tests": tests}],
    )


def _policy_data(policy: EligibilityPolicy) -> dict[str, Any]:
    data = json.loads(json.dumps(policy.data))
    data.pop("comment", None)
    return dict(data)


_DATED = {"effective": {"type": "string", "description": "YYYY-MM-DD, first day in force"}}
_ROUTE = {"enum": ["france-identite", "document"], "description": "an enrolment route"}


def _rows(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": [*_DATED, *properties],
            "properties": {**_DATED, **properties},
        },
    }


_POLICY = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "minimumAge",
        "modernIdCardFrom",
        "osMinimum",
        "routesOpen",
        "documents",
        "documentRouteDepartments",
    ],
    "properties": {
        "minimumAge": _rows({"years": {"type": "integer", "description": "minimum age"}}),
        "modernIdCardFrom": {"type": "string", "description": "first issue date of a modern card"},
        "osMinimum": _rows(
            {
                "route": _ROUTE,
                "android": {"type": "integer", "description": "oldest Android version"},
                "ios": {"type": "integer", "description": "oldest iOS version"},
            }
        ),
        "routesOpen": _rows({"route": _ROUTE}),
        "documents": _rows(
            {
                "id": {"type": "string", "description": "document identifier"},
                "label": {"type": "string", "description": "for people"},
                "route": _ROUTE,
                "sides": {
                    "type": "array",
                    "items": {"enum": ["front", "back", "photo-page"]},
                    "description": "the sides its video must show",
                },
            }
        ),
        "documentRouteDepartments": _rows(
            {
                "departments": {
                    "oneOf": [
                        {"type": "array", "items": {"type": "string"}},
                        {"const": "all"},
                    ],
                    "description": "the departments open, or all",
                }
            }
        ),
    },
}
_ROUTE_MAP = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"france-identite": {}, "document": {}},
}


def build_eligibility_schema() -> dict[str, Any]:
    minimum = {
        "type": "object",
        "additionalProperties": False,
        "required": ["android", "ios"],
        "properties": {"android": {"type": "integer"}, "ios": {"type": "integer"}},
    }
    ids = {"type": "array", "items": {"type": "string"}}
    return schema(
        title="VDC enrolment eligibility policy",
        group_properties={"policy": _POLICY},
        test_properties={
            "day": {"type": "string"},
            "rules": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "minimumAge",
                    "routesOpen",
                    "documents",
                    "departmentsOpen",
                    "osMinimum",
                ],
                "properties": {
                    "minimumAge": {"type": "integer"},
                    "routesOpen": {"type": "array", "items": _ROUTE},
                    "documents": {
                        **_ROUTE_MAP,
                        "required": ["france-identite", "document"],
                        "properties": {"france-identite": ids, "document": ids},
                    },
                    "departmentsOpen": {
                        "oneOf": [{"type": "array", "items": {"type": "string"}}, {"const": "all"}]
                    },
                    "osMinimum": {
                        **_ROUTE_MAP,
                        "properties": {"france-identite": minimum, "document": minimum},
                    },
                },
            },
        },
    )


# --- France Identité --------------------------------------------------------------------

FI_NOTES = {
    "Genuine": Flag(
        bug_type="FUNCTIONALITY",
        description="a signed, well-formed, fresh assertion",
        requirement="VDC-ENR-023",
    ),
    "Age": Flag(
        bug_type="EDGE_CASE",
        description="at, below and above the 300-second lifetime, and from the future",
        requirement="VDC-ENR-023",
    ),
    "Tag": Flag(
        bug_type="AUTH_BYPASS",
        description="a tag that does not verify, or no room for one",
        requirement="VDC-ENR-023",
    ),
    "Form": Flag(
        bug_type="MALFORMED_INPUT",
        description="a signed body that is not the closed JSON form",
        requirement="VDC-ENR-023",
    ),
}
_NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
_CAMILLE = FiIdentity(
    nir="290017505612320", birth_date=date(1990, 1, 15), card_issued_on=date(2022, 5, 1)
)


def _body(**members: Any) -> bytes:
    base: dict[str, Any] = {
        "nir": _CAMILLE.nir,
        "birthDate": "1990-01-15",
        "cardIssuedOn": "2022-05-01",
        "issuedAt": "2026-01-05T09:00:00Z",
    }
    base.update(members)
    return json.dumps({k: v for k, v in base.items() if v is not None}).encode()


def _fi_cases() -> list[tuple[str, bytes, datetime, list[str]]]:
    fi = samples.FRANCE_IDENTITE
    genuine = fi.assert_identity(_CAMILLE, _NOW)
    return [
        ("issued now", genuine, _NOW, ["Genuine"]),
        ("exactly 300 s old", genuine, _NOW + timedelta(seconds=300), ["Age"]),
        ("301 s old", genuine, _NOW + timedelta(seconds=301), ["Age"]),
        ("issued 1 s in the future", genuine, _NOW - timedelta(seconds=1), ["Age"]),
        (
            "offset +01:00 in issuedAt",
            fi.sign_body(_body(issuedAt="2026-01-05T10:00:00+01:00")),
            _NOW,
            ["Genuine"],
        ),
        ("tag of another key", bytes([genuine[0] ^ 1]) + genuine[1:], _NOW, ["Tag"]),
        ("body changed after signing", genuine[:-3] + b'1Z"}', _NOW, ["Tag"]),
        ("32 bytes: no body", genuine[:32], _NOW, ["Tag"]),
        ("signed body that is not JSON", fi.sign_body(b"nir=290017505612320"), _NOW, ["Form"]),
        (
            "signed body without cardIssuedOn",
            fi.sign_body(_body(cardIssuedOn=None)),
            _NOW,
            ["Form"],
        ),
        (
            "signed body with an extra member",
            fi.sign_body(_body(level="substantial")),
            _NOW,
            ["Form"],
        ),
        (
            "birthDate not a calendar date",
            fi.sign_body(_body(birthDate="1990-02-30")),
            _NOW,
            ["Form"],
        ),
        (
            "issuedAt without an offset",
            fi.sign_body(_body(issuedAt="2026-01-05T09:00:00")),
            _NOW,
            ["Form"],
        ),
        ("nir not a string", fi.sign_body(_body(nir=290017505612320)), _NOW, ["Form"]),
    ]


def build_france_identite() -> dict[str, Any]:
    tests = []
    for comment, assertion, now, flags in _fi_cases():
        try:
            identity = samples.FRANCE_IDENTITE.verify(assertion, now)
        except EnrolmentRefusedError:
            expected: dict[str, Any] = {"identity": None, "result": "invalid"}
        else:
            expected = {
                "identity": {
                    "nir": identity.nir,
                    "birthDate": identity.birth_date.isoformat(),
                    "cardIssuedOn": identity.card_issued_on.isoformat(),
                },
                "result": "valid",
            }
        tests.append(
            {
                "comment": comment,
                "flags": flags,
                "assertion": assertion.hex(),
                "now": now.isoformat().replace("+00:00", "Z"),
                **expected,
            }
        )
    return document(
        algorithm="VDC-ENR France Identite assertions",
        schema="enrolment_france_identite.schema.json",
        header=[
            "Assertions of the simulated France Identite provider (VDC-ENR-023): tag || body,",
            "tag = HMAC-SHA256(key, body), body a closed UTF-8 JSON object. The key is a",
            "published test key (hex of an ASCII string): for tests and vectors only.",
            "valid: the identity it asserts; invalid: refused with assertion-invalid.",
        ],
        notes=FI_NOTES,
        groups=[{"key": TEST_KEY.hex(), "lifetimeSeconds": 300, "tests": tests}],
    )


def build_france_identite_schema() -> dict[str, Any]:
    identity = {
        "type": "object",
        "additionalProperties": False,
        "required": ["nir", "birthDate", "cardIssuedOn"],
        "properties": {
            "nir": {"type": "string"},
            "birthDate": {"type": "string"},
            "cardIssuedOn": {"type": "string"},
        },
    }
    return schema(
        title="VDC France Identite assertions",
        group_properties={
            "key": {"type": "string", "description": "the HMAC key, hex"},
            "lifetimeSeconds": {"type": "integer", "description": "the age limit, inclusive"},
        },
        test_properties={
            "assertion": {"type": "string"},
            "now": {"type": "string"},
            "identity": {"oneOf": [identity, {"type": "null"}]},
        },
    )


FILES = {
    "enrolment/accounts.json": build_accounts,
    "schemas/enrolment_accounts.schema.json": build_accounts_schema,
    "enrolment/eligibility.json": build_eligibility,
    "schemas/enrolment_eligibility.schema.json": build_eligibility_schema,
    "enrolment/france_identite.json": build_france_identite,
    "schemas/enrolment_france_identite.schema.json": build_france_identite_schema,
}
