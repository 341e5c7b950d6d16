"""Verifier profile: presentations of credentials (spec chapter VDC-CRED).

Each case presents synthetic material built from fixed seeds (conformance.cases._material)
and checks that the implementation accepts the valid and refuses the invalid with the
error the VDC-CRED error table names.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from conformance.adapters import IutBase
from conformance.cases import _material as m
from conformance.cases._checks import accepted, refused
from conformance.cases._vectors import vector_params, vector_requirements
from conformance.catalogue import Param, tc
from conformance.outcomes import expect

OP = "credential.verify"


def _params(presentation: bytes, **extra: Any) -> dict[str, Any]:
    material = m.material()
    params: dict[str, Any] = {
        "presentation": presentation.hex().upper(),
        "trustAnchor": material.root,
        "now": m.iso(m.NOW),
    }
    params.update(extra)
    return params


def _typical() -> bytes:
    return m.material().typical.issued.full_presentation()


def _valid() -> Iterable[Param]:
    material = m.material()
    lists = {"statusList": material.status_list.hex().upper()}
    yield "typical-full", (_params(_typical()), None)
    yield "typical-with-status", (_params(_typical(), **lists), None)
    selective = material.typical.issued.presentation([2, 4])
    yield "selective-2-4", (_params(selective, requested=[2, 4]), {"2": "EXEMPLE"})
    lunar = material.lunar.issued.full_presentation()
    yield "lunar-birth-date", (_params(lunar), {"4": "19520000"})


@tc(
    "TC-CRED-001",
    title="Valid presentations are accepted",
    purpose="A genuine presentation verifies and yields exactly the disclosed elements.",
    verifies=["VDC-CRED-040", "VDC-CRED-042", "VDC-CRED-022", "VDC-CRED-060"],
    profile="verifier",
    kind="positive",
    expected="a result with the disclosed element values",
    operations=[OP],
    params=_valid,
)
def test_valid_presentation(iut: IutBase, param: tuple[dict[str, Any], dict[str, str]]) -> None:
    params, values = param
    result = accepted(iut, OP, params)
    for element, value in (values or {}).items():
        got = result["elements"].get(element)
        expect(got == value, f"element {element} differs", expected=value, got=str(got))
    if "requested" in params:
        wanted = sorted(str(r) for r in params["requested"])
        got_ids = sorted(result["elements"])
        expect(got_ids == wanted, "other elements returned", expected=str(wanted), got=str(got_ids))


def _refusal(case_id: str, title: str, verifies: list[str], items: Any) -> None:
    def check(iut: IutBase, param: tuple[dict[str, Any], str]) -> None:
        refused(iut, OP, param[0], param[1])

    check.__name__ = f"test_{case_id.lower().replace('-', '_')}"
    check.__qualname__ = check.__name__
    globals()[check.__name__] = tc(
        case_id,
        title=title,
        purpose=f"{title}: the presentation is refused with the error the spec names.",
        verifies=verifies,
        profile="verifier",
        kind="negative",
        expected="an error of the stated kind",
        operations=[OP],
        params=items,
    )(check)


def _validity() -> Iterable[Param]:
    sample = m.material().typical
    before = sample.issued.full_presentation()
    from vitale_ref.credential import samples

    late = m.iso(samples.VALID_UNTIL + timedelta(seconds=1))
    early = m.iso(samples.VALID_FROM - timedelta(seconds=1))
    yield "expired", (_params(before, now=late), "CredentialExpiredError")
    yield "not-yet-valid", (_params(before, now=early), "CredentialNotYetValidError")


def _chain() -> Iterable[Param]:
    reader_root = m.der(m.material().pki.reader_root.certificate)
    yield "other-root", (_params(_typical(), trustAnchor=m.other_root()), "CertificateChainError")
    yield "reader-root", (_params(_typical(), trustAnchor=reader_root), "CertificateChainError")


def _signature() -> Iterable[Param]:
    from vitale_ref.credential import decode_presentation

    signature = decode_presentation(_typical()).credential.signature
    flipped = signature[:-1] + bytes([signature[-1] ^ 1])
    yield "flipped-bit", (_params(m.with_signature(_typical(), flipped)), "IssuerSignatureError")
    zero = bytes(len(signature))
    yield "zeros", (_params(m.with_signature(_typical(), zero)), "IssuerSignatureError")


def _digests() -> Iterable[Param]:
    material = m.material()
    elements = material.typical.issued.elements
    family = next(e for i, e in elements.items() if int(i) == 2)
    salt = family.salt
    forged = family.encoding.replace(salt, bytes([salt[0] ^ 0x80]) + salt[1:])
    yield "forged-salt", (_params(m.with_disclosed(_typical(), [forged])), "DigestMismatchError")
    renamed = family.encoding.replace(b"EXEMPLE", b"EXEMPLA")
    yield "changed-value", (_params(m.with_disclosed(_typical(), [renamed])), "DigestMismatchError")


def _undigested() -> Iterable[Param]:
    material = m.material()
    minors = next(e for i, e in material.typical.issued.elements.items() if int(i) == 10)
    revoked = material.revoked.issued.presentation([2])
    presentation = m.with_disclosed(revoked, [minors.encoding])
    yield "element-from-another-credential", (_params(presentation), "DisclosureError")


def _missing() -> Iterable[Param]:
    selective = m.material().typical.issued.presentation([2])
    yield "nir-requested-not-sent", (_params(selective, requested=[1, 2]), "MissingElementError")


def _revoked() -> Iterable[Param]:
    material = m.material()
    data = material.revoked.issued.full_presentation()
    status = material.status_list.hex().upper()
    yield "revoked-index", (_params(data, statusList=status), "CredentialRevokedError")


def _status_lists() -> Iterable[Param]:
    material = m.material()
    for name, blob in (
        ("other-list-id", material.other_list),
        ("stale-list", material.stale_list),
        ("signed-by-document-signer", material.list_by_wrong_signer),
        ("flipped-signature", m.list_with_bad_signature(material.status_list)),
    ):
        yield name, (_params(_typical(), statusList=blob.hex().upper()), "StatusListError")


def _encodings() -> Iterable[Param]:
    data = _typical()
    yield "truncated", (_params(data[:-1]), "CredentialEncodingError")
    yield "trailing-byte", (_params(data + b"\x00"), "CredentialEncodingError")
    yield "empty", (_params(b""), "CredentialEncodingError")
    long_form = b"\x30\x82" + len(data[4:]).to_bytes(2, "big") + data[4:]
    if data[1] == 0x82:
        long_form = b"\x30\x83\x00" + data[2:]
    yield "non-minimal-length", (_params(long_form), "CredentialEncodingError")


_refusal("TC-CRED-002", "Expired or not yet valid", ["VDC-CRED-043", "VDC-CRED-012"], _validity)
_refusal("TC-CRED-003", "Untrusted document-signer chain", ["VDC-CRED-041"], _chain)
_refusal("TC-CRED-004", "Bad issuer signature", ["VDC-CRED-042", "VDC-CRED-040"], _signature)
_refusal("TC-CRED-005", "Disclosed element altered", ["VDC-CRED-045", "VDC-CRED-015"], _digests)
_refusal("TC-CRED-006", "Disclosed element without digest", ["VDC-CRED-044"], _undigested)
_refusal("TC-CRED-007", "Requested element not disclosed", ["VDC-CRED-017"], _missing)
_refusal("TC-CRED-008", "Revoked credential", ["VDC-CRED-053", "VDC-CRED-014"], _revoked)
_refusal(
    "TC-CRED-009",
    "Unusable status list",
    ["VDC-CRED-050", "VDC-CRED-051", "VDC-CRED-052"],
    _status_lists,
)
_refusal("TC-CRED-010", "Malformed DER", ["VDC-CRED-030", "VDC-CRED-001"], _encodings)


def _bindings() -> Iterable[Param]:
    material = m.material()
    message = b"synthetic session transcript"
    good = _raw(material.typical.device_key.sign(message, ec.ECDSA(hashes.SHA256())))
    other = _raw(material.lunar.device_key.sign(message, ec.ECDSA(hashes.SHA256())))
    yield "genuine", (message, good, None)
    yield "other-device-key", (message, other, "DeviceBindingError")
    yield "other-message", (b"replayed transcript", good, "DeviceBindingError")
    yield "zero-r", (message, bytes(32) + good[32:], "DeviceBindingError")


def _raw(der_signature: bytes) -> bytes:
    """r || s, the one signature format of VDC messages (VDC-SM-004)."""
    r, s = decode_dss_signature(der_signature)
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


@tc(
    "TC-CRED-011",
    title="The presentation is bound to the device key",
    purpose="Only a signature by the credential's device key over binding.message, sent as "
    "binding.signature in the r || s form of VDC-SM-004 (64 bytes, not DER), verifies.",
    verifies=["VDC-CRED-046", "VDC-CRED-013"],
    profile="verifier",
    kind="negative",
    expected="genuine r || s signature accepted; another key, another message or r = 0 "
    "refused with DeviceBindingError",
    operations=[OP],
    params=_bindings,
)
def test_device_binding(iut: IutBase, param: tuple[bytes, bytes, str | None]) -> None:
    message, signature, kind = param
    binding = {"message": message.hex().upper(), "signature": signature.hex().upper()}
    params = _params(_typical(), binding=binding)
    note = "binding.signature is r || s on 64 bytes (VDC-SM-004), not DER, over binding.message"
    if kind is None:
        accepted(iut, OP, params, note=note)
    else:
        refused(iut, OP, params, kind, note=note)


CREDENTIAL_VECTORS = "credential/presentations.json"


@tc(
    "TC-CRED-015",
    title="The credential vector file: valid presentations accepted, invalid refused",
    purpose="Every vector of vectors/credential/presentations.json gets the result and "
    "the error type it states.",
    verifies=vector_requirements(
        CREDENTIAL_VECTORS, "VDC-CRED-040", "VDC-CRED-032", "VDC-CRED-033", "VDC-CRED-056"
    ),
    profile="verifier",
    kind="negative",
    preconditions="vectors/credential/presentations.json is present",
    expected="valid vectors verify with every expected element; invalid ones fail with errorType",
    operations=[OP],
    params=vector_params(CREDENTIAL_VECTORS),
)
def test_credential_vectors(iut: IutBase, param: Any) -> None:
    data = param.data
    params: dict[str, Any] = {
        "presentation": data["presentation"],
        "trustAnchor": param.group["trustAnchor"],
        "now": data["now"],
    }
    # VDC-CRED-056: an empty list requests nothing; it is sent as such.
    params["requested"] = data["requested"]
    if data["statusList"]:
        params["statusList"] = data["statusList"]
    if param.result == "valid":
        result = accepted(iut, OP, params)
        count = len(data["expected"]) if isinstance(data["expected"], dict) else None
        if count is not None:
            got = len(result["elements"])
            expect(got == count, "wrong number of elements", expected=str(count), got=str(got))
        return
    refused(iut, OP, params, data["errorType"])
