"""The diagrams page: each drawing with the table it was drawn from."""

from __future__ import annotations

from tools.docs import rst
from tools.docs.diagrams import Diagram

SECTIONS = (
    (
        "enrolment",
        "Enrolment state machine",
        "Every state of an enrolment and every transition of the enrolment service's "
        "transition table (:need:`VDC-ENR-001`); an arrow's label is the event and, in "
        "brackets, the guard that selects that branch. Checks that refuse an event leave "
        "the state unchanged and are listed in the table under the drawing.",
    ),
    (
        "nfc",
        "NFC message sequence",
        "The first golden transcript of ``vectors/nfc/``: each command the reader sends "
        "and each response of the holder device, with the status word and the size on "
        "the air.",
    ),
    (
        "pki",
        "Test PKI hierarchy",
        "Every certificate of the test PKI under the certificate that issued it: the "
        "issuing hierarchy (credentials and status lists) and the reader hierarchy.",
    ),
)


def diagrams_page(found: dict[str, Diagram | None]) -> str:
    """Figures and tables for the diagrams that could be drawn; a note for the others."""
    parts = [
        ".. Generated at build time by tools/docs; do not edit.\n",
        rst.title("Diagrams"),
        "Every diagram on this page is drawn when the site is built, from the code or "
        "data it shows; none is drawn by hand, so none can drift from the implementation.\n",
    ]
    for key, heading, text in SECTIONS:
        parts.append(rst.title(heading, "-"))
        parts.append(text + "\n")
        diagram = found.get(key)
        if diagram is None:
            parts.append(
                "The part of the implementation this diagram is drawn from has not landed yet.\n"
            )
            continue
        parts.append(
            rst.directive(
                "figure",
                f"diagrams/{key}.svg",
                {"width": "100%", "alt": heading},
                f"Drawn from {rst.literal(diagram.source)}.",
            )
        )
        parts.append(
            rst.list_table(
                list(diagram.header), [[rst.text(cell) for cell in row] for row in diagram.rows]
            )
        )
    return "\n".join(parts)
