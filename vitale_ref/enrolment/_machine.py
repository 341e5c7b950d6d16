"""Apply one event to one enrolment by reading the table (VDC-ENR-001, VDC-ENR-003).

`apply` is pure: it returns the next record and the outputs, or raises
`EnrolmentRefusedError` having changed nothing. A `Tick` that no deadline matches, or that
reaches a state without deadlines, changes nothing and is not an error.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from vitale_ref.enrolment._effects import EFFECTS
from vitale_ref.enrolment._errors import EnrolmentRefusedError, InvalidEventError, Reason
from vitale_ref.enrolment._events import Event, Tick
from vitale_ref.enrolment._outputs import Output
from vitale_ref.enrolment._record import Enrolment
from vitale_ref.enrolment._rules import CHECKS, GUARDS, Context, Environment
from vitale_ref.enrolment._states import State
from vitale_ref.enrolment._table import TABLE, Transition


@dataclass(frozen=True, kw_only=True)
class Step:
    """The result of one applied event; `transition` is None when nothing changed."""

    record: Enrolment | None
    transition: Transition | None
    outputs: tuple[Output, ...]

    @property
    def changed(self) -> bool:
        return self.transition is not None


def _check_now(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() != timedelta(0):
        raise InvalidEventError("now must be a timezone-aware datetime in UTC")


def apply(record: Enrolment | None, event: Event, *, now: datetime, env: Environment) -> Step:
    """The next record for `event` at `now`; `record` is None before StartEnrolment."""
    _check_now(now)
    if not isinstance(event, Event):
        raise InvalidEventError(f"not an enrolment event: {type(event).__name__}")
    state = State.START if record is None else record.state
    rule = TABLE.get(state, {}).get(type(event))
    if rule is None:
        if isinstance(event, Tick):
            return Step(record=record, transition=None, outputs=())
        raise EnrolmentRefusedError(
            Reason.EVENT_OUT_OF_ORDER, f"{event.name} is not accepted in state {state}"
        )
    ctx = Context(record=record, event=event, now=now, env=env)
    for check in rule.checks:
        CHECKS[check](ctx)
    branch = next((b for b in rule.branches if GUARDS[b.guard](ctx)), None)
    if branch is None:
        return Step(record=record, transition=None, outputs=())
    for effect in branch.effects:
        EFFECTS[effect](ctx)
    current = ctx.current
    new = replace(
        current,
        state=branch.target,
        version=current.version + 1,
        last_event_at=current.last_event_at if isinstance(event, Tick) else now,
    )
    transition = Transition(
        state, event.name, rule.checks, branch.guard, branch.target, branch.effects
    )
    return Step(record=new, transition=transition, outputs=tuple(ctx.outputs))
