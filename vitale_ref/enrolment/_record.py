"""The enrolment record the service keeps, and its JSON form for storage.

Biometric media are not in the record: only the kind and time of each capture, so the
deletion deadlines can be checked (VDC-ENR-070); the media themselves live in the
service's capture store and are deleted with the record's `captures`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from vitale_ref.enrolment._states import Route, State
from vitale_ref.otp import OtpState


@dataclass(frozen=True, kw_only=True)
class Capture:
    """One kept capture: `document` or `face`, and when it was taken."""

    kind: str
    captured_at: datetime


@dataclass(frozen=True, kw_only=True)
class Enrolment:
    """One enrolment of one phone for one person; `version` counts applied transitions."""

    id: str
    version: int
    state: State
    nir: str
    birth_date: date
    department: str
    email: str
    device_os: str
    os_version: int
    device_public_key: bytes
    created_at: datetime
    last_event_at: datetime
    route: Route | None = None
    document: str | None = None
    otp: OtpState = field(default_factory=OtpState)
    captures: tuple[Capture, ...] = ()
    capture_failures: int = 0
    pending_since: datetime | None = None
    decided_at: datetime | None = None
    outcome: str = ""


def _dt(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse_dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _required_dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


def to_json(record: Enrolment) -> dict[str, Any]:
    """A JSON-ready dict; `from_json(to_json(r)) == r`."""
    otp = record.otp
    return {
        "id": record.id,
        "version": record.version,
        "state": record.state.value,
        "nir": record.nir,
        "birth_date": record.birth_date.isoformat(),
        "department": record.department,
        "email": record.email,
        "device_os": record.device_os,
        "os_version": record.os_version,
        "device_public_key": record.device_public_key.hex(),
        "created_at": record.created_at.isoformat(),
        "last_event_at": record.last_event_at.isoformat(),
        "route": None if record.route is None else record.route.value,
        "document": record.document,
        "otp": {
            "code_mac": None if otp.code_mac is None else otp.code_mac.hex(),
            "issued_at": _dt(otp.issued_at),
            "tries_left": otp.tries_left,
            "issued": [t.isoformat() for t in otp.issued],
            "consecutive_failures": otp.consecutive_failures,
            "locked_until": _dt(otp.locked_until),
        },
        "captures": [
            {"kind": c.kind, "captured_at": c.captured_at.isoformat()} for c in record.captures
        ],
        "capture_failures": record.capture_failures,
        "pending_since": _dt(record.pending_since),
        "decided_at": _dt(record.decided_at),
        "outcome": record.outcome,
    }


def otp_from_json(data: dict[str, Any]) -> OtpState:
    return OtpState(
        code_mac=None if data["code_mac"] is None else bytes.fromhex(data["code_mac"]),
        issued_at=_parse_dt(data["issued_at"]),
        tries_left=data["tries_left"],
        issued=tuple(_required_dt(t) for t in data["issued"]),
        consecutive_failures=data["consecutive_failures"],
        locked_until=_parse_dt(data["locked_until"]),
    )


def from_json(data: dict[str, Any]) -> Enrolment:
    return Enrolment(
        id=data["id"],
        version=data["version"],
        state=State(data["state"]),
        nir=data["nir"],
        birth_date=date.fromisoformat(data["birth_date"]),
        department=data["department"],
        email=data["email"],
        device_os=data["device_os"],
        os_version=data["os_version"],
        device_public_key=bytes.fromhex(data["device_public_key"]),
        created_at=_required_dt(data["created_at"]),
        last_event_at=_required_dt(data["last_event_at"]),
        route=None if data["route"] is None else Route(data["route"]),
        document=data["document"],
        otp=otp_from_json(data["otp"]),
        captures=tuple(
            Capture(kind=c["kind"], captured_at=_required_dt(c["captured_at"]))
            for c in data["captures"]
        ),
        capture_failures=data["capture_failures"],
        pending_since=_parse_dt(data["pending_since"]),
        decided_at=_parse_dt(data["decided_at"]),
        outcome=data["outcome"],
    )
