"""The tables of spec/nfc.md and the code agree (VDC-NFC-040, VDC-NFC-060, VDC-NFC-021)."""

from __future__ import annotations

import re
from pathlib import Path

from vitale_ref.apdu import INS, INS_CLASS, NAMES, SW
from vitale_ref.holder import TRANSITIONS, State, mermaid

SPEC = (Path(__file__).resolve().parents[2] / "spec" / "nfc.md").read_text(encoding="utf-8")


def _rows(first_header: str) -> list[list[str]]:
    lines = SPEC.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_nfc_spec_state_table_matches_transitions() -> None:
    """VDC-NFC-060: every cell of the state table is the code's transition or 6985."""
    columns = [INS.SELECT, INS.ESTABLISH, INS.READ, INS.RECEIPT, INS.GET_SIGNER_CHAIN]
    by_label = {state.name.replace("_", "-"): state for state in State}
    for row in _rows("state"):
        state = by_label[row[0]]
        for ins, cell in zip(columns, row[1:], strict=True):
            expected = TRANSITIONS[state].get(ins)
            if expected is None:
                assert cell == "6985", (state, ins)
            else:
                assert cell.split(" ")[0] == expected.name.replace("_", "-"), (state, ins)


def test_nfc_spec_status_word_table_matches_code() -> None:
    """VDC-NFC-040: the status words of the table are exactly the SW enum, 61XX and 6CXX."""
    listed = {row[0].strip("`") for row in _rows("SW")}
    assert listed == {f"{sw:04X}" for sw in SW} | {"61XX", "6CXX"}


def test_nfc_spec_command_table_matches_code() -> None:
    """VDC-NFC-021: names, class and instruction bytes of the command table."""
    for row in _rows("command"):
        ins = next(i for i, name in NAMES.items() if name == row[0])
        cla = re.match(r"`([0-9A-F]{2})`", row[1])
        assert cla is not None and int(cla.group(1), 16) == INS_CLASS[ins]
        assert row[2] == f"`{ins:02X}`"


def test_nfc_state_diagram_from_the_table() -> None:
    """VDC-NFC-060: the documentation diagram is drawn from the same transition table."""
    diagram = mermaid()
    assert diagram.startswith("stateDiagram-v2\n    [*] --> IDLE\n")
    assert "    ESTABLISHED --> READ_DONE: READ\n" in diagram
    assert diagram.count(" --> ") == 1 + sum(len(row) for row in TRANSITIONS.values())
