"""Catalogue pages: test cases and vector files become needs linked to requirements."""

from __future__ import annotations

from tools.docs import pages_catalogue
from tools.docs.model import TestCase

KNOWN = {"VDC-NIR-001", "VDC-NIR-002", "VDC-PKI-001"}
DOCUMENT = {
    "algorithm": "VDC-NIR",
    "schema": "nir_test.schema.json",
    "generatorVersion": "1",
    "numberOfTests": 2,
    "header": ["Synthetic NIRs; `validate` must refuse the invalid ones."],
    "notes": {
        "BadKey": {
            "bugType": "CHECKSUM",
            "description": "The `key` is wrong.",
            "requirement": "VDC-NIR-002",
        },
        "Valid": {
            "bugType": "FUNCTIONALITY",
            "description": "Valid.",
            "requirement": "VDC-NIR-001",
        },
    },
    "testGroups": [
        {
            "tests": [
                {"tcId": 1, "comment": "", "flags": ["Valid"], "result": "valid"},
                {"tcId": 2, "comment": "", "flags": ["BadKey"], "result": "invalid"},
            ]
        }
    ],
}


def test_vector_file_is_a_need_with_its_flags_and_generator() -> None:
    page = pages_catalogue.vectors_page(
        [("nir/nir_test.json", DOCUMENT)], {"nir/nir_test.json": "``gen.build``"}, KNOWN
    )
    assert ".. vectorfile:: VDC-NIR (nir/nir_test.json)" in page
    assert "   :id: VF-NIR-NIR-TEST\n   :verifies: VDC-NIR-001, VDC-NIR-002\n   :area: NIR" in page
    assert ":tests: 2 (invalid 1, valid 1)" in page
    assert ":generator: ``gen.build``, generator version 1" in page
    assert "The ``key`` is wrong." in page


def test_test_cases_keep_known_links_and_show_their_purpose() -> None:
    cases = [
        TestCase(
            id="TC-NIR-001",
            title="Valid NIRs",
            verifies=("VDC-NIR-001",),
            profile="verifier",
            purpose="Accept `valid` input.",
            expected="pass",
        )
    ]
    page = pages_catalogue.testcases_page(cases, KNOWN)
    assert ".. testcase:: Valid NIRs\n   :id: TC-NIR-001\n   :verifies: VDC-NIR-001" in page
    assert "**Purpose:** Accept ``valid`` input." in page
    assert "no test-case catalogue" in pages_catalogue.testcases_page(None, KNOWN)
