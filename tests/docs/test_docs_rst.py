"""Generated reST is clean whatever the input text; unclean docstrings are shown verbatim."""

from __future__ import annotations

import pytest

from tools.docs import rst
from tools.docs.docstrings import problems, safe_lines

TRICKY = [
    "`now` is after validUntil.",
    "x`y`s and *a lone asterisk, _under_ and |pipe| [1]_",
    "VDC-PIN-* and `unclosed",
    "trailing backslash \\",
]


@pytest.mark.parametrize("value", TRICKY)
def test_prose_and_text_never_make_docutils_warn(value: str) -> None:
    assert problems(rst.prose(value)) == []
    assert problems(rst.text(value)) == []


def test_prose_turns_code_spans_into_literals() -> None:
    assert rst.prose("`now` is after x`y`s") == "``now`` is after x\\ ``y``\\ s"


def test_list_table_cells_may_hold_several_paragraphs() -> None:
    table = rst.list_table(["a", "b"], [["one\ntwo", "three"]])
    assert problems(table) == []
    assert "   * - one\n\n       two\n     - three" in table


def test_clean_docstring_is_kept_and_unclean_one_is_shown_verbatim() -> None:
    clean = ["Summary with `code`.", "", "More text."]
    assert safe_lines(clean) == clean
    broken = ["Summary.", "  indented continuation", "back"]
    assert problems("\n".join(broken)) != []
    shown = safe_lines(broken)
    assert shown[:2] == ["::", ""]
    assert shown[2:5] == ["    Summary.", "      indented continuation", "    back"]
    assert problems("\n".join(shown)) == []


def test_sections_in_docstrings_are_refused() -> None:
    assert problems("Usage\n-----\n\nText.") == ["section 'Usage'"]
