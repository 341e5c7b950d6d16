"""The diagrams of the site, each drawn from the code or data it shows.

- the enrolment state machine from `vitale_ref.enrolment`'s transition table;
- the NFC message sequence from the first golden transcript of vectors/nfc/;
- the PKI hierarchy from the certificates `vitale_ref.pki` generates;
- the holder's APDU session from `vitale_ref.holder`'s transition table;
- the personal code and presentation window from `vitale_ref.pin.CODE_TRANSITIONS`.

Each function returns None while the part it draws from has not landed, and the page
says so instead of showing a stale picture.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.docs import svg

PKI_SEED = "vdc-docs"
TRANSCRIPT = "nfc/transcripts.json"


@dataclass(frozen=True, kw_only=True)
class Diagram:
    """An SVG drawing and the rows of the table printed under it."""

    svg: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    source: str


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name is not None and name.startswith(error.name):
            return None
        raise


def enrolment() -> Diagram | None:
    """States and transitions of the enrolment table (VDC-ENR-001)."""
    module = _module("vitale_ref.enrolment")
    if module is None:
        return None
    states, edges = module.graph()
    terminal = sorted(str(s) for s in module.TERMINAL)
    drawing = svg.state_diagram(
        states, edges, initial=states[0], terminal=terminal, title="enrolment state machine"
    )
    rows = tuple(
        (
            str(row.source),
            row.event,
            ", ".join(str(c) for c in row.checks) or "none",
            str(row.guard),
            str(row.target),
            ", ".join(str(e) for e in row.effects) or "none",
        )
        for row in module.transitions()
    )
    header = ("state", "event", "checks", "guard", "new state", "effects")
    return Diagram(svg=drawing, header=header, rows=rows, source="vitale_ref.enrolment.TABLE")


def _command_name(apdu: bytes) -> str:
    module = _module("vitale_ref.apdu")
    ins = apdu[1] if len(apdu) > 1 else -1
    if module is not None:
        try:
            return str(module.INS(ins).name)
        except ValueError:
            pass
    return f"INS {ins:02X}"


def _sw_text(response: bytes) -> str:
    sw = int.from_bytes(response[-2:], "big") if len(response) >= 2 else 0
    module = _module("vitale_ref.apdu")
    meaning = str(module.sw_meaning(sw)) if module is not None else ""
    return f"{sw:04X} {meaning}".strip()


def nfc_sequence(vectors: Path) -> Diagram | None:
    """The first transcript of the golden NFC file, command by command."""
    path = vectors / TRANSCRIPT
    if not path.is_file():
        return None
    document = json.loads(path.read_text(encoding="utf-8"))
    test = document["testGroups"][0]["tests"][0]
    messages: list[tuple[bool, str, str]] = []
    rows: list[tuple[str, ...]] = []
    for number, exchange in enumerate(test["exchanges"], start=1):
        command = bytes.fromhex(exchange["command"])
        response = bytes.fromhex(exchange["response"])
        name = _command_name(command)
        header = command[:4].hex(" ").upper()
        messages.append((True, f"{number}. {name}  ({header}, {len(command)} bytes)", ""))
        messages.append((False, f"{_sw_text(response)}  ({len(response)} bytes)", ""))
        rows.append(
            (str(number), name, header, str(len(command)), _sw_text(response), str(len(response)))
        )
    title = f"{TRANSCRIPT} #{test['tcId']}: {test['comment']}"
    drawing = svg.sequence_diagram("Reader", "Holder device", messages, title=title)
    header_row = ("#", "command", "CLA INS P1 P2", "bytes", "status word", "bytes")
    return Diagram(svg=drawing, header=header_row, rows=tuple(rows), source=title)


def pki_hierarchy() -> Diagram | None:
    """Every certificate of the test PKI under its issuer."""
    module = _module("vitale_ref.pki")
    if module is None:
        return None
    from cryptography.x509.oid import NameOID

    pki = module.generate_test_pki(PKI_SEED)
    entities = pki.entities()
    by_subject = {e.certificate.subject.rfc4514_string(): e.name for e in entities}
    nodes: list[tuple[str, list[str], str | None]] = []
    rows: list[tuple[str, ...]] = []
    for entity in entities:
        certificate = entity.certificate
        issuer = certificate.issuer.rfc4514_string()
        parent = by_subject.get(issuer)
        parent = None if parent == entity.name else parent
        names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        common = str(names[0].value) if names else entity.name
        validity = (
            f"{certificate.not_valid_before_utc:%Y-%m-%d} to "
            f"{certificate.not_valid_after_utc:%Y-%m-%d}"
        )
        nodes.append((entity.name, [common, entity.name, validity], parent))
        rows.append((entity.name, common, parent or "self-signed", validity))
    drawing = svg.tree_diagram(nodes, title="test PKI hierarchy")
    header = ("role", "subject common name", "issued by", "validity")
    return Diagram(
        svg=drawing,
        header=header,
        rows=tuple(rows),
        source=f"vitale_ref.pki.generate_test_pki({PKI_SEED!r})",
    )


def holder_session() -> Diagram | None:
    """The holder's APDU session (VDC-NFC-060..064) from its transition table."""
    module = _module("vitale_ref.holder._state")
    if module is None:
        return None
    names = _module("vitale_ref.apdu").NAMES
    states = [state.name for state in module.State]
    edges = [
        (state.name, target.name, names[ins])
        for state, row in module.TRANSITIONS.items()
        for ins, target in row.items()
    ]
    ends = sorted(module.ENDS_SESSION, key=lambda item: (item[0].value, item[1].value))
    drawing = svg.state_diagram(
        states, edges, initial=states[0], title="holder APDU session", shared_from=9
    )
    rows = tuple((s, names_row, t) for s, t, names_row in edges)
    rows += tuple(
        ("any", f"{names[ins]} answered {sw.value:04X}", "IDLE (keys erased)") for ins, sw in ends
    )
    return Diagram(
        svg=drawing,
        header=("state", "command accepted", "new state"),
        rows=rows,
        source="vitale_ref.holder.TRANSITIONS and ENDS_SESSION",
    )


def personal_code() -> Diagram | None:
    """The personal code's try counter and the presentation window (VDC-PIN-012..017)."""
    module = _module("vitale_ref.pin")
    if module is None:
        return None
    states = [state.value for state in module.CodeState]
    edges = [(s.value, t.value, event) for s, event, t in module.CODE_TRANSITIONS]
    drawing = svg.state_diagram(
        states,
        edges,
        initial=states[0],
        terminal=[states[-1]],
        title="personal code",
        shared_from=9,
    )
    return Diagram(
        svg=drawing,
        header=("state", "event", "new state"),
        rows=tuple((s, event, t) for s, t, event in edges),
        source="vitale_ref.pin.CODE_TRANSITIONS",
    )


def all_diagrams(vectors: Path) -> dict[str, Diagram | None]:
    """Every diagram of the site by key (the file name of its drawing)."""
    return {
        "enrolment": enrolment(),
        "holder-session": holder_session(),
        "personal-code": personal_code(),
        "nfc": nfc_sequence(vectors),
        "pki": pki_hierarchy(),
    }
