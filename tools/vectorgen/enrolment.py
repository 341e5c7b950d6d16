"""Enrolment traces (VDC-ENR): scripted event sequences with the states and outputs expected.

Each vector is one scenario of `vitale_ref.enrolment.traces`, run on the reference
service with the synthetic directory, the simulated collaborators and a seeded random
source. Together the traces exercise every
row of the transition table. Codes are written `@code` (the latest code e-mailed)
and `@wrong` (a well-formed other code), so that any implementation can replay them.
"""

from __future__ import annotations

from typing import Any

from conformance._forms import ENROLMENT_EVENT
from tools.vectorgen._wycheproof import Flag, document, schema
from vitale_ref.enrolment import traces

SEED_PREFIX = "vdc-enrolment-trace/"

NOTES = {
    "FranceIdentite": Flag(
        bug_type="FUNCTIONALITY",
        description="France Identité route",
        requirement="VDC-ENR-021",
    ),
    "IdentityDocument": Flag(
        bug_type="FUNCTIONALITY",
        description="identity-document route with e-mailed code, captures and decision",
        requirement="VDC-ENR-002",
    ),
    "Refusal": Flag(
        bug_type="MISSING_CHECK",
        description="events the service refuses with a documented reason, changing nothing",
        requirement="VDC-ENR-003",
    ),
    "Deadline": Flag(
        bug_type="EDGE_CASE",
        description="a deadline exactly at its limit and one second past it",
        requirement="VDC-ENR-060",
    ),
    "Cancellation": Flag(
        bug_type="FUNCTIONALITY",
        description="the person cancels",
        requirement="VDC-ENR-063",
    ),
    "Lock": Flag(
        bug_type="EDGE_CASE",
        description="ten consecutive wrong codes lock the enrolment for 24 h",
        requirement="VDC-OTP-010",
    ),
    "Replacement": Flag(
        bug_type="FUNCTIONALITY",
        description="a second phone replaces the first card and revokes its credential",
        requirement="VDC-ENR-013",
    ),
    "CaptureRetry": Flag(
        bug_type="EDGE_CASE",
        description="unusable captures are retried, the third ends the enrolment",
        requirement="VDC-ENR-035",
    ),
}


def _flags(name: str) -> list[str]:
    rules = (
        ("fi-", "FranceIdentite"),
        ("second-phone", "Replacement"),
        ("document", "IdentityDocument"),
        ("rejected", "IdentityDocument"),
        ("refusals", "Refusal"),
        ("switch", "Refusal"),
        ("abandon", "Deadline"),
        ("expires", "Deadline"),
        ("cancel", "Cancellation"),
        ("lock", "Lock"),
        ("exhausted", "CaptureRetry"),
        ("retries", "CaptureRetry"),
    )
    return sorted({flag for prefix, flag in rules if prefix in name})


def _key(key: tuple[str, str, str] | None) -> list[str] | None:
    return None if key is None else list(key)


def _test(scenario: traces.Scenario) -> dict[str, Any]:
    records = traces.run(scenario.start, scenario.steps, seed=SEED_PREFIX + scenario.name)
    steps = [
        {
            "at": int((r.at - scenario.start).total_seconds()),
            "slot": r.slot,
            "event": r.event,
            "state": r.state,
            "transition": _key(r.transition),
            "sideTransitions": [list(k) for k in r.side_transitions],
            "messages": list(r.messages),
            "refused": r.refused,
        }
        for r in records
    ]
    return {
        "comment": f"{scenario.name}: {scenario.comment} (synthetic)",
        "flags": _flags(scenario.name),
        "name": scenario.name,
        "seed": SEED_PREFIX + scenario.name,
        "startTime": scenario.start.isoformat(),
        "steps": steps,
        "result": "valid",
    }


def build_traces() -> dict[str, Any]:
    return document(
        algorithm="VDC-ENR enrolment traces",
        schema="enrolment_traces.schema.json",
        header=[
            "Event sequences applied to an enrolment service set up over the accounts of",
            "enrolment/accounts.json and the policy of enrolment/eligibility.json, with the",
            "state reached, the (state, event, guard) transition taken, the kinds of messages",
            "written, or the refusal reason (spec chapter VDC-ENR, VDC-ENR-006). Events are",
            "in their JSON form; a SubmitCode code '@code' stands for the latest code",
            "e-mailed to that enrolment and '@wrong' for (that code + 1) mod 10^6.",
            "FranceIdentiteAsserted assertions are signed with the test key of",
            "enrolment/france_identite.json. Every identity is synthetic.",
        ],
        notes=NOTES,
        groups=[
            {
                "policy": "enrolment/eligibility.json",
                "accounts": "enrolment/accounts.json",
                "tests": [_test(scenario) for scenario in traces.SCENARIOS],
            }
        ],
    )


_KEY = {"type": "array", "items": {"type": "string"}, "minItems": 3, "maxItems": 3}
_STEP = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "at",
        "slot",
        "event",
        "state",
        "transition",
        "sideTransitions",
        "messages",
        "refused",
    ],
    "properties": {
        "at": {"type": "integer", "minimum": 0},
        "slot": {"type": "integer", "minimum": 0},
        "event": ENROLMENT_EVENT,
        "state": {"type": ["string", "null"]},
        "transition": {"oneOf": [_KEY, {"type": "null"}]},
        "sideTransitions": {"type": "array", "items": _KEY},
        "messages": {"type": "array", "items": {"type": "string"}},
        "refused": {"type": ["string", "null"]},
    },
}


def build_schema() -> dict[str, Any]:
    return schema(
        title="VDC enrolment traces",
        group_properties={
            "policy": {"type": "string", "description": "the policy file, under vectors/"},
            "accounts": {"type": "string", "description": "the accounts file, under vectors/"},
        },
        test_properties={
            "name": {"type": "string"},
            "seed": {"type": "string"},
            "startTime": {"type": "string"},
            "steps": {"type": "array", "items": _STEP, "minItems": 1},
        },
    )


FILES = {
    "enrolment/traces.json": build_traces,
    "schemas/enrolment_traces.schema.json": build_schema,
}
