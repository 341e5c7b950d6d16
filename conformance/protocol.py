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

from conformance._forms import ENROLMENT_EVENT, HISTORY_ENTRY, HOLDER_EVENT, MAIL
from conformance._operations import ERROR_KINDS, OPERATIONS
from conformance._schema import closed, described, hex_bytes, integer, text
from conformance._validator import validator

PROTOCOL = "vdc-harness/1"
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas" / "harness"
_DRAFT = "https://json-schema.org/draft/2020-12/schema"
FORMS = {
    "enrolment-event": (ENROLMENT_EVENT, "an enrolment event (VDC-ENR-004)"),
    "holder-event": (HOLDER_EVENT, "a holder event (holder.events)"),
    "history-entry": (HISTORY_ENTRY, "a history entry (history.list)"),
    "mail": (MAIL, "an e-mail of the enrolment mailbox (enrolment.mailbox)"),
}
"""Forms several operations share, also shipped alone under conformance/schemas/harness/."""
__all__ = ["ERROR_KINDS", "OPERATIONS", "PROTOCOL"]

_ID = integer("the request's identifier", minimum=1)
REQUEST_SCHEMA = closed(
    {
        "id": _ID,
        "op": text("an operation of the table", pattern="^[a-z]+(\\.[a-z_]+)?$"),
        "params": described(
            {"type": "object", "$comment": "closed by op/<op>.params.schema.json"},
            "the operation's params",
        ),
    }
)
APDU_RESPONSE_SCHEMA = closed(
    {"id": _ID, "response": hex_bytes("the card's response APDU, data and status word")}
)
_ANSWER_ID = integer(
    "the id of the request answered; 0 only for a line that was no usable request (VDC-HARN-008)",
    minimum=0,
)
ANSWER_SCHEMA: dict[str, Any] = {
    "oneOf": [
        closed(
            {
                "id": _ANSWER_ID,
                "result": described(
                    {"type": "object", "$comment": "closed by op/<op>.result.schema.json"},
                    "the operation's result",
                ),
            },
            description="the operation succeeded",
        ),
        closed(
            {
                "id": _ANSWER_ID,
                "error": closed(
                    {
                        "kind": text("an error kind of the operation (VDC-HARN-005)", minLength=1),
                        "message": text("one line for a person"),
                    },
                    ["kind"],
                    description="a typed error",
                ),
            },
            description="the operation ended in a typed error",
        ),
        closed(
            {"id": _ANSWER_ID, "unsupported": text("why the operation is not implemented")},
            description="the operation is not implemented (VDC-HARN-004)",
        ),
        closed(
            {
                "id": _ANSWER_ID,
                "transmit": hex_bytes("a command APDU for the card the suite plays"),
            },
            description="a reader under test sends an APDU",
        ),
    ]
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
    for operation, (params, result, purpose) in OPERATIONS.items():
        documents[f"op/{operation}.params.schema.json"] = {
            "title": f"{operation}: params",
            **params,
            "description": f"{operation}: {purpose}",
        }
        documents[f"op/{operation}.result.schema.json"] = {
            "title": f"{operation}: result",
            **result,
            "description": f"{operation}: result",
        }
    for name, (form, title) in FORMS.items():
        documents[f"{name}.schema.json"] = {"title": title, **form}
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


FORMS_PAGE = Path(__file__).resolve().parent.parent / "spec" / "harness-forms.md"


def forms_page() -> str:
    """The text of spec/harness-forms.md, rendered from the schemas."""
    from conformance._render import markdown

    return markdown(OPERATIONS, ERROR_KINDS, FORMS)


def write_schemas(directory: Path = SCHEMA_DIR.parent) -> list[Path]:
    """Rewrite the schema files under conformance/schemas/; returns the paths written."""
    written = []
    for name, document in all_schema_files().items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(document), encoding="utf-8")
        written.append(path)
    if FORMS_PAGE.parent.is_dir():
        FORMS_PAGE.write_text(forms_page(), encoding="utf-8")
        written.append(FORMS_PAGE)
    return written


if __name__ == "__main__":
    for written_path in write_schemas():
        print(written_path.name, file=sys.stderr)
