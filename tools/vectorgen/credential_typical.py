"""The typical synthetic credential a holder under test is provisioned with (VDC-HARN-010).

One group gives the whole credential as data: the element values in their JSON form,
the validity period and the status reference. Each test is one element: its identifier,
short name and value, which a read of that element from the holder must return.
"""

from __future__ import annotations

from typing import Any

from conformance._forms import ELEMENT_VALUES
from tools.vectorgen._wycheproof import Flag, document, schema
from vitale_ref.credential import element_to_json, samples

NOTES = {
    "Typical": Flag(
        bug_type="FUNCTIONALITY",
        description="an element of the typical credential, as a read returns it",
        requirement="VDC-HARN-010",
    ),
}


def _utc(moment: Any) -> str:
    return str(moment.isoformat()).replace("+00:00", "Z")


def build_typical() -> dict[str, Any]:
    holder = samples.typical_holder()
    values = holder.elements()
    tests = [
        {
            "comment": f"element {int(element_id)}, {element_id.short_name}",
            "flags": ["Typical"],
            "elementId": int(element_id),
            "shortName": element_id.short_name,
            "value": element_to_json(values[element_id]),
            "result": "valid",
        }
        for element_id in sorted(values, key=int)
    ]
    return document(
        algorithm="VDC-CRED typical synthetic credential",
        schema="credential_typical.schema.json",
        header=[
            "The credential holder.setup provisions (VDC-HARN-010): an insured parent with a",
            "complementary cover and two attached minors, all synthetic (family name",
            "EXEMPLE). The holder issues it under a PKI of its own with these values, this",
            "validity (GeneralizedTime, UTC) and this status reference.",
        ],
        notes=NOTES,
        groups=[
            {
                "validFrom": _utc(samples.VALID_FROM),
                "validUntil": _utc(samples.VALID_UNTIL),
                "status": {"listId": samples.SAMPLE_LIST_ID, "index": 0},
                "elements": {str(int(k)): element_to_json(v) for k, v in values.items()},
                "tests": tests,
            }
        ],
    )


def build_schema() -> dict[str, Any]:
    return schema(
        title="VDC typical credential",
        group_properties={
            "validFrom": {"type": "string", "description": "validFrom of the credential"},
            "validUntil": {"type": "string", "description": "validUntil of the credential"},
            "status": {
                "type": "object",
                "additionalProperties": False,
                "required": ["listId", "index"],
                "properties": {
                    "listId": {"type": "integer", "description": "status list identifier"},
                    "index": {"type": "integer", "description": "index in that list"},
                },
            },
            "elements": {
                "type": "object",
                "additionalProperties": False,
                "properties": ELEMENT_VALUES,
                "description": "every element value, by identifier",
            },
        },
        test_properties={
            "elementId": {"type": "integer", "minimum": 1, "maximum": 127},
            "shortName": {"type": "string"},
            "value": {
                "oneOf": [
                    {"type": "string"},
                    {"type": "integer"},
                    *(ELEMENT_VALUES[key] for key in ("7", "8", "9", "10")),
                ]
            },
        },
    )


FILES = {
    "credential/typical.json": build_typical,
    "schemas/credential_typical.schema.json": build_schema,
}
