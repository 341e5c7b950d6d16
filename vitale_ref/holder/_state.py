"""The holder's APDU session as a transition table (VDC-NFC-060..064).

`TRANSITIONS[state][instruction]` is the state after that command succeeds; an
instruction missing from a state's row is answered 6985 without any change. GET RESPONSE
is allowed in every state and changes none. `ENDS_SESSION` lists the outcomes after which
the session keys are erased and the state returns to IDLE.
"""

from __future__ import annotations

from enum import Enum

from vitale_ref.apdu import INS, SW


class State(Enum):
    IDLE = "idle"
    SELECTED = "selected"
    ESTABLISHED = "established"
    READ_DONE = "read-done"
    CLOSED = "closed"


TRANSITIONS: dict[State, dict[INS, State]] = {
    State.IDLE: {INS.SELECT: State.SELECTED},
    State.SELECTED: {INS.SELECT: State.SELECTED, INS.ESTABLISH: State.ESTABLISHED},
    State.ESTABLISHED: {INS.SELECT: State.SELECTED, INS.READ: State.READ_DONE},
    State.READ_DONE: {
        INS.SELECT: State.SELECTED,
        INS.RECEIPT: State.CLOSED,
        INS.GET_SIGNER_CHAIN: State.READ_DONE,  # version 2 sessions only (VDC-NFC-073)
    },
    State.CLOSED: {INS.SELECT: State.SELECTED},
}

ENDS_SESSION: frozenset[tuple[INS, SW]] = frozenset(
    {
        (INS.ESTABLISH, SW.AUTH_FAILED),
        (INS.READ, SW.SM_DATA_INCORRECT),
        (INS.RECEIPT, SW.SM_DATA_INCORRECT),
    }
)


def allowed(state: State, ins: INS) -> bool:
    return ins is INS.GET_RESPONSE or ins in TRANSITIONS[state]


def mermaid() -> str:
    """The state table as a Mermaid state diagram, for the documentation."""
    lines = ["stateDiagram-v2", "    [*] --> IDLE"]
    for state, row in TRANSITIONS.items():
        for ins, target in row.items():
            lines.append(f"    {state.name} --> {target.name}: {ins.name}")
    for ins, sw in sorted(ENDS_SESSION, key=lambda item: (item[0].value, item[1].value)):
        lines.append(f"    note right of IDLE: {ins.name} answered {sw.value:04X} ends the session")
    return "\n".join(lines) + "\n"
