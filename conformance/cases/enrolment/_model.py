"""The shipped enrolment model test (vitale_ref.enrolment.stateful) over the driver protocol."""

from __future__ import annotations

from datetime import datetime

from hypothesis.stateful import RuleBasedStateMachine

from conformance.adapters import IutBase, OperationError
from conformance.outcomes import CaseFailure
from vitale_ref.enrolment import EnrolmentRefusedError, Event, Reason, StartEnrolment
from vitale_ref.enrolment._codec import event_to_json
from vitale_ref.enrolment.stateful import make_state_machine

_REASONS = {reason.value: reason for reason in Reason}


class IutEnrolment:
    """An enrolment implementation under test, seen through enrolment.* operations."""

    def __init__(self, iut: IutBase) -> None:
        self.iut = iut
        iut.call("enrolment.setup", {"seed": "vdc-stateful"})

    def _call(self, operation: str, params: dict[str, object]) -> dict[str, object]:
        try:
            return self.iut.call(operation, params)
        except OperationError as error:
            reason = _REASONS.get(error.kind)
            if reason is None:
                raise CaseFailure(
                    f"{operation} answered an error kind that is no refusal reason",
                    expected="a reason of the VDC-ENR refusal table",
                    got=error.kind,
                ) from None
            raise EnrolmentRefusedError(reason, error.message) from None

    def start(self, event: StartEnrolment, now: datetime) -> str:
        answer = self._call(
            "enrolment.start", {"event": event_to_json(event), "now": now.isoformat()}
        )
        return str(answer["id"])

    def handle(self, enrolment_id: str, event: Event, now: datetime) -> None:
        params: dict[str, object] = {
            "id": enrolment_id,
            "event": event_to_json(event),
            "now": now.isoformat(),
        }
        self._call("enrolment.handle", params)

    def _observe(self, enrolment_id: str) -> dict[str, object]:
        return self.iut.call("enrolment.observe", {"id": enrolment_id})

    def state(self, enrolment_id: str) -> str:
        return str(self._observe(enrolment_id)["state"])

    def capture_count(self, enrolment_id: str) -> int:
        return int(str(self._observe(enrolment_id)["captures"]))

    def code_mail_count(self, enrolment_id: str) -> int:
        return int(str(self._observe(enrolment_id)["codeMails"]))

    def latest_code(self, enrolment_id: str) -> str | None:
        code = self._observe(enrolment_id)["latestCode"]
        return None if code is None else str(code)


def machine_for(iut: IutBase) -> type[RuleBasedStateMachine]:
    return make_state_machine(lambda: IutEnrolment(iut))
