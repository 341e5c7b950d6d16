"""Test-case declarations and the exported catalogue (spec/harness.md)."""

from __future__ import annotations

import json

import jsonschema
import pytest
from click.testing import CliRunner

from conformance.catalogue import CatalogueError, load_catalogue, parse_profiles, tc
from conformance.protocol import SCHEMA_DIR
from vitale_ref.cli import main


def _declare(case_id: str, **changes: object) -> None:
    fields: dict[str, object] = {
        "title": "t",
        "purpose": "p",
        "verifies": ["VDC-NIR-001"],
        "profile": "verifier",
        "expected": "e",
    }
    fields.update(changes)

    def case(iut: object) -> None:
        return None

    tc(case_id, **fields)(case)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("case_id", "changes", "message"),
    [
        ("TC-NIR-01", {}, "'TC-NIR-01': test case id must be TC-<AREA>-<NNN>"),
        ("TC-XYZ-001", {}, "'TC-XYZ-001': test case id must be TC-<AREA>-<NNN>"),
        ("TC-NIR-001", {"profile": "phone"}, "TC-NIR-001: unknown profile 'phone'"),
        ("TC-NIR-001", {"verifies": []}, "TC-NIR-001: verifies no requirement"),
        ("TC-NIR-001", {"verifies": ["NIR-1"]}, "TC-NIR-001: malformed requirement id 'NIR-1'"),
        ("TC-NIR-001", {"expected": " "}, "TC-NIR-001: empty expected result"),
        (
            "TC-NIR-001",
            {"kind": "negativ"},
            "TC-NIR-001: kind must be one of positive, negative, boundary",
        ),
    ],
)
def test_malformed_declaration_is_refused(
    case_id: str, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(CatalogueError) as raised:
        _declare(case_id, **changes)
    assert str(raised.value) == message


def test_catalogue_ids_are_unique_and_sorted() -> None:
    ids = [case.id for case in load_catalogue()]
    assert ids == sorted(set(ids))
    assert "TC-NIR-001" in ids


def test_catalogue_json_validates_against_its_schema() -> None:
    result = CliRunner().invoke(main, ["conformance", "catalogue", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    schema = json.loads((SCHEMA_DIR.parent / "catalogue.schema.json").read_text("utf-8"))
    jsonschema.validate(document, schema)
    by_id = {case["id"]: case for case in document["testCases"]}
    assert by_id["TC-NIR-016"]["verifies"] == ["VDC-NIR-016"]
    assert by_id["TC-NIR-016"]["profile"] == "verifier"
    assert by_id["TC-NIR-016"]["location"].endswith("test_nir:test_wrong_key_refused")
    assert document["format"] == "vdc-conformance-catalogue/1"


def test_unknown_profile_is_a_one_line_error() -> None:
    result = CliRunner().invoke(main, ["conformance", "catalogue", "--profile", "phone"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: unknown profile 'phone': choose from holder, reader, verifier, enrolment, "
        "transport, all\n"
    )
    assert parse_profiles("verifier,holder") == ["verifier", "holder"]


def test_faults_are_listed() -> None:
    result = CliRunner().invoke(main, ["conformance", "faults", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) >= 30
    (row,) = [row for row in rows if row["name"] == "nir-no-key-check"]
    assert row["breaks"] == "VDC-NIR-016"
    assert row["cases"] == ["TC-NIR-016"]
    assert row["profile"] == "verifier"
    assert row["description"] == "the key is never compared with the body"
