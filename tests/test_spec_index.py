"""The requirement index refuses malformed specifications (VDC-SPEC-001..003)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.requirements import AREAS, SpecIndexError, load_requirements
from tools import spec_index

GOOD = """# Chapter

```{req} A title
:id: VDC-NIR-901
:level: MUST

The number MUST have fifteen characters.
```
"""


def _spec(tmp_path: Path, *chapters: str) -> Path:
    for number, text in enumerate(chapters):
        (tmp_path / f"chapter{number}.md").write_text(text, encoding="utf-8")
    return tmp_path


def test_real_specification_loads_with_unique_ids() -> None:
    requirements = load_requirements()
    ids = [r.id for r in requirements]
    assert len(ids) == len(set(ids))
    assert {r.area for r in requirements} <= set(AREAS)
    assert "VDC-SPEC-001" in ids


def test_fields_are_extracted(tmp_path: Path) -> None:
    (requirement,) = load_requirements(_spec(tmp_path, GOOD))
    assert (requirement.id, requirement.area, requirement.level) == ("VDC-NIR-901", "NIR", "MUST")
    assert requirement.title == "A title"
    assert requirement.text == "The number MUST have fifteen characters."
    assert (requirement.file, requirement.line) == ("chapter0.md", 3)


def test_duplicate_id_fails(tmp_path: Path) -> None:
    """VDC-SPEC-002."""
    with pytest.raises(SpecIndexError) as raised:
        load_requirements(_spec(tmp_path, GOOD, GOOD))
    assert raised.value.problems == [
        "chapter1.md:3: duplicate id VDC-NIR-901 (first at chapter0.md:3)"
    ]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("VDC-NIR-901", "VDC-NIR-91"), "malformed requirement id 'VDC-NIR-91'"),
        (("VDC-NIR-901", "VDC-XYZ-901"), "unknown area 'XYZ' in VDC-XYZ-901"),
        ((":level: MUST", ":level: SHALL"), "level 'SHALL' is not one of"),
        ((":level: MUST", ":level: MAY"), "statement does not use its key word MAY"),
        ((":id: VDC-NIR-901\n", ""), "malformed requirement id ''"),
    ],
)
def test_malformed_requirement_fails(tmp_path: Path, change: tuple[str, str], problem: str) -> None:
    """VDC-SPEC-001, VDC-SPEC-003."""
    with pytest.raises(SpecIndexError) as raised:
        load_requirements(_spec(tmp_path, GOOD.replace(*change)))
    assert len(raised.value.problems) == 1
    assert problem in raised.value.problems[0]


def test_key_word_outside_a_block_fails(tmp_path: Path) -> None:
    """VDC-SPEC-001: a normative sentence without an identifier is refused."""
    with pytest.raises(SpecIndexError) as raised:
        load_requirements(_spec(tmp_path, GOOD + "\nReaders MUST also do this.\n"))
    assert raised.value.problems == ["chapter0.md:10: key word MUST outside a requirement block"]


def test_examples_inside_longer_fences_are_not_requirements(tmp_path: Path) -> None:
    example = "````text\n" + GOOD.replace("VDC-NIR-901", "VDC-NIR-902") + "````\n"
    assert [r.id for r in load_requirements(_spec(tmp_path, GOOD, example))] == ["VDC-NIR-901"]


def test_tool_exits_non_zero_on_duplicate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert spec_index.main(["--spec", str(_spec(tmp_path, GOOD, GOOD))]) == 1
    assert "duplicate id VDC-NIR-901" in capsys.readouterr().err


def test_tool_writes_the_index(tmp_path: Path) -> None:
    out = tmp_path / "index.json"
    assert spec_index.main(["--spec", str(_spec(tmp_path, GOOD)), "--out", str(out)]) == 0
    assert '"id": "VDC-NIR-901"' in out.read_text(encoding="utf-8")
