"""The suite as the app, the identity services and the mailbox of an enrolment under test."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from conformance.adapters import IutBase, OperationError
from conformance.outcomes import expect
from vitale_ref.enrolment import Account, samples
from vitale_ref.enrolment._codec import event_to_json
from vitale_ref.randomness import seeded_random

T0 = samples.T0
OPS = ["enrolment.setup", "enrolment.start", "enrolment.handle", "enrolment.observe"]


def at(seconds: float) -> str:
    return (T0 + timedelta(seconds=seconds)).isoformat()


def seconds(moment: datetime) -> float:
    """`moment` as seconds from T0, the time base of `at` (negative before it)."""
    return (moment - T0).total_seconds()


def start_event(
    nir: str, *, seed: str = "conformance/enrolment", device_os: str = "android", version: int = 14
) -> dict[str, Any]:
    """A StartEnrolment in its JSON form from a simulated phone (any NIR, even invalid)."""
    key = samples.device_public_key(seeded_random(f"{seed}/{nir}/{device_os}/{version}"))
    return {
        "event": "StartEnrolment",
        "nir": nir,
        "deviceOs": device_os,
        "osVersion": version,
        "devicePublicKey": key.hex(),
    }


def start_refusal(iut: IutBase, event: dict[str, Any], at_seconds: float) -> str | None:
    """The refusal reason of a StartEnrolment, or None when an enrolment was created."""
    try:
        iut.call("enrolment.start", {"event": event, "now": at(at_seconds)})
    except OperationError as error:
        return error.kind
    return None


class Flow:
    """One enrolment of a synthetic beneficiary (CAMILLE unless told) on the document route."""

    def __init__(
        self,
        iut: IutBase,
        seed: str = "conformance/enrolment",
        *,
        keep: bool = False,
        at_seconds: float = 0,
        account: Account = samples.CAMILLE,
        device_os: str = "android",
        version: int = 14,
    ) -> None:
        """A new enrolment; `keep` starts it in the same service (same person, later)."""
        self.iut = iut
        if not keep:
            iut.call("enrolment.setup", {"seed": seed})
        if account is samples.CAMILLE and (device_os, version) == ("android", 14):
            device = seeded_random(f"{seed}/{at_seconds}")
            event = event_to_json(samples.start_event(samples.CAMILLE, device))
        else:
            event = start_event(account.nir, seed=seed, device_os=device_os, version=version)
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

    def captures(self) -> int:
        return int(self.observe()["captures"])

    def to_personal_code(self, seconds: float = 10) -> None:
        """Code, document video and face capture from `seconds` on, 10 s apart: PIN_SETUP."""
        code = self.choose_document(seconds)
        expect_refusal(self.submit(code, seconds + 10), None, "the right code was refused")
        self.send(VIDEO, seconds + 20)
        self.send(FACE, seconds + 30)
        expect_state(self, "PIN_SETUP", "the captures did not lead to the personal code")

    def to_pending(self, seconds: float = 10) -> float:
        """As `to_personal_code`, then the personal code set: the instant it was set."""
        self.to_personal_code(seconds)
        self.send({"event": "PersonalCodeSet"}, seconds + 40)
        expect_state(self, "VERIFICATION_PENDING", "the personal code did not start the wait")
        return seconds + 40

    def lock(self, seconds: float = 0) -> float:
        """Ten wrong codes over four codes from `seconds` on: LOCKED; the instant of the lock."""
        code = self.choose_document(seconds)
        moment = seconds
        for failure in range(10):
            if failure and failure % 3 == 0:
                moment += 1
                expect_refusal(self.new_code(moment), None, "a new code was refused")
                code = self.code()
            moment += 1
            self.submit(wrong(code, failure), moment)
        expect_state(self, "LOCKED", "ten consecutive failures did not lock")
        return moment


VIDEO = {"event": "SubmitDocumentVideo", "sides": ["front", "back"], "usable": True, "media": "00"}
FACE = {"event": "SubmitFaceCapture", "kind": "photo", "usable": True, "media": "11"}


def wrong(code: str, n: int = 0) -> str:
    """A well-formed code different from `code`."""
    return f"{(int(code) + 1 + n) % 1_000_000:06d}"


def expect_state(flow: Flow, state: str, why: str) -> None:
    got = flow.observe()["state"]
    expect(got == state, why, expected=state, got=str(got))


def expect_refusal(got: str | None, reason: str | None, why: str) -> None:
    expect(got == reason, why, expected=reason or "accepted", got=got or "accepted")


__all__ = [
    "FACE",
    "OPS",
    "VIDEO",
    "Flow",
    "datetime",
    "expect_refusal",
    "expect_state",
    "seconds",
    "start_event",
    "start_refusal",
    "wrong",
]
