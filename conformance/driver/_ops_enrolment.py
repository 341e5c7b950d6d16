"""Enrolment operations over the reference service (VDC-ENR, VDC-OTP).

The suite plays the app (events), the identity services (their decisions arrive as
events) and the mailbox (`enrolment.observe` reads the last code e-mailed). Events use
the JSON form of spec chapter VDC-ENR (VDC-ENR-004): `{"event": name, ...members}`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from conformance.driver._state import DriverError, DriverState, Handler
from conformance.driver._wire import instant
from vitale_ref.enrolment import (
    EnrolmentError,
    EnrolmentRefusedError,
    EnrolmentService,
    StartEnrolment,
    samples,
)
from vitale_ref.enrolment._codec import event_from_json

MAIL_KINDS = ("code", "approved", "rejected", "expired")
STORE_FILE = "enrolment.sqlite3"
SEED_FILE = "enrolment.seed"


def _persistent_store() -> Path | None:
    """The service's file in the suite's folder (VDC-HARN-007), if the suite gave one."""
    given = os.environ.get("VDC_IUT_STORE")
    return Path(given) / STORE_FILE if given else None


def forget_store() -> None:
    """`reset`: a persistent service goes with the rest of the state."""
    path = _persistent_store()
    if path is not None:
        for name in (STORE_FILE, f"{STORE_FILE}-wal", f"{STORE_FILE}-journal", SEED_FILE):
            (path.parent / name).unlink(missing_ok=True)


def _service(state: DriverState) -> EnrolmentService:
    service = state.objects.get("enrolment")
    if isinstance(service, EnrolmentService):
        return service
    path = _persistent_store()
    if path is None or not path.exists():
        raise DriverError("not_set_up", "enrolment.setup has not been called since the reset")
    # A killed service started again: the same store, a fresh random source.
    seed = (path.parent / SEED_FILE).read_text(encoding="utf-8")
    reopened = samples.make_service(seed=f"{seed}/{os.getpid()}", path=str(path))
    state.objects["enrolment"] = reopened
    return reopened


def setup(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    seed = str(params.get("seed", "vdc"))
    forget_store()
    path = _persistent_store() if params.get("persistent") is True else None
    if path is not None:
        (path.parent / SEED_FILE).write_text(seed, encoding="utf-8")
    state.objects["enrolment"] = samples.make_service(seed=seed, path=str(path or ":memory:"))
    return {}


def restart(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    """The service is killed and started again over the same store (VDC-HARN-007)."""
    old = _service(state)
    fresh = samples.make_service(seed="conformance/driver/restarted")
    fresh.store.connection.close()
    fresh.store = old.store
    state.objects["enrolment"] = fresh
    return {}


def _event(params: dict[str, Any]) -> Any:
    try:
        return event_from_json(dict(params["event"]))
    except (EnrolmentError, KeyError, TypeError, ValueError) as error:
        raise DriverError("bad_request", f"malformed event: {error}") from None


def _messages(service: EnrolmentService, before: int) -> list[str]:
    return [message.kind for message in service.outbox()[before:]]


def start(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    service = _service(state)
    event = _event(params)
    if not isinstance(event, StartEnrolment):
        raise DriverError("bad_request", "enrolment.start takes a StartEnrolment event")
    before = len(service.outbox())
    try:
        record = service.start(event, now=instant(params))
    except EnrolmentRefusedError as error:
        raise DriverError(error.reason.value, error.message) from None
    return {"id": record.id, "state": record.state.value, "messages": _messages(service, before)}


def handle(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    service = _service(state)
    event = _event(params)
    before = len(service.outbox())
    try:
        step = service.handle(str(params["id"]), event, now=instant(params))
    except EnrolmentRefusedError as error:
        raise DriverError(error.reason.value, error.message) from None
    current = step.record.state.value if step.record is not None else ""
    return {"state": current, "messages": _messages(service, before)}


def observe(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    service = _service(state)
    enrolment_id = str(params["id"])
    try:
        record = service.get(enrolment_id)
    except EnrolmentRefusedError as error:
        raise DriverError(error.reason.value, error.message) from None
    try:
        code: str | None = samples.last_code(service, enrolment_id)
    except LookupError:
        code = None
    mails = [m for m in service.outbox() if m.enrolment_id == enrolment_id]
    return {
        "state": record.state.value,
        "captures": len(service.store.captures(enrolment_id)),
        "codeMails": sum(1 for m in mails if m.kind == "code"),
        "latestCode": code,
    }


def _mail(message: Any) -> dict[str, Any]:
    mail = {"kind": message.kind, "to": message.recipient}
    if message.kind == "code":
        match = re.search(r"\b(\d{6})\b", message.body)
        mail["code"] = match[1] if match else ""
    return mail


def mailbox(state: DriverState, params: dict[str, Any], transmit: object) -> dict[str, Any]:
    """Every e-mail of the enrolment as delivered, codes included (VDC-ENR-005)."""
    service = _service(state)
    enrolment_id = str(params["id"])
    try:
        service.get(enrolment_id)
    except EnrolmentRefusedError as error:
        raise DriverError(error.reason.value, error.message) from None
    mails = [m for m in service.outbox() if m.enrolment_id == enrolment_id and m.kind in MAIL_KINDS]
    return {"mails": [_mail(m) for m in mails]}


OPERATIONS: dict[str, Handler] = {
    "enrolment.mailbox": mailbox,
    "enrolment.restart": restart,
    "enrolment.setup": setup,
    "enrolment.start": start,
    "enrolment.handle": handle,
    "enrolment.observe": observe,
}
