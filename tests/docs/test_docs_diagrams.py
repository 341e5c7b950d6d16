"""Diagrams are drawn from the code: same input, same bytes; every state, message, cert."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from tools.docs import diagrams, svg
from tools.docs.pages_diagrams import diagrams_page

SVG = "{http://www.w3.org/2000/svg}"
EDGES = [
    ("A", "B", "go"),
    ("B", "C", "on"),
    ("C", "B", "back"),
    ("B", "B", "stay"),
    ("A", "X", "quit"),
    ("B", "X", "quit"),
    ("C", "X", "quit"),
]


def _texts(drawing: str) -> list[str]:
    root = ET.fromstring(drawing)
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def test_layers_follow_the_longest_path_and_terminals_go_last() -> None:
    ranks = svg._ranks(["A", "B", "C", "X"], [(s, t) for s, t, _ in EDGES], "A", {"X"})
    assert ranks == {"A": 0, "B": 1, "C": 2, "X": 3}


def test_state_diagram_is_deterministic_and_complete() -> None:
    first = svg.state_diagram(
        ["A", "B", "C", "X"], EDGES, initial="A", terminal=["X"], shared_from=3
    )
    assert first == svg.state_diagram(
        ["A", "B", "C", "X"], EDGES, initial="A", terminal=["X"], shared_from=3
    )
    texts = _texts(first)
    assert {"A", "B", "C", "X", "go", "on", "back", "stay"} <= set(texts)
    # The transition every state shares is one note, not three arrows.
    assert "quit \u2192 X, from every one of:" in texts
    assert "A, B, C" in texts
    assert first.count('<path class="edge"') == 4


def test_sequence_diagram_draws_each_message() -> None:
    drawing = svg.sequence_diagram("R", "H", [(True, "ping", ""), (False, "pong", "note")])
    assert _texts(drawing) == ["R", "H", "ping", "pong", "note"]
    assert len(re.findall(r'marker-end="url\(#arrow\)"', drawing)) == 2


def test_tree_diagram_links_children_to_parents() -> None:
    drawing = svg.tree_diagram([("r", ["Root"], None), ("a", ["A", "x"], "r"), ("b", ["B"], "r")])
    assert _texts(drawing) == ["Root", "A", "x", "B"]
    assert drawing.count('<path class="edge"') == 2


def test_enrolment_diagram_shows_every_state_of_the_table() -> None:
    from vitale_ref.enrolment import State, transitions

    diagram = diagrams.enrolment()
    assert diagram is not None
    texts = set(_texts(diagram.svg))
    assert {state.value for state in State} <= texts
    assert len(diagram.rows) == len(list(transitions()))


def test_nfc_sequence_follows_the_golden_transcript() -> None:
    diagram = diagrams.nfc_sequence(Path(__file__).resolve().parents[2] / "vectors")
    assert diagram is not None
    assert [row[1] for row in diagram.rows][:3] == ["SELECT", "ESTABLISH", "READ"]
    assert all(row[4].startswith("9000") for row in diagram.rows)


def test_pki_hierarchy_puts_every_certificate_under_its_issuer() -> None:
    diagram = diagrams.pki_hierarchy()
    assert diagram is not None
    issuers = {row[0]: row[2] for row in diagram.rows}
    assert issuers["issuing-root"] == "self-signed"
    assert issuers["reader-root"] == "self-signed"
    assert issuers["document-signer-1"] == "issuing-root"
    assert all(issuer in issuers or issuer == "self-signed" for issuer in issuers.values())


def test_missing_part_gives_a_note_not_a_figure() -> None:
    page = diagrams_page({"enrolment": None, "nfc": None, "pki": None})
    assert page.count("has not landed yet") == 5
    assert ".. vdc-diagram::" not in page


def test_holder_session_and_personal_code_come_from_their_tables() -> None:
    from vitale_ref.holder import TRANSITIONS
    from vitale_ref.pin import CODE_TRANSITIONS, CodeState

    session = diagrams.holder_session()
    assert session is not None
    assert {state.name for state in TRANSITIONS} <= set(_texts(session.svg))
    assert sum(len(row) for row in TRANSITIONS.values()) == sum(
        1 for row in session.rows if row[0] != "any"
    )
    code = diagrams.personal_code()
    assert code is not None
    assert {state.value for state in CodeState} <= set(_texts(code.svg))
    assert len(code.rows) == len(CODE_TRANSITIONS)


def test_no_label_is_drawn_left_of_the_drawing() -> None:
    """A label left of the first state was cut by the viewBox ("ight code ...")."""
    for diagram in diagrams.all_diagrams(Path(__file__).resolve().parents[2] / "vectors").values():
        assert diagram is not None
        root = ET.fromstring(diagram.svg)
        shift = 0.0
        for group in root.iter(f"{SVG}g"):
            shift = float(group.get("transform", "translate(0,0)")[10:].split(",")[0])
        for text in root.iter(f"{SVG}text"):
            start = float(text.get("x", "0")) + shift
            if text.get("text-anchor") == "end":
                start -= svg.CHAR * len(text.text or "")
            elif text.get("text-anchor") == "middle":
                start -= svg.CHAR * len(text.text or "") / 2
            # CHAR over-estimates a glyph's advance: a few pixels of slack, not a cut word.
            assert start >= -5, (diagram.source, text.text)


def test_charts_count_areas_and_draw_every_bit_rate() -> None:
    from tools.docs import charts

    rows = [
        {"area": "NIR", "verdict": "pass", "verification": "test", "testCases": ["T"]},
        {"area": "NIR", "verdict": "fail", "verification": "test", "testCases": ["T"]},
        {"area": "PIN", "verdict": "not_tested", "verification": "inspection", "testCases": []},
    ]
    counts = charts.area_counts(rows)
    assert counts["NIR"] == {"pass": 1, "fail": 1}
    assert counts["PIN"] == {"inspection": 1}
    assert "NIR: 1 fail" in charts.area_bars(counts, ["NIR", "PIN"])
    times = charts.on_air_times(
        Path(__file__).resolve().parents[2] / "vectors" / diagrams.TRANSCRIPT
    )
    assert [kbps for kbps, _ in times] == [106, 212, 424, 848]
    assert times[0][1] > times[-1][1] > 0
    assert all(f"{kbps} kbit/s" in charts.on_air_chart(times) for kbps, _ in times)
