"""Model-based tests of the reference enrolment service (VDC-ENR-001..063, VDC-OTP-003..014).

The rule-based machine shipped in `vitale_ref.enrolment.stateful` compares an
implementation with the compact model after every event: the reference on an in-memory
store (at least 200 examples, more under the `deep` hypothesis profile), and the
reference reopening its SQLite file before every event, as after a restart (VDC-ENR-080).
"""

from __future__ import annotations

import itertools
import os
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import run_state_machine_as_test

from vitale_ref.enrolment import EnrolmentStore, Event, Limits, StartEnrolment, samples
from vitale_ref.enrolment.stateful import ReferenceImplementation, make_state_machine

_PROFILE = settings.default
_EXAMPLES = _PROFILE.max_examples if _PROFILE is not None else 0

ReferenceMachine = make_state_machine(ReferenceImplementation)
ReferenceMachine.TestCase.settings = settings(
    max_examples=max(200, _EXAMPLES), stateful_step_count=60, deadline=None
)
TestReferenceEnrolment = ReferenceMachine.TestCase

_SHM = Path("/dev/shm")
_FILES = tempfile.TemporaryDirectory(
    prefix="vdc-stateful-", dir=_SHM if os.access(_SHM, os.W_OK) else None
)
_NUMBERS = itertools.count()


class RestartingImplementation(ReferenceImplementation):
    """The reference on a file, reopened before every event as after a restart."""

    def __init__(self) -> None:
        self.path = Path(_FILES.name) / f"service-{next(_NUMBERS)}.db"
        super().__init__(samples.make_service(seed="vdc-stateful", path=str(self.path)))

    def _reopen(self) -> None:
        self.service.store.close()
        self.service.store = EnrolmentStore(self.path)

    def start(self, event: StartEnrolment, now: datetime) -> str:
        self._reopen()
        return super().start(event, now)

    def handle(self, enrolment_id: str, event: Event, now: datetime) -> None:
        self._reopen()
        super().handle(enrolment_id, event, now)


RestartingMachine = make_state_machine(RestartingImplementation)
RestartingMachine.TestCase.settings = settings(
    max_examples=max(50, _EXAMPLES // 4), stateful_step_count=40, deadline=None
)
TestRestartingEnrolment = RestartingMachine.TestCase


def _lenient_capture_service() -> ReferenceImplementation:
    """A faulty implementation: a fourth capture attempt where the spec allows three."""
    service = samples.make_service(seed="vdc-stateful-faulty")
    service._limits = Limits(capture_attempts=4)
    return ReferenceImplementation(service)


def test_the_machine_catches_a_faulty_implementation() -> None:
    """The rule-based test has teeth: it fails on an implementation breaking VDC-ENR-035."""
    faulty = make_state_machine(_lenient_capture_service)
    quick = settings(
        max_examples=300,
        stateful_step_count=60,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    with pytest.raises(AssertionError):
        run_state_machine_as_test(faulty, settings=quick)
