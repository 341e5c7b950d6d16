"""The driver protocol between the suite and an implementation (spec/harness.md, VDC-HARN).

JSON lines over a pipe. The suite sends requests `{"id", "op", "params"}` and, while an
operation of a reader under test is running, APDU responses `{"id", "response"}`; the
implementation answers `{"id", "result"}`, `{"id", "error": {"kind", "message"}}`,
`{"id", "unsupported": reason}` or asks for an APDU `{"id", "transmit": hex}`.
The JSON Schemas below are shipped as files under conformance/schemas/harness/;
`python -m conformance.protocol` rewrites them and the test suite checks they are current.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

from conformance._validator import HEX_PATTERN, validator

PROTOCOL = "vdc-harness/1"
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas" / "harness"
_DRAFT = "https://json-schema.org/draft/2020-12/schema"

HEX = {"type": "string", "pattern": HEX_PATTERN}
TEXT = {"type": "string"}
INSTANT = {"type": "string", "format": "date-time", "description": "UTC, ISO 8601"}


def _closed(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


REQUEST_SCHEMA = _closed(
    {
        "id": {"type": "integer", "minimum": 1},
        "op": {"type": "string", "pattern": "^[a-z]+(\\.[a-z_]+)?$"},
        "params": {"type": "object"},
    }
)
APDU_RESPONSE_SCHEMA = _closed({"id": {"type": "integer", "minimum": 1}, "response": HEX})
ANSWER_SCHEMA: dict[str, Any] = {
    "oneOf": [
        _closed({"id": {"type": "integer"}, "result": {"type": "object"}}),
        _closed(
            {
                "id": {"type": "integer"},
                "error": _closed({"kind": TEXT, "message": TEXT}, ["kind"]),
            }
        ),
        _closed({"id": {"type": "integer"}, "unsupported": TEXT}),
        _closed({"id": {"type": "integer"}, "transmit": HEX}),
    ]
}

# operation -> (params schema, result schema). Each operation is one request.
OPERATIONS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "hello": (
        _closed({"protocol": TEXT}),
        _closed(
            {
                "protocol": TEXT,
                "implementation": _closed({"name": TEXT, "version": TEXT}),
                "profiles": {"type": "array", "items": TEXT},
                "operations": {"type": "array", "items": TEXT},
            }
        ),
    ),
    "reset": (_closed({}), _closed({})),
    "nir.validate": (_closed({"nir": TEXT}), _closed({"nir": TEXT})),
    "credential.verify": (
        _closed(
            {
                "presentation": HEX,
                "trustAnchor": HEX,
                "now": INSTANT,
                "statusList": HEX,
                "requested": {"type": "array", "items": {"type": "integer"}},
                "binding": _closed({"message": HEX, "signature": HEX}),
            },
            ["presentation", "trustAnchor", "now"],
        ),
        _closed(
            {
                "elements": {"type": "object", "propertyNames": {"pattern": "^[0-9]+$"}},
                "revocationChecked": {"type": "boolean"},
                "serial": HEX,
            }
        ),
    ),
    "holder.setup": (
        _closed({"readerRoot": HEX}),
        _closed({"issuingRoot": HEX, "elements": {"type": "array", "items": {"type": "integer"}}}),
    ),
    "holder.arm": (_closed({"now": INSTANT}), _closed({})),
    "holder.transmit": (_closed({"apdu": HEX, "now": INSTANT}), _closed({"response": HEX})),
    "holder.events": (
        _closed({}),
        _closed({"events": {"type": "array", "items": {"type": "object"}}}),
    ),
    "pin.check": (
        _closed({"code": TEXT, "birthDate": TEXT, "confirmation": TEXT}, ["code"]),
        _closed({}),
    ),
    "pin.provision": (_closed({"code": TEXT, "now": INSTANT}), _closed({})),
    "pin.unlock": (
        _closed({"code": TEXT, "now": INSTANT}),
        _closed(
            {
                "outcome": {"enum": ["unlocked", "wrong-code", "blocked"]},
                "triesRemaining": {"type": "integer", "minimum": 0},
                "statusWord": {"type": "string", "pattern": "^[0-9A-F]{4}$"},
            }
        ),
    ),
    "pin.armed": (_closed({"now": INSTANT}), _closed({"armed": {"type": "boolean"}})),
    "reader.setup": (
        _closed({"trustAnchor": HEX, "statusList": HEX}, ["trustAnchor"]),
        _closed({"readerRoot": HEX}),
    ),
    "reader.read": (
        _closed(
            {
                "requested": {"type": "array", "items": {"type": "integer"}},
                "now": INSTANT,
                "extended": {"type": "boolean"},
                "receipt": _closed(
                    {
                        "act": TEXT,
                        "amountCents": {"type": "integer", "minimum": 0, "maximum": 2**32 - 1},
                        "at": INSTANT,
                    },
                    ["act", "amountCents", "at"],
                ),
            },
            ["requested", "now"],
        ),
        _closed(
            {
                "elements": {"type": "object", "propertyNames": {"pattern": "^[0-9]+$"}},
                "receiptAcknowledged": {"type": "boolean"},
            },
            ["elements"],
        ),
    ),
    "enrolment.setup": (
        _closed({"seed": TEXT, "persistent": {"type": "boolean"}}, []),
        _closed({}),
    ),
    "enrolment.restart": (_closed({}), _closed({})),
    "enrolment.start": (
        _closed({"event": {"type": "object"}, "now": INSTANT}),
        _closed({"id": TEXT, "state": TEXT, "messages": {"type": "array", "items": TEXT}}),
    ),
    "enrolment.handle": (
        _closed({"id": TEXT, "event": {"type": "object"}, "now": INSTANT}),
        _closed({"state": TEXT, "messages": {"type": "array", "items": TEXT}}),
    ),
    "enrolment.observe": (
        _closed({"id": TEXT}),
        _closed(
            {
                "state": TEXT,
                "captures": {"type": "integer", "minimum": 0},
                "codeMails": {"type": "integer", "minimum": 0},
                "latestCode": {"type": ["string", "null"]},
            }
        ),
    ),
    "enrolment.mailbox": (
        _closed({"id": TEXT}),
        _closed(
            {
                "mails": {
                    "type": "array",
                    "items": _closed({"kind": TEXT, "to": TEXT}),
                }
            }
        ),
    ),
    "credential.status_list": (
        _closed({"statusList": HEX}),
        _closed(
            {
                "listId": {"type": "integer", "minimum": 0},
                "size": {"type": "integer", "minimum": 1},
                "revoked": {"type": "array", "items": {"type": "integer", "minimum": 0}},
                "encoding": HEX,
            }
        ),
    ),
    "pki.validate": (
        _closed(
            {
                "leaf": HEX,
                "intermediates": {"type": "array", "items": HEX},
                "anchor": HEX,
                "purpose": {
                    "enum": ["DOCUMENT_SIGNING", "STATUS_LIST_SIGNING", "READER_AUTHENTICATION"]
                },
                "now": INSTANT,
            }
        ),
        _closed({"pathLength": {"type": "integer", "minimum": 1}}),
    ),
    "pki.reader_authorisation": (
        _closed({"value": HEX}),
        _closed(
            {
                "rpps": TEXT,
                "profession": TEXT,
                "allowedElements": {"type": "array", "items": {"type": "integer"}},
            }
        ),
    ),
    "pin.verifier": (
        _closed(
            {
                "code": TEXT,
                "salt": HEX,
                "memoryKiB": {"type": "integer"},
                "iterations": {"type": "integer"},
                "lanes": {"type": "integer"},
            }
        ),
        _closed({"digest": HEX}),
    ),
    "history.record_presentation": (
        _closed(
            {
                "readerRpps": TEXT,
                "elements": {"type": "array", "items": {"type": "integer"}},
                "at": INSTANT,
                "now": INSTANT,
            }
        ),
        _closed({}),
    ),
    "history.record_receipt": (
        _closed(
            {
                "practitionerRpps": TEXT,
                "act": TEXT,
                "amountCents": {"type": "integer", "minimum": 0},
                "at": INSTANT,
                "now": INSTANT,
            }
        ),
        _closed({}),
    ),
    "holder.field_off": (_closed({}), _closed({})),
    "holder.restart": (_closed({}), _closed({})),
    "history.list": (
        _closed({"now": INSTANT}),
        _closed({"entries": {"type": "array", "items": {"type": "object"}}}),
    ),
}


@cache
def answer_validator() -> Any:
    """A compiled validator of the answer envelope (hex checked in linear time)."""
    return validator(ANSWER_SCHEMA)


@cache
def result_validator(operation: str) -> Any:
    """A compiled validator of an operation's result, or None for an unknown operation."""
    schema = result_schema(operation)
    return None if schema is None else validator(schema)


def result_schema(operation: str) -> dict[str, Any] | None:
    """The schema an operation's result must satisfy (None for an unknown operation)."""
    entry = OPERATIONS.get(operation)
    return None if entry is None else entry[1]


def schema_documents() -> dict[str, dict[str, Any]]:
    """Every shipped schema file: name -> JSON Schema document."""
    documents: dict[str, dict[str, Any]] = {
        "request.schema.json": {"title": "suite to IUT: request", **REQUEST_SCHEMA},
        "apdu-response.schema.json": {
            "title": "suite to IUT: APDU response during an operation",
            **APDU_RESPONSE_SCHEMA,
        },
        "answer.schema.json": {"title": "IUT to suite: answer or APDU", **ANSWER_SCHEMA},
    }
    for operation, (params, result) in OPERATIONS.items():
        documents[f"op/{operation}.params.schema.json"] = {
            "title": f"{operation}: params",
            **params,
        }
        documents[f"op/{operation}.result.schema.json"] = {
            "title": f"{operation}: result",
            **result,
        }
    return {
        name: {"$schema": _DRAFT, "$id": f"vdc-harness/{name}", **document}
        for name, document in documents.items()
    }


def all_schema_files() -> dict[str, dict[str, Any]]:
    """Every shipped schema, by path relative to conformance/schemas/."""
    from conformance.formats import CATALOGUE_SCHEMA, RESULTS_SCHEMA

    files = {f"harness/{name}": document for name, document in schema_documents().items()}
    files["catalogue.schema.json"] = {
        "$schema": _DRAFT,
        "$id": "vdc-conformance-catalogue/1",
        **CATALOGUE_SCHEMA,
    }
    files["results.schema.json"] = {
        "$schema": _DRAFT,
        "$id": "vdc-conformance-results/1",
        **RESULTS_SCHEMA,
    }
    return files


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=False) + "\n"


def write_schemas(directory: Path = SCHEMA_DIR.parent) -> list[Path]:
    """Rewrite the schema files under conformance/schemas/; returns the paths written."""
    written = []
    for name, document in all_schema_files().items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(document), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_schemas():
        print(written_path.name, file=sys.stderr)
