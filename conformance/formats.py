"""JSON Schemas of the two documents the suite exports for other tools.

- the catalogue (`vitale conformance catalogue --json`, format vdc-conformance-catalogue/1);
- the results (`results.json` of a run, format vdc-conformance-results/1).

Shipped as conformance/schemas/catalogue.schema.json and results.schema.json.
"""

from __future__ import annotations

from typing import Any

_TEXT = {"type": "string"}
_TEXTS = {"type": "array", "items": _TEXT}
_VERDICT = {"enum": ["pass", "fail", "not_applicable", "not_tested"]}
_COUNTS = {
    "type": "object",
    "properties": {name: {"type": "integer"} for name in _VERDICT["enum"]},
    "required": _VERDICT["enum"],
    "additionalProperties": False,
}


def _closed(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


TEST_CASE = _closed(
    {
        "id": {"type": "string", "pattern": "^TC-[A-Z]+-[0-9]{3}$"},
        "title": _TEXT,
        "purpose": _TEXT,
        "verifies": {"type": "array", "items": {"pattern": "^VDC-[A-Z]+-[0-9]{3}$"}},
        "profile": {"enum": ["holder", "reader", "verifier", "enrolment", "transport"]},
        "area": _TEXT,
        "preconditions": _TEXT,
        "expected": _TEXT,
        "kind": {"enum": ["positive", "negative", "boundary"]},
        "operations": _TEXTS,
        "parametrised": {"type": "boolean"},
        "location": _TEXT,
    }
)

CATALOGUE_SCHEMA: dict[str, Any] = _closed(
    {
        "format": {"const": "vdc-conformance-catalogue/1"},
        "specVersion": _TEXT,
        "suiteVersion": _TEXT,
        "profiles": _TEXTS,
        "testCases": {"type": "array", "items": TEST_CASE},
    }
)

_RUN = _closed(
    {
        "param": _TEXT,
        "verdict": _VERDICT,
        "message": _TEXT,
        "expected": _TEXT,
        "got": _TEXT,
        "trace": _TEXTS,
        "durationSeconds": {"type": "number"},
        # What the run bears on: its parameter's requirements, or its failure's.
        "requirements": {"type": "array", "items": _TEXT, "minItems": 1},
        "vector": {
            "oneOf": [
                {"type": "null"},
                _closed(
                    {
                        "file": _TEXT,
                        "tcId": {"type": "integer"},
                        "comment": _TEXT,
                        "flags": _TEXTS,
                        "result": _TEXT,
                        "requirements": _TEXTS,
                    }
                ),
            ]
        },
        "exchange": _TEXTS,
        "blocked": _TEXT,
        # The verdict rests on what an operator reported (attended mode, spec/harness.md).
        "operatorConfirmed": {"type": "boolean"},
    }
)

_HELLO = _closed(
    {
        "name": _TEXT,
        "version": _TEXT,
        "profiles": _TEXTS,
        "operations": _TEXTS,
    }
)
_MAYBE_HELLO = {"oneOf": [{"type": "null"}, _HELLO]}

RESULTS_SCHEMA: dict[str, Any] = _closed(
    {
        "format": {"const": "vdc-conformance-results/1"},
        "generated": _TEXT,
        "specVersion": _TEXT,
        "suiteVersion": _TEXT,
        "reproducibility": _closed(
            {
                "suiteVersion": _TEXT,
                "suiteCommit": _TEXT,
                "specVersion": _TEXT,
                "specDigest": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
                "vectorsDigest": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
                "iutHello": _MAYBE_HELLO,
                "commandLine": _TEXT,
                "platform": _TEXT,
                "started": _TEXT,
                "ended": _TEXT,
            }
        ),
        "iut": _closed(
            {
                "designation": _TEXT,
                # Where the suite put its card for a reader under test (--card), if anywhere.
                "card": {"type": ["string", "null"]},
                # automated: a program drives the implementation; attended: an operator.
                "mode": {"enum": ["automated", "attended"]},
                "declared": _MAYBE_HELLO,
            }
        ),
        "profiles": _TEXTS,
        "summary": _closed(
            {
                "verdict": {
                    "enum": ["passed", "failed", "inconclusive", "could_not_run", "interrupted"]
                },
                "reasons": _TEXTS,
                "passed": {"type": "boolean"},
                "testCases": _COUNTS,
                "requirements": _COUNTS,
                "inspected": {"type": "integer"},
            }
        ),
        "profileSummary": {
            "type": "object",
            "propertyNames": {"enum": ["holder", "reader", "verifier", "enrolment", "transport"]},
            "additionalProperties": _COUNTS,
        },
        "testCases": {
            "type": "array",
            "items": _closed(
                {
                    "id": _TEXT,
                    "title": _TEXT,
                    "profile": _TEXT,
                    "verifies": _TEXTS,
                    "verdict": _VERDICT,
                    "runs": {"type": "array", "items": _RUN},
                }
            ),
        },
        "requirements": {
            "type": "array",
            "items": _closed(
                {
                    "id": _TEXT,
                    "area": _TEXT,
                    "level": _TEXT,
                    "title": _TEXT,
                    "statement": _TEXT,
                    "inScope": {"type": "boolean"},
                    "testCases": _TEXTS,
                    "verdict": _VERDICT,
                    "verification": {"enum": ["test", "inspection"]},
                    "evidence": _TEXT,
                }
            ),
        },
        "coverage": _closed(
            {
                "uncovered": _TEXTS,
                "orphans": {"type": "array", "items": {"type": "array", "items": _TEXT}},
                "inspected": _TEXTS,
                "badEvidence": {"type": "array", "items": {"type": "array", "items": _TEXT}},
            }
        ),
    }
)
