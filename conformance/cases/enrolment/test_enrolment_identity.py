"""Enrolment profile: France Identité assertions at their edges (VDC-ENR-021, VDC-ENR-023).

The suite plays the app and the simulated France Identité provider: it submits the
assertions of vectors/enrolment/france_identite.json (signed with the published test key)
to an enrolment of CAMILLE waiting for one, and one assertion it signs itself at the
largest size the rule accepts.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from conformance.adapters import IutBase
from conformance.cases._vectors import vector_params, vector_requirements
from conformance.cases.enrolment._flow import (
    OPS,
    T0,
    Flow,
    expect_refusal,
    expect_state,
    seconds,
)
from conformance.catalogue import Param, tc

ASSERTIONS = "enrolment/france_identite.json"


def _waiting(iut: IutBase, now: datetime) -> Flow:
    """CAMILLE's enrolment waiting for an assertion, 20 s before `now`."""
    moment = seconds(now)
    flow = Flow(iut, "conformance/france-identite", at_seconds=moment - 20, version=16)
    expect_refusal(flow.refusal({"event": "ChooseFranceIdentite"}, moment - 10), None, "route")
    return flow


def _submit(flow: Flow, assertion: bytes, moment: float, valid: bool) -> None:
    event = {"event": "FranceIdentiteAsserted", "assertion": assertion.hex()}
    got = flow.refusal(event, moment)
    expect_refusal(got, None if valid else "assertion-invalid", "the assertion")
    expect_state(
        flow,
        "PIN_SETUP" if valid else "FI_ASSERTION",
        "a refused assertion changed the enrolment" if not valid else "the assertion was lost",
    )


@tc(
    "TC-ENR-015",
    title="The France Identité assertion vector file",
    purpose="Each assertion of vectors/enrolment/france_identite.json is submitted, at the "
    "vector's instant, to CAMILLE's enrolment waiting for one: the genuine ones (issued "
    "now, exactly 300 s old, with an offset) lead to the personal code, the others (301 s "
    "old, from the future, another key, a changed body, no body, a body out of form) are "
    "refused assertion-invalid and change nothing.",
    verifies=vector_requirements(ASSERTIONS, "VDC-ENR-021", "VDC-ENR-023"),
    profile="enrolment",
    kind="boundary",
    preconditions="vectors/enrolment/france_identite.json; the synthetic account CAMILLE",
    expected="PIN_SETUP for valid vectors; assertion-invalid and FI_ASSERTION otherwise",
    operations=OPS,
    params=vector_params(ASSERTIONS),
)
def test_assertion_vectors(iut: IutBase, param: Any) -> None:
    now = datetime.fromisoformat(str(param.data["now"]).replace("Z", "+00:00"))
    flow = _waiting(iut, now)
    _submit(flow, bytes.fromhex(param.data["assertion"]), seconds(now), param.result == "valid")


def _largest() -> Iterable[Param]:
    yield "4096-bytes", 4096


@tc(
    "TC-ENR-016",
    title="An assertion of 4096 bytes, the largest accepted, is taken",
    purpose="A genuine assertion for CAMILLE whose JSON body is padded with spaces to a "
    "total of 4096 bytes (the tag included) passes the length check and leads to the "
    "personal code.",
    verifies=["VDC-ENR-023", "VDC-ENR-021"],
    profile="enrolment",
    kind="boundary",
    preconditions="the published test key of vectors/enrolment/france_identite.json",
    expected="PIN_SETUP",
    operations=OPS,
    params=_largest,
)
def test_largest_assertion(iut: IutBase, param: int) -> None:
    from conformance.vectors import load_document, vectors_dir

    key = bytes.fromhex(load_document(vectors_dir() / ASSERTIONS)["testGroups"][0]["key"])
    now = T0 + timedelta(hours=1)
    body = json.dumps(
        {
            "nir": "290017505612320",
            "birthDate": "1990-01-15",
            "cardIssuedOn": "2022-05-01",
            "issuedAt": now.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        }
    ).encode()
    body = body[:-1] + b" " * (param - 32 - len(body)) + b"}"
    assertion = hmac.new(key, body, hashlib.sha256).digest() + body
    flow = _waiting(iut, now)
    _submit(flow, assertion, seconds(now), True)
