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
        "holder-session",
        "Holder APDU session",
        "The holder's session as the reader drives it (:need:`VDC-NFC-060`): the command "
        "each state accepts and the state it leads to. A command missing from a state is "
        "answered 6985 without a change; the rows at the end erase the session keys.",
    ),
    (
        "personal-code",
        "Personal code and presentation window",
        "The try counter of the personal code and the 60-second presentation window "
        "(:need:`VDC-PIN-012` to :need:`VDC-PIN-017`), from the table the holder device "
        "follows; a repository test drives the device through every row.",
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


def diagrams_page(
    found: dict[str, Diagram | None], on_air: list[tuple[int, float]] | None = None
) -> str:
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
        parts.append(rst.directive("vdc-diagram", key, {}))
        parts.append(f"Drawn from {rst.literal(diagram.source)}.\n")
        parts.append(
            rst.list_table(
                list(diagram.header), [[rst.text(cell) for cell in row] for row in diagram.rows]
            )
        )
    if on_air:
        parts.append(rst.title("On-air time per bit rate", "-"))
        parts.append(
            "The modelled time on the air of the transcript above at each ISO/IEC 14443 "
            "bit rate (``vitale_ref.trace.estimate``), against the 150 ms budget of a full "
            "read with receipt (dashed line).\n"
        )
        parts.append(".. container:: vdc-diagram-box\n")
        parts.append(
            "   .. image:: /generated/charts/onair.svg\n      :class: vdc-diagram\n"
            "      :alt: on-air time per bit rate\n"
        )
        parts.append(
            rst.list_table(
                ["bit rate", "on the air"], [[f"{k} kbit/s", f"{ms:.1f} ms"] for k, ms in on_air]
            )
        )
    return "\n".join(parts)
