"""Holder profile: what the set-up operations provision, and what comes before them
(spec/harness.md, VDC-HARN-010, VDC-HARN-012, VDC-HARN-013)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from conformance.adapters import IutBase, OperationError
from conformance.adapters.apdu import ApduIut
from conformance.cases import _material as m
from conformance.cases._checks import accepted, refused
from conformance.cases.holder._reader import provisioned
from conformance.catalogue import Parameter, param, tc
from conformance.outcomes import NotApplicable, expect
from conformance.vectors import load_document, vectors_dir
from vitale_ref.credential import ElementValue, decode_presentation, element_to_json

TYPICAL = "credential/typical.json"


def _typical() -> dict[str, Any]:
    group: dict[str, Any] = load_document(vectors_dir() / TYPICAL)["testGroups"][0]
    return group


@tc(
    "TC-HARN-060",
    title="holder.setup provisions the typical synthetic credential",
    purpose="A read of every element returns exactly the values of "
    "vectors/credential/typical.json, and the credential carries that file's validity and "
    "status reference under the issuing root holder.setup answered.",
    verifies=["VDC-HARN-010"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed",
    expected="every element value, validFrom, validUntil, listId and index as in the file",
    operations=["holder.setup", "holder.arm", "holder.transmit"],
)
def test_typical_credential(iut: IutBase) -> None:
    typical = _typical()
    holder = provisioned(iut)
    result = holder.read(list(range(1, 11)))
    got = {str(int(k)): element_to_json(cast(ElementValue, v)) for k, v in result.elements.items()}
    for key, value in typical["elements"].items():
        expect(
            got.get(key) == value,
            f"element {key} of the read differs from vectors/credential/typical.json "
            f"elements[{key}]",
            expected=str(value),
            got=str(got.get(key, "absent")),
        )
    tbs = decode_presentation(result.presentation).credential.tbs
    validity = (m.iso(tbs.valid_from), m.iso(tbs.valid_until))
    expect(
        validity == (typical["validFrom"], typical["validUntil"]),
        "CredentialTBS validFrom and validUntil differ from typical.json",
        expected=f"{typical['validFrom']} to {typical['validUntil']}",
        got=f"{validity[0]} to {validity[1]}",
    )
    status = {"listId": tbs.status.list_id, "index": tbs.status.index}
    expect(
        status == typical["status"],
        "CredentialTBS status differs from typical.json status",
        expected=str(typical["status"]),
        got=str(status),
    )


_BIRTH_FORMS = {
    "MMYYYY": "011980",
    "YYYYMM": "198001",
    "DDMMYY": "000180",
}


def _provision_codes() -> Iterable[Parameter]:
    for form, code in _BIRTH_FORMS.items():
        yield param(form, (code, "weak"), "VDC-HARN-013", "VDC-PIN-006")
    yield param("accepted", ("480715", None), "VDC-HARN-013")


@tc(
    "TC-HARN-061",
    title="pin.provision applies the choice policy with the birth date 19800100",
    purpose="The holder pin.provision sets up is the synthetic holder born 19800100: a code "
    "equal to a form of that birth date is refused as weak, another code is taken.",
    verifies=["VDC-HARN-013", "VDC-PIN-006"],
    profile="holder",
    kind="negative",
    preconditions="none",
    expected="weak for 011980, 198001 and 000180; 480715 accepted",
    operations=["pin.provision"],
    params=_provision_codes,
)
def test_provision_birth_date(iut: IutBase, param: tuple[str, str | None]) -> None:
    code, kind = param
    params = {"code": code, "now": m.iso(m.NOW)}
    note = "pin.provision checks the code against the birth date 19800100"
    if kind is None:
        accepted(iut, "pin.provision", params, note=note)
    else:
        refused(iut, "pin.provision", params, kind, note=note)


_NOW = m.iso(m.NOW)
_BEFORE_SETUP: dict[str, dict[str, Any]] = {
    "holder.arm": {"now": _NOW},
    "holder.transmit": {"apdu": "00A4040007F056495441 4C4500".replace(" ", ""), "now": _NOW},
    "holder.events": {},
    "holder.field_off": {},
    "pin.unlock": {"code": "480715", "now": _NOW},
    "pin.armed": {"now": _NOW},
    "history.list": {"now": _NOW},
}


def _operations() -> Iterable[Parameter]:
    for operation, params in _BEFORE_SETUP.items():
        yield param(operation, (operation, params), "VDC-HARN-012")


@tc(
    "TC-HARN-062",
    title="Holder operations before their set-up answer not_set_up",
    purpose="After a reset, each holder operation that needs holder.setup or pin.provision "
    "answers the error kind not_set_up, not a result and not another kind.",
    verifies=["VDC-HARN-012", "VDC-TRN-014"],
    profile="holder",
    kind="negative",
    preconditions="a reset implementation (no set-up since)",
    expected="error kind not_set_up for each operation",
    operations=[],
    params=_operations,
)
def test_not_set_up(iut: IutBase, param: tuple[str, dict[str, Any]]) -> None:
    operation, params = param
    if operation not in iut.hello().operations:
        raise NotApplicable(f"operation not supported: {operation}")
    if "reset" not in iut.hello().operations:
        raise NotApplicable("the implementation cannot be reset before the case")
    if operation == "holder.transmit" and isinstance(iut, ApduIut):
        # Behind a reader an APDU always gets a status word, not a driver error: a holder
        # not set up is a device without the application (VDC-TRN-014).
        response = str(iut.call(operation, params)["response"]).upper()
        expect(
            response == "6A82",
            "SELECT before the set-up, through a reader: not answered as a device without "
            "the application (VDC-TRN-014)",
            expected="response 6A82",
            got=f"response {response}",
            requirements=["VDC-TRN-014"],
        )
        return
    try:
        result = iut.call(operation, params)
    except OperationError as error:
        expect(
            error.kind == "not_set_up",
            f"{operation} before its set-up: error.kind differs (VDC-HARN-012)",
            expected="error kind not_set_up",
            got=f"error kind {error.kind}: {error.message}",
        )
        return
    expect(
        False,
        f"{operation} before its set-up answered a result (VDC-HARN-012)",
        expected="error kind not_set_up",
        got=f"result {result}"[:300],
    )
