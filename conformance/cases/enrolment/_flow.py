"""The suite as the app, the identity services and the mailbox of an enrolment under test."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from conformance.adapters import IutBase, OperationError
from conformance.outcomes import expect
from vitale_ref.enrolment import samples
from vitale_ref.enrolment._codec import event_to_json
from vitale_ref.randomness import seeded_random

T0 = samples.T0
OPS = ["enrolment.setup", "enrolment.start", "enrolment.handle", "enrolment.observe"]


def at(seconds: float) -> str:
    return (T0 + timedelta(seconds=seconds)).isoformat()


class Flow:
    """One enrolment of the synthetic beneficiary CAMILLE on the document route."""

    def __init__(
        self,
        iut: IutBase,
        seed: str = "conformance/enrolment",
        *,
        keep: bool = False,
        at_seconds: float = 0,
    ) -> None:
        """A new enrolment; `keep` starts it in the same service (same person, later)."""
        self.iut = iut
        if not keep:
            iut.call("enrolment.setup", {"seed": seed})
        device = seeded_random(f"{seed}/{at_seconds}")
        event = event_to_json(samples.start_event(samples.CAMILLE, device))
        answer = iut.call("enrolment.start", {"event": event, "now": at(at_seconds)})
        self.id = str(answer["id"])

    def send(self, event: dict[str, Any], seconds: float) -> dict[str, Any]:
        return self.iut.call(
            "enrolment.handle", {"id": self.id, "event": event, "now": at(seconds)}
        )

    def refusal(self, event: dict[str, Any], seconds: float) -> str | None:
        """The refusal reason, or None when the event was taken."""
        try:
            self.send(event, seconds)
        except OperationError as error:
            return error.kind
        return None

    def observe(self) -> dict[str, Any]:
        return self.iut.call("enrolment.observe", {"id": self.id})

    def code(self) -> str:
        latest = self.observe()["latestCode"]
        expect(isinstance(latest, str), "no code was e-mailed", expected="a code", got=str(latest))
        return str(latest)

    def choose_document(self, seconds: float = 10) -> str:
        self.send({"event": "ChooseDocument", "document": "id-card-fr"}, seconds)
        return self.code()

    def submit(self, code: str, seconds: float) -> str | None:
        return self.refusal({"event": "SubmitCode", "code": code}, seconds)

    def new_code(self, seconds: float) -> str | None:
        return self.refusal({"event": "RequestNewCode"}, seconds)


def wrong(code: str, n: int = 0) -> str:
    """A well-formed code different from `code`."""
    return f"{(int(code) + 1 + n) % 1_000_000:06d}"


def expect_state(flow: Flow, state: str, why: str) -> None:
    got = flow.observe()["state"]
    expect(got == state, why, expected=state, got=str(got))


def expect_refusal(got: str | None, reason: str | None, why: str) -> None:
    expect(got == reason, why, expected=reason or "accepted", got=got or "accepted")


__all__ = ["OPS", "Flow", "datetime", "expect_refusal", "expect_state", "wrong"]
