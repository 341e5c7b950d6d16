"""Verifier profile: certificate paths and reader authorisations (spec chapter VDC-PKI)."""

from __future__ import annotations

from typing import Any

from conformance.adapters import IutBase
from conformance.cases._checks import accepted, refused
from conformance.cases._vectors import vector_params, vector_requirements
from conformance.catalogue import tc
from conformance.outcomes import expect

CHAINS = "pki/chains.json"
AUTHORISATIONS = "pki/reader_authorisation.json"


@tc(
    "TC-PKI-001",
    title="Certificate path validation follows the vector file",
    purpose="Each path of vectors/pki/chains.json validates, or fails with the error "
    "type the vector states, for its purpose and instant.",
    verifies=vector_requirements(CHAINS, "VDC-PKI-020"),
    profile="verifier",
    kind="negative",
    preconditions="vectors/pki/chains.json is present",
    expected="valid paths accepted; invalid ones refused with errorType",
    operations=["pki.validate"],
    params=vector_params(CHAINS),
)
def test_chains(iut: IutBase, param: Any) -> None:
    data = param.data
    anchor = param.group["issuingRoot" if data["anchor"] == "issuing" else "readerRoot"]
    params = {
        "leaf": data["leaf"],
        "intermediates": list(data["intermediates"]),
        "anchor": anchor,
        "purpose": data["purpose"],
        "now": data["now"],
    }
    if param.result == "valid":
        accepted(iut, "pki.validate", params)
    else:
        refused(iut, "pki.validate", params, data["errorType"])


@tc(
    "TC-PKI-002",
    title="Reader authorisations are parsed strictly",
    purpose="Each value of vectors/pki/reader_authorisation.json gives the stated RPPS, "
    "profession and allowed elements, or fails with the stated error type.",
    verifies=vector_requirements(AUTHORISATIONS, "VDC-PKI-030", "VDC-PKI-031", "VDC-PKI-033"),
    profile="verifier",
    kind="negative",
    preconditions="vectors/pki/reader_authorisation.json is present",
    expected="the decoded fields, or errorType",
    operations=["pki.reader_authorisation"],
    params=vector_params(AUTHORISATIONS),
)
def test_reader_authorisations(iut: IutBase, param: Any) -> None:
    data = param.data
    op = "pki.reader_authorisation"
    if param.result != "valid":
        refused(iut, op, {"value": data["value"]}, data["errorType"])
        return
    result = accepted(iut, op, {"value": data["value"]})
    expect(
        result == data["expected"],
        "decoded authorisation differs",
        expected=str(data["expected"]),
        got=str(result),
    )
