"""The enrolment service of the VDC model (VDC-ENR): a table-driven, sans-I/O state machine.

`TABLE` holds every transition; `apply` is the pure machine; `EnrolmentService` adds
the SQLite store and the collaborators (account directory, identity proofing, France
Identité, credential issuer), with simulated versions for tests and the CLI.
"""

from vitale_ref.enrolment._collaborators import (
    AccountDirectory,
    CredentialIssuer,
    Decision,
    FiIdentity,
    FranceIdentiteProvider,
    IdentityProofing,
    MemoryDirectory,
    PlaceholderIssuer,
    ScriptedDecision,
    ScriptedProofing,
    SimulatedFranceIdentite,
)
from vitale_ref.enrolment._diagram import graph, mermaid
from vitale_ref.enrolment._errors import (
    EnrolmentError,
    EnrolmentRefusedError,
    InvalidEventError,
    Reason,
)
from vitale_ref.enrolment._events import (
    EVENT_TYPES,
    Cancel,
    ChooseDocument,
    ChooseFranceIdentite,
    Event,
    FirstUnlock,
    FranceIdentiteAsserted,
    PersonalCodeSet,
    RequestNewCode,
    StartEnrolment,
    SubmitCode,
    SubmitDocumentVideo,
    SubmitFaceCapture,
    Superseded,
    Tick,
    VerificationDecided,
)
from vitale_ref.enrolment._issuer import ReferenceIssuer, beneficiary_of
from vitale_ref.enrolment._machine import Step, apply
from vitale_ref.enrolment._outputs import Output
from vitale_ref.enrolment._policy import Document, EligibilityPolicy, RulesOnDay
from vitale_ref.enrolment._record import Capture, Enrolment
from vitale_ref.enrolment._rules import Account, Environment, Limits
from vitale_ref.enrolment._secrets import (
    KEY_VARIABLE,
    ServiceKeyError,
    default_key_path,
    load_service_key,
)
from vitale_ref.enrolment._service import Collaborators, EnrolmentService
from vitale_ref.enrolment._states import IN_PROGRESS, TERMINAL, Route, State
from vitale_ref.enrolment._store import (
    CredentialRow,
    EnrolmentStore,
    EnrolmentStoreError,
    OutboxMessage,
)
from vitale_ref.enrolment._table import TABLE, Check, Effect, Guard, Transition, transitions

__all__ = [
    "EVENT_TYPES",
    "IN_PROGRESS",
    "KEY_VARIABLE",
    "TABLE",
    "TERMINAL",
    "Account",
    "AccountDirectory",
    "Cancel",
    "Capture",
    "Check",
    "ChooseDocument",
    "ChooseFranceIdentite",
    "Collaborators",
    "CredentialIssuer",
    "CredentialRow",
    "Decision",
    "Document",
    "Effect",
    "EligibilityPolicy",
    "Enrolment",
    "EnrolmentError",
    "EnrolmentRefusedError",
    "EnrolmentService",
    "EnrolmentStore",
    "EnrolmentStoreError",
    "Environment",
    "Event",
    "FiIdentity",
    "FirstUnlock",
    "FranceIdentiteAsserted",
    "FranceIdentiteProvider",
    "Guard",
    "IdentityProofing",
    "InvalidEventError",
    "Limits",
    "MemoryDirectory",
    "OutboxMessage",
    "Output",
    "PersonalCodeSet",
    "PlaceholderIssuer",
    "Reason",
    "ReferenceIssuer",
    "RequestNewCode",
    "Route",
    "RulesOnDay",
    "ScriptedDecision",
    "ScriptedProofing",
    "ServiceKeyError",
    "SimulatedFranceIdentite",
    "StartEnrolment",
    "State",
    "Step",
    "SubmitCode",
    "SubmitDocumentVideo",
    "SubmitFaceCapture",
    "Superseded",
    "Tick",
    "Transition",
    "VerificationDecided",
    "apply",
    "beneficiary_of",
    "default_key_path",
    "graph",
    "load_service_key",
    "mermaid",
    "transitions",
]
