"""Generated catalogue pages: test cases and vector files as needs, vector schemas."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import groupby
from typing import Any

from tools.docs import rst
from tools.docs.model import TestCase
from tools.docs.pages_trace import vector_need_id

HEADER = ".. Generated at build time by tools/docs; do not edit.\n"


def _area(identifier: str) -> str:
    parts = identifier.split("-")
    return parts[1] if len(parts) == 3 else "OTHER"


def testcases_page(
    cases: list[TestCase] | None, known: set[str], verdicts: dict[str, str] | None = None
) -> str:
    """Each test case of the catalogue as a need linked to the requirements it verifies.

    `verdicts` (from the latest run) adds each case's verdict; "no run" without one.
    """
    parts = [HEADER, rst.title("Conformance test cases")]
    if cases is None:
        parts.append(
            "The conformance suite exports no test-case catalogue yet; this page lists "
            "its test cases as soon as it does.\n"
        )
        return "\n".join(parts)
    parts.append(
        f"The {len(cases)} test cases of the conformance suite, from its catalogue. Each one "
        "names the requirements it verifies; the requirement pages link back to it.\n"
    )
    for area, group in groupby(cases, key=lambda c: _area(c.id)):
        parts.append(rst.title(f"Area {area}", "-"))
        for case in group:
            options = {
                "id": case.id,
                "verifies": ", ".join(r for r in case.verifies if r in known),
                "profile": " ".join(case.profile.split()),
                "area": area,
                "source": " ".join(case.source.split()),
                "verdict": verdicts.get(case.id, "not run") if verdicts else "no run",
            }
            body = "\n\n".join(
                f"**{label}:** {rst.prose(value)}"
                for label, value in (
                    ("Purpose", case.purpose),
                    ("Preconditions", case.preconditions),
                    ("Expected result", case.expected),
                )
                if value
            )
            parts.append(rst.directive("testcase", rst.plain(case.title) or case.id, options, body))
    return "\n".join(parts)


def _vector_area(relative: str, requirements: list[str]) -> str:
    """The area most of the file's requirements belong to (its folder when it names none)."""
    areas = Counter(_area(rid) for rid in requirements)
    if not areas:
        return relative.split("/", maxsplit=1)[0].upper()
    return sorted(areas.items(), key=lambda item: (-item[1], item[0]))[0][0]


def _counts(document: Mapping[str, Any]) -> Counter[str]:
    return Counter(
        test.get("result", "")
        for group in document.get("testGroups", [])
        for test in group.get("tests", [])
    )


def _file_section(
    relative: str, document: Mapping[str, Any], generator: str, known: set[str]
) -> str:
    notes: Mapping[str, Mapping[str, str]] = document.get("notes", {})
    requirements = sorted({n.get("requirement", "") for n in notes.values()} & known)
    counts = _counts(document)
    flag_counts: Counter[str] = Counter(
        flag
        for group in document.get("testGroups", [])
        for test in group.get("tests", [])
        for flag in test.get("flags", [])
    )
    header = " ".join(document.get("header", []))
    results = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    version = rst.text(str(document.get("generatorVersion", "")))
    summary = (
        "\n".join(
            f":{name}: {value}"
            for name, value in (
                ("file", rst.literal(f"vectors/{relative}")),
                ("algorithm", rst.text(str(document.get("algorithm", "")))),
                (
                    "schema",
                    rst.literal(str(document.get("schema", ""))) + " (:doc:`vector-schemas`)",
                ),
                ("tests", f"{document.get('numberOfTests', '')} ({results})"),
                ("generator", f"{generator}, generator version {version}"),
            )
        )
        + "\n"
    )
    flags = rst.list_table(
        ["flag", "bug type", "meaning", "requirement", "tests"],
        [
            [
                rst.literal(name),
                rst.text(note.get("bugType", "")),
                rst.prose(note.get("description", "")),
                rst.need(note["requirement"])
                if note.get("requirement") in known
                else rst.literal(note.get("requirement", "")),
                str(flag_counts[name]),
            ]
            for name, note in sorted(notes.items())
        ],
        widths=[18, 14, 40, 20, 8],
    )
    need = rst.directive(
        "vectorfile",
        rst.plain(f"{document.get('algorithm', relative)} ({relative})"),
        {
            "id": vector_need_id(relative),
            "verifies": ", ".join(requirements),
            "area": _vector_area(relative, requirements),
        },
        rst.prose(header),
    )
    return "\n".join([rst.title(relative, "-"), need, summary, "Flags:\n", flags])


def vectors_page(
    documents: Iterable[tuple[str, Mapping[str, Any]]],
    generators: Mapping[str, str],
    known: set[str],
) -> str:
    """Every vector file: provenance, schema, flags and their meaning, and its need."""
    parts = [
        HEADER,
        rst.title("Test vector catalogue"),
        "Every file under ``vectors/``, in the layout of Project Wycheproof. Each is "
        "generated from fixed seeds by the generator named in its table and checked by the "
        "test suite against a fresh run of that generator (:need:`VDC-VEC-003`); its JSON "
        "Schema is in :doc:`vector-schemas`. Each flag names the requirement the flagged "
        "tests exercise; the file is a need linked to those requirements.\n",
    ]
    sections = [
        _file_section(relative, document, generators.get(relative, "none found"), known)
        for relative, document in documents
    ]
    parts.extend(sections or ["No vector file has been generated yet.\n"])
    return "\n".join(parts)


def schemas_page(schemas: Iterable[tuple[str, str]]) -> str:
    """Each JSON Schema of vectors/schemas (name and text), shown in full."""
    parts = [
        HEADER,
        rst.title("Vector schemas"),
        "The JSON Schema of each vector file kind, as shipped in ``vectors/schemas/``; "
        "every object is closed (:need:`VDC-VEC-002`).\n",
    ]
    for name, text in schemas:
        parts.append(rst.title(name, "-"))
        parts.append(rst.directive("code-block", "json", {}, text.rstrip("\n")))
    return "\n".join(parts)
