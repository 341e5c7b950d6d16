"""Verifier profile: certificate paths and reader authorisations (spec chapter VDC-PKI)."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization

from conformance.adapters import IutBase
from conformance.cases import _material as m
from conformance.cases._checks import accepted, refused
from conformance.cases._vectors import vector_params, vector_requirements
from conformance.catalogue import Param, Parameter, param, tc
from conformance.outcomes import expect

CHAINS = "pki/chains.json"
AUTHORISATIONS = "pki/reader_authorisation.json"


@tc(
    "TC-PKI-001",
    title="Certificate path validation follows the vector file",
    purpose="Each path of vectors/pki/chains.json validates, or fails with the error "
    "type the vector states, for its purpose and instant.",
    verifies=vector_requirements(CHAINS, "VDC-PKI-020", "VDC-PKI-050", "VDC-PKI-051"),
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


@functools.cache
def _deep_pki() -> tuple[bytes, list[bytes], list[bytes]]:
    """A synthetic root allowing deep paths, CAs 1 to 3 in a line under it, and a document
    signer under each CA: (root DER, [CA1, CA2, CA3] DER, [leaf under CA1, CA2, CA3] DER)."""
    from vitale_ref.pki import ID_KP_DOCUMENT_SIGNING, CertificateTemplate, build_certificate
    from vitale_ref.randomness import p256_private_key, seeded_random

    start, end = m.NOW - timedelta(days=30), m.NOW + timedelta(days=365)

    def make(name: str, issuer: Any, *, ca: bool, depth: int) -> Any:
        key = p256_private_key(seeded_random(f"conformance/deep-pki/{name}"))
        template = CertificateTemplate(
            common_name=f"Deep {name} (synthetic)",
            public_key=key.public_key(),
            serial=7000 + sum(name.encode()),
            not_before=start,
            not_after=end,
            ca=ca,
            path_length=5 - depth if ca else None,
            extended_key_usage=() if ca else (ID_KP_DOCUMENT_SIGNING,),
        )
        signer_key, signer_cert = issuer if issuer is not None else (key, None)
        return key, build_certificate(template, signer_key, signer_cert)

    def der_of(pair: Any) -> bytes:
        return bytes(pair[1].public_bytes(serialization.Encoding.DER))

    root = make("root", None, ca=True, depth=0)
    cas, leaves, issuer = [], [], root
    for depth in (1, 2, 3):
        issuer = make(f"ca-{depth}", issuer, ca=True, depth=depth)
        cas.append(issuer)
        leaves.append(make(f"leaf-{depth}", issuer, ca=False, depth=depth + 1))
    return der_of(root), [der_of(c) for c in cas], [der_of(leaf) for leaf in leaves]


def _depths() -> Iterable[Param]:
    yield "three-certificates", (1, None, False)
    yield "four-certificates", (2, None, False)
    yield "four-certificates-beside-an-unrelated-one", (2, None, True)
    yield "five-certificates", (3, "PathError", False)


@tc(
    "TC-PKI-004",
    title="A path of four certificates is built, one of five is refused",
    purpose="Under a trust anchor whose constraints allow deep paths, a document signer "
    "reached through one or two CAs validates (three or four certificates with the anchor), "
    "also when an unrelated certificate is supplied first among the intermediates; through "
    "three CAs the path has five certificates and is refused with PathError. The path "
    "length reported counts the leaf and the anchor, not the unrelated certificate.",
    verifies=["VDC-PKI-020", "VDC-PKI-028"],
    profile="verifier",
    kind="boundary",
    preconditions="a synthetic root with path length 5 and CAs in a line below it",
    expected="accepted with pathLength 3 and 4 for three and four certificates; PathError for five",
    operations=["pki.validate"],
    params=_depths,
)
def test_path_length(iut: IutBase, param: tuple[int, str | None, bool]) -> None:
    cas_below, error, unrelated = param
    root, cas, leaves = _deep_pki()
    # The path is built by issuer and subject name: a certificate that names neither is
    # passed over (leaf 1 is issued by CA 1 and issues nothing).
    extra = [leaves[0]] if unrelated else []
    params = {
        "leaf": leaves[cas_below - 1].hex().upper(),
        "intermediates": [c.hex().upper() for c in [*extra, *reversed(cas[:cas_below])]],
        "anchor": root.hex().upper(),
        "purpose": "DOCUMENT_SIGNING",
        "now": m.iso(m.NOW),
    }
    if error is None:
        length = accepted(iut, "pki.validate", params).get("pathLength")
        expect(
            length == cas_below + 2,
            "pki.validate result.pathLength: the certificates of the path built, leaf and "
            "trust anchor included, an unrelated intermediate left out (VDC-PKI-028)",
            expected=str(cas_below + 2),
            got=repr(length),
        )
    else:
        refused(iut, "pki.validate", params, error)


@functools.cache
def _odd_anchors() -> dict[str, tuple[bytes, bytes]]:
    """Self-signed anchors that break one issuer rule each, and a document signer under
    each: name -> (anchor DER, leaf DER)."""
    from cryptography import x509

    from vitale_ref.pki import ID_KP_DOCUMENT_SIGNING, CertificateTemplate, build_certificate
    from vitale_ref.randomness import p256_private_key, seeded_random

    start, end = m.NOW - timedelta(days=30), m.NOW + timedelta(days=365)
    signing = x509.KeyUsage(True, False, False, False, False, False, False, False, False)
    cert_sign = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
    not_ca = x509.BasicConstraints(ca=False, path_length=None)
    variants: dict[str, dict[str, Any]] = {
        "proper-ca": {"ca": True},
        "no-basic-constraints": {"ca": False, "key_usage": cert_sign},
        "cA-false": {"ca": False, "key_usage": cert_sign, "extra_extensions": ((not_ca, True),)},
        "no-keyCertSign": {"ca": True, "key_usage": signing},
    }
    built = {}
    for name, changes in variants.items():
        key = p256_private_key(seeded_random(f"conformance/odd-anchor/{name}"))
        anchor = build_certificate(
            CertificateTemplate(
                common_name=f"Anchor {name} (synthetic)",
                public_key=key.public_key(),
                serial=8000 + sum(name.encode()),
                not_before=start,
                not_after=end,
                **changes,
            ),
            key,
        )
        leaf_key = p256_private_key(seeded_random(f"conformance/odd-anchor/{name}/leaf"))
        leaf = build_certificate(
            CertificateTemplate(
                common_name=f"Signer under {name} (synthetic)",
                public_key=leaf_key.public_key(),
                serial=8100 + sum(name.encode()),
                not_before=start,
                not_after=end,
                extended_key_usage=(ID_KP_DOCUMENT_SIGNING,),
            ),
            key,
            anchor,
        )
        built[name] = (
            anchor.public_bytes(serialization.Encoding.DER),
            leaf.public_bytes(serialization.Encoding.DER),
        )
    return built


def _issuers() -> Iterable[Parameter]:
    yield param("proper-ca", ("proper-ca", None), "VDC-PKI-022", "VDC-PKI-023")
    yield param(
        "no-basic-constraints", ("no-basic-constraints", "BasicConstraintsError"), "VDC-PKI-022"
    )
    yield param("cA-false", ("cA-false", "BasicConstraintsError"), "VDC-PKI-022")
    yield param("no-keyCertSign", ("no-keyCertSign", "KeyUsageError"), "VDC-PKI-023")


@tc(
    "TC-PKI-005",
    title="Only a CA with keyCertSign issues: the trust anchor too",
    purpose="A document signer issued by a trust anchor that is a CA with keyCertSign "
    "validates; issued by an anchor without basicConstraints, with cA FALSE, or without "
    "keyCertSign, it is refused with BasicConstraintsError or KeyUsageError.",
    verifies=["VDC-PKI-022", "VDC-PKI-023"],
    profile="verifier",
    kind="negative",
    preconditions="synthetic self-signed anchors, each breaking one issuer rule",
    expected="accepted under the proper CA; the named error under each other anchor",
    operations=["pki.validate"],
    params=_issuers,
)
def test_issuer_rules(iut: IutBase, param: tuple[str, str | None]) -> None:
    name, error = param
    anchor, leaf = _odd_anchors()[name]
    params = {
        "leaf": leaf.hex().upper(),
        "intermediates": [],
        "anchor": anchor.hex().upper(),
        "purpose": "DOCUMENT_SIGNING",
        "now": m.iso(m.NOW),
    }
    if error is None:
        accepted(iut, "pki.validate", params)
    else:
        refused(iut, "pki.validate", params, error)
