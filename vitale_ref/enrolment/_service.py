"""The enrolment service: the pure machine, its collaborators and its SQLite store.

Every event is applied inside one transaction: load, apply, write the record and every
output (VDC-ENR-080). A refused event raises before anything is written. `process(now)`
is what a scheduler runs: hand pending verifications to the identity-proofing service,
feed back its decisions, and let deadlines fire (VDC-ENR-060).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from vitale_ref.enrolment._collaborators import (
    AccountDirectory,
    CredentialIssuer,
    FranceIdentiteProvider,
    IdentityProofing,
    MemoryDirectory,
    PlaceholderIssuer,
    ScriptedProofing,
    SimulatedFranceIdentite,
)
from vitale_ref.enrolment._errors import EnrolmentRefusedError, Reason
from vitale_ref.enrolment._events import (
    Event,
    FranceIdentiteAsserted,
    StartEnrolment,
    Superseded,
    Tick,
    VerificationDecided,
)
from vitale_ref.enrolment._machine import Step, apply
from vitale_ref.enrolment._nir import canonical_nir
from vitale_ref.enrolment._outputs import (
    CapturesDeleted,
    CaptureStored,
    CardActivated,
    CredentialRevoked,
    Mail,
    Output,
    VerificationRequested,
)
from vitale_ref.enrolment._policy import EligibilityPolicy
from vitale_ref.enrolment._record import Enrolment
from vitale_ref.enrolment._rules import Environment, Limits
from vitale_ref.enrolment._secrets import OutboxSeal
from vitale_ref.enrolment._states import IN_PROGRESS, State
from vitale_ref.enrolment._store import EnrolmentStore, OutboxMessage
from vitale_ref.otp import DEFAULT_POLICY, OtpPolicy, OtpState
from vitale_ref.randomness import RandomSource, system_random


@dataclass(kw_only=True)
class Collaborators:
    """The swappable services; the defaults are the simulations."""

    directory: AccountDirectory = field(default_factory=MemoryDirectory)
    proofing: IdentityProofing = field(default_factory=ScriptedProofing)
    france_identite: FranceIdentiteProvider = field(default_factory=SimulatedFranceIdentite)
    issuer: CredentialIssuer = field(default_factory=PlaceholderIssuer)


class EnrolmentService:
    """Enrolments of one issuer, persisted in `store`."""

    def __init__(
        self,
        store: EnrolmentStore,
        *,
        otp_key: bytes,
        collaborators: Collaborators | None = None,
        policy: EligibilityPolicy | None = None,
        random: RandomSource = system_random,
        limits: Limits | None = None,
        otp_policy: OtpPolicy = DEFAULT_POLICY,
    ) -> None:
        self.store = store
        self.collaborators = collaborators or Collaborators()
        self.policy = policy or EligibilityPolicy.load_default()
        self._otp_key = otp_key
        self._seal = OutboxSeal(otp_key)  # VDC-OTP-015: no code readable from the store
        self._random = random
        self._limits = limits or Limits()
        self._otp_policy = otp_policy
        self.side_steps: list[Step] = []
        """Transitions of other enrolments made by the last event (a replaced card)."""

    def _environment(self, now: datetime, **facts: object) -> Environment:
        return Environment(
            rules=self.policy.on(now.date()),
            random=self._random,
            otp_key=self._otp_key,
            limits=self._limits,
            otp_policy=self._otp_policy,
            france_identite=self.collaborators.france_identite.verify,
            **facts,  # type: ignore[arg-type]
        )

    def start(self, event: StartEnrolment, *, now: datetime) -> Enrolment:
        """Create an enrolment, or raise EnrolmentRefusedError (VDC-ENR-010..012)."""
        self.side_steps = []  # as in handle: only the steps this event caused
        try:
            nir = canonical_nir(event.nir)
        except EnrolmentRefusedError:
            nir = ""
        with self.store.transaction():
            earlier = self.store.for_nir(nir) if nir else []
            env = self._environment(
                now,
                account=self.collaborators.directory.lookup(nir) if nir else None,
                enrolment_id="enr-" + self._random(8).hex(),
                in_progress=any(e.state in IN_PROGRESS for e in earlier),
                previous_otp=earlier[-1].otp if earlier else OtpState(),
            )
            step = apply(None, event, now=now, env=env)
            self._write(step, now)
        assert step.record is not None
        return step.record

    def handle(self, enrolment_id: str, event: Event, *, now: datetime) -> Step:
        """Apply `event` to the enrolment in one transaction; refused events write nothing."""
        self.side_steps = []
        with self.store.transaction():
            record = self._load(enrolment_id)
            step = apply(record, event, now=now, env=self._environment(now))
            self._write(step, now)
        return step

    def submit_france_identite(self, enrolment_id: str, assertion: bytes, *, now: datetime) -> Step:
        """Relay a France Identité assertion; the machine checks it (VDC-ENR-021, 023)."""
        return self.handle(enrolment_id, FranceIdentiteAsserted(assertion=assertion), now=now)

    def process(self, *, now: datetime) -> list[Step]:
        """Dispatch verification requests, fire deadlines, then apply decisions."""
        proofing = self.collaborators.proofing
        for message in self.store.messages(kind="verification-request"):
            if not message.dispatched:
                proofing.submit(message.enrolment_id, now)
                with self.store.transaction():
                    self.store.mark_dispatched(message.id)
        steps = []
        # Deadlines first: a decision polled after the 48 h limit is not applied (VDC-ENR-061).
        for enrolment_id in self.store.in_progress_ids():  # the states with a Tick row
            step = self.handle(enrolment_id, Tick(), now=now)
            if step.changed:
                steps.append(step)
        for enrolment_id in self.store.ids(frozenset({State.VERIFICATION_PENDING})):
            decision = proofing.poll(enrolment_id, now)
            if decision is not None:
                event = VerificationDecided(approved=decision.approved, reason=decision.reason)
                steps.append(self.handle(enrolment_id, event, now=now))
        return steps

    def get(self, enrolment_id: str) -> Enrolment:
        return self._load(enrolment_id)

    def outbox(self, *, recipient: str | None = None) -> list[OutboxMessage]:
        """Every message written so far; the simulated mailbox of tests and the CLI."""
        return [
            replace(m, body=self._seal.open(m.id, m.body))
            for m in self.store.messages()
            if recipient in (None, m.recipient)
        ]

    def _load(self, enrolment_id: str) -> Enrolment:
        record = self.store.load(enrolment_id)
        if record is None:
            raise EnrolmentRefusedError(Reason.UNKNOWN_ENROLMENT, f"no enrolment {enrolment_id!r}")
        return record

    def _write(self, step: Step, now: datetime) -> None:
        record = step.record
        if not step.changed or record is None:
            return
        self.store.save(record)
        for number, output in enumerate(step.outputs):
            self._carry_out(record, output, f"{record.id}/{record.version}/{number}", now)

    def _carry_out(self, record: Enrolment, output: Output, message_id: str, now: datetime) -> None:
        store = self.store
        if isinstance(output, Mail):
            store.add_message(
                OutboxMessage(
                    id=message_id,
                    enrolment_id=record.id,
                    kind=output.kind,
                    recipient=output.to,
                    subject=output.subject,
                    body=self._seal.seal(message_id, output.body),
                    created_at=now,
                    dispatched=False,
                )
            )
        elif isinstance(output, VerificationRequested):
            store.add_message(
                OutboxMessage(
                    id=message_id,
                    enrolment_id=record.id,
                    kind="verification-request",
                    recipient="identity-proofing",
                    subject="verify captures",
                    body=self._seal.seal(message_id, record.id),
                    created_at=now,
                    dispatched=False,
                )
            )
        elif isinstance(output, CaptureStored):
            store.add_capture(record.id, output.kind, now, output.media)
        elif isinstance(output, CapturesDeleted):
            store.delete_captures(record.id)
        elif isinstance(output, CardActivated):
            self._activate(record, now)
        elif isinstance(output, CredentialRevoked):
            store.revoke_credential(record.id)

    def _activate(self, record: Enrolment, now: datetime) -> None:
        # VDC-ENR-013: one active card per person; the older phone's credential is revoked
        # in the same transaction as the new one is issued.
        for other in self.store.for_nir(record.nir):
            if other.id != record.id and other.state is State.ACTIVE:
                step = apply(other, Superseded(), now=now, env=self._environment(now))
                self._write(step, now)
                self.side_steps.append(step)
        account = self.collaborators.directory.lookup(record.nir)
        if account is None:
            raise EnrolmentRefusedError(
                Reason.NO_INSURANCE_ACCOUNT, "the insurance account disappeared"
            )
        index = self.store.next_status_index()
        credential = self.collaborators.issuer.issue(
            record, account=account, status_index=index, now=now
        )
        self.store.add_credential(record.id, index, credential, now)
