"""Events fed to the enrolment machine: frozen, keyword-only, validated on construction.

Each event is one thing the person, the app or a collaborator did. Malformed fields
raise `InvalidEventError` at construction, so the machine only ever sees well-formed events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from vitale_ref.enrolment._errors import InvalidEventError

_OS_NAMES = ("android", "ios")
_SIDES = ("front", "back", "photo-page")
_FACE_KINDS = ("photo", "video")
_MAX_MEDIA = 1 << 20
_MAX_ASSERTION = 4096
_DOCUMENT_ID = re.compile(r"^[a-z][a-z0-9-]{1,40}$")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidEventError(message)


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every enrolment event; `name` is how tables and vectors spell it."""

    name: ClassVar[str] = "Event"


@dataclass(frozen=True, kw_only=True)
class StartEnrolment(Event):
    """The app asks to enrol this NIR on this phone (VDC-ENR-010)."""

    name: ClassVar[str] = "StartEnrolment"
    nir: str
    device_os: str
    os_version: int
    device_public_key: bytes

    def __post_init__(self) -> None:
        _require(isinstance(self.nir, str) and 0 < len(self.nir) <= 32, "nir: 1 to 32 chars")
        _require(self.device_os in _OS_NAMES, f"device_os: one of {_OS_NAMES}")
        _require(
            isinstance(self.os_version, int) and 0 <= self.os_version < 1000,
            "os_version: an integer from 0 to 999",
        )
        key = self.device_public_key
        _require(
            isinstance(key, bytes) and len(key) == 65 and key[0] == 4,
            "device_public_key: an uncompressed P-256 point (65 bytes, 04 first)",
        )


@dataclass(frozen=True, kw_only=True)
class ChooseFranceIdentite(Event):
    """The person picks the France Identité route (VDC-ENR-020)."""

    name: ClassVar[str] = "ChooseFranceIdentite"


@dataclass(frozen=True, kw_only=True)
class FranceIdentiteAsserted(Event):
    """France Identité's signed assertion, as the app relays it (VDC-ENR-021, VDC-ENR-023).

    The service checks it (`assertion-valid`) before it trusts anything it says.
    """

    name: ClassVar[str] = "FranceIdentiteAsserted"
    assertion: bytes

    def __post_init__(self) -> None:
        _require(
            isinstance(self.assertion, bytes) and 0 < len(self.assertion) <= _MAX_ASSERTION,
            f"assertion: 1 to {_MAX_ASSERTION} bytes",
        )


@dataclass(frozen=True, kw_only=True)
class ChooseDocument(Event):
    """The person picks the identity-document route with this document (VDC-ENR-030)."""

    name: ClassVar[str] = "ChooseDocument"
    document: str

    def __post_init__(self) -> None:
        _require(
            isinstance(self.document, str) and bool(_DOCUMENT_ID.match(self.document)),
            "document: a document identifier such as 'passport-fr'",
        )


@dataclass(frozen=True, kw_only=True)
class RequestNewCode(Event):
    """The person asks for a new e-mailed code (VDC-OTP-004)."""

    name: ClassVar[str] = "RequestNewCode"


@dataclass(frozen=True, kw_only=True)
class SubmitCode(Event):
    """The person types the e-mailed code."""

    name: ClassVar[str] = "SubmitCode"
    code: str

    def __post_init__(self) -> None:
        _require(isinstance(self.code, str) and len(self.code) <= 16, "code: at most 16 chars")


@dataclass(frozen=True, kw_only=True)
class SubmitDocumentVideo(Event):
    """A video of the document; `usable` is the app's quality check (VDC-ENR-033)."""

    name: ClassVar[str] = "SubmitDocumentVideo"
    sides: tuple[str, ...]
    usable: bool
    media: bytes

    def __post_init__(self) -> None:
        _require(
            isinstance(self.sides, tuple)
            and 0 < len(self.sides) <= 3
            and all(side in _SIDES for side in self.sides)
            and len(set(self.sides)) == len(self.sides),
            f"sides: distinct values among {_SIDES}",
        )
        _require(isinstance(self.usable, bool), "usable: a boolean")
        _require(
            isinstance(self.media, bytes) and 0 < len(self.media) <= _MAX_MEDIA,
            "media: 1 byte to 1 MiB",
        )


@dataclass(frozen=True, kw_only=True)
class SubmitFaceCapture(Event):
    """A photo or short video of the face (VDC-ENR-034)."""

    name: ClassVar[str] = "SubmitFaceCapture"
    kind: str
    usable: bool
    media: bytes

    def __post_init__(self) -> None:
        _require(self.kind in _FACE_KINDS, f"kind: one of {_FACE_KINDS}")
        _require(isinstance(self.usable, bool), "usable: a boolean")
        _require(
            isinstance(self.media, bytes) and 0 < len(self.media) <= _MAX_MEDIA,
            "media: 1 byte to 1 MiB",
        )


@dataclass(frozen=True, kw_only=True)
class PersonalCodeSet(Event):
    """The holder app reports a personal code chosen and stored on the phone (VDC-ENR-040).

    The code itself never reaches the enrolment service.
    """

    name: ClassVar[str] = "PersonalCodeSet"


@dataclass(frozen=True, kw_only=True)
class VerificationDecided(Event):
    """The identity-proofing service decided (VDC-ENR-050)."""

    name: ClassVar[str] = "VerificationDecided"
    approved: bool
    reason: str = ""

    def __post_init__(self) -> None:
        _require(isinstance(self.approved, bool), "approved: a boolean")
        _require(isinstance(self.reason, str) and len(self.reason) <= 200, "reason: <= 200 chars")


@dataclass(frozen=True, kw_only=True)
class FirstUnlock(Event):
    """The holder opened the app with the personal code after approval (VDC-ENR-052)."""

    name: ClassVar[str] = "FirstUnlock"


@dataclass(frozen=True, kw_only=True)
class Tick(Event):
    """Time passed: the service re-evaluates the deadlines at `now` (VDC-ENR-060)."""

    name: ClassVar[str] = "Tick"


@dataclass(frozen=True, kw_only=True)
class Cancel(Event):
    """The person cancels the enrolment (VDC-ENR-063)."""

    name: ClassVar[str] = "Cancel"


@dataclass(frozen=True, kw_only=True)
class Superseded(Event):
    """Internal: a newer phone of the same person was activated (VDC-ENR-013)."""

    name: ClassVar[str] = "Superseded"


EVENT_TYPES: tuple[type[Event], ...] = (
    StartEnrolment,
    ChooseFranceIdentite,
    FranceIdentiteAsserted,
    ChooseDocument,
    RequestNewCode,
    SubmitCode,
    SubmitDocumentVideo,
    SubmitFaceCapture,
    PersonalCodeSet,
    VerificationDecided,
    FirstUnlock,
    Tick,
    Cancel,
    Superseded,
)
