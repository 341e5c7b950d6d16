"""Model-based test of the reference enrolment service (VDC-ENR-001..063, VDC-OTP-003..014).

The rule-based machine shipped in `vitale_ref.enrolment.stateful` compares the reference
with the compact model after every event; at least 200 examples (more under the `deep`
hypothesis profile).
"""

from __future__ import annotations

from hypothesis import settings

from vitale_ref.enrolment.stateful import ReferenceImplementation, make_state_machine

ReferenceMachine = make_state_machine(ReferenceImplementation)
_PROFILE = settings.default
ReferenceMachine.TestCase.settings = settings(
    max_examples=max(200, _PROFILE.max_examples if _PROFILE is not None else 0),
    stateful_step_count=60,
    deadline=None,
)
TestReferenceEnrolment = ReferenceMachine.TestCase
